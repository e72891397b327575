#!/usr/bin/env bash
# One line per fuzz target from AFL++'s fuzzer_stats: run time, executions, paths (corpus entries), crashes, hangs.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(ls "$here/out/findings" 2>/dev/null))
printf '%-9s %8s %10s %8s %8s %6s %8s\n' target seconds execs execs/s paths crashes hangs
for t in "${targets[@]}"; do
  f="$here/out/findings/$t/default/fuzzer_stats"
  [ -f "$f" ] || { printf '%-9s (no stats)\n' "$t"; continue; }
  v() { sed -n "s/^$1 *: *//p" "$f"; }
  printf '%-9s %8s %10s %8s %8s %6s %8s\n' "$t" "$(( $(v last_update) - $(v start_time) ))" "$(v execs_done)" "$(v execs_per_sec)" \
    "$(v corpus_count)" "$(v saved_crashes)" "$(v saved_hangs)"
done
