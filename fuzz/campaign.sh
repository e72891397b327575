#!/usr/bin/env bash
# Fuzz every target (or the ones named) one after another for SECONDS each, then print what AFL++ reports per
# target: run time, executions, corpus paths found, crashes and hangs saved.
#   SECONDS=600 bash fuzz/campaign.sh [TARGET...]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
secs=${SECONDS_EACH:-${SECONDS:-600}}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(npy npz idx tar image imagetar csv csvtable vectors trec cifar)
for t in "${targets[@]}"; do
  echo "=== $t ($secs s) $(date -u +%H:%M:%S)"
  bash "$here/fuzz.sh" "$t" "$secs" >"$here/out/$t.log" 2>&1 || echo "afl-fuzz for $t exited $? (see fuzz/out/$t.log)"
done
bash "$here/stats.sh" "${targets[@]}"
