using System.CommandLine;

namespace Kmap.Cli.Commands.Completion;

/// <summary>zsh completion: zsh runs the bash script through its bashcompinit layer, so both shells complete the same words.</summary>
internal static class ZshCompletion
{
    public static string Script(Command root) =>
        """
        #compdef kmap
        # kmap zsh completion. Load it with:  source <(kmap completion zsh)
        autoload -U +X compinit && compinit
        autoload -U +X bashcompinit && bashcompinit

        """ + BashCompletion.Script(root);
}
