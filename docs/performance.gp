# Renders docs/performance.png from docs/performance.dat (written by `bench/run.sh sweep`).
# Blocks in the data: latency 1, 5, 10 ms; columns: latency groups kmap_s round_trips sequential_s_per_group.
if (!exists("dir")) dir = "docs"
set terminal pngcairo size 900,560 font ",11"
set output dir."/performance.png"
set title "Backup wall time: kmap vs one-group-at-a-time (sandbox, 3 brokers, 10 partitions per group)"
set xlabel "consumer groups"
set ylabel "wall time (s)"
set logscale xy
set grid
set key top left
set xrange [800:25000]
plot for [i=0:2] dir."/performance.dat" index i using 2:3 with linespoints lw 2 pt 7 title sprintf("kmap, %s ms", word("1 5 10", i+1)), \
     for [i=0:2] dir."/performance.dat" index i using 2:($2*$5) with lines dt 2 lw 2 title sprintf("sequential (Go algorithm), %s ms", word("1 5 10", i+1))
