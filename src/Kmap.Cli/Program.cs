using Kmap.Cli;

return await KmapApp.RunAsync(args);
