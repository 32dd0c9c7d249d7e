#!/usr/bin/env bash
# Prints the conformance results (lines "client<TAB>scenario<TAB>pass|FAIL") as a Markdown table,
# one row per scenario and one column per client, in the order they first appear.
set -euo pipefail
results="${1:?usage: print-conformance-matrix.sh RESULTS.tsv}"
[ -s "$results" ] || { echo "(no conformance results)"; exit 0; }
awk -F'\t' '
  { if (!($1 in seen_client)) { seen_client[$1] = 1; clients[++nc] = $1 }
    if (!($2 in seen_scenario)) { seen_scenario[$2] = 1; scenarios[++ns] = $2 }
    key = $2 SUBSEP $1
    if (cell[key] == "" || $3 == "FAIL") cell[key] = $3 }
  END {
    n = nc; m = ns
    for (i = 1; i <= n; i++) sorted_clients[i] = clients[i]
    for (j = 1; j <= m; j++) sorted_scenarios[j] = scenarios[j]
    line = "| scenario |"; sep = "|---|"
    for (i = 1; i <= n; i++) { line = line " " sorted_clients[i] " |"; sep = sep "---|" }
    print line; print sep
    for (j = 1; j <= m; j++) {
      line = "| " sorted_scenarios[j] " |"
      for (i = 1; i <= n; i++) { v = cell[sorted_scenarios[j] SUBSEP sorted_clients[i]]; line = line " " (v == "" ? "-" : v) " |" }
      print line
    }
  }' "$results"
