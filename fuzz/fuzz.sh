#!/usr/bin/env bash
# Fuzz one Nabla reader with AFL++ through SharpFuzz (see README.md).
#   bash fuzz/fuzz.sh TARGET [SECONDS]     (default 600 s; TARGET from: dotnet <out>/Nabla.Fuzz.dll list)
# Builds fuzz/Nabla.Fuzz into fuzz/out/plain (seeds, replay) and a copy fuzz/out/bin whose Nabla.dll is instrumented
# (sharpfuzz, a local dotnet tool; an instrumented build runs only under afl-fuzz), writes the seed corpus to
# fuzz/out/seeds/, and runs afl-fuzz with findings in fuzz/out/findings/TARGET/. The target runs under a 1 GiB .NET
# heap cap, so a reader that allocates what a header claims instead of refusing it crashes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target=${1:?usage: fuzz.sh TARGET [SECONDS]}
seconds=${2:-600}
out="$here/out"
bin="$out/bin"
plain="$out/plain"
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 1; }
if [ ! -f "$bin/.instrumented" ] || [ -n "${REBUILD:-}" ]; then
  rm -rf "$bin" "$plain"
  dotnet publish "$here/Nabla.Fuzz/Nabla.Fuzz.csproj" -c Release -o "$plain" -nologo -v quiet
  cp -r "$plain" "$bin"
  (cd "$here" && dotnet tool restore >/dev/null && dotnet sharpfuzz "$bin/Nabla.dll")
  touch "$bin/.instrumented"
fi
[ -d "$out/seeds" ] || dotnet "$plain/Nabla.Fuzz.dll" seeds "$out/seeds"
[ -d "$out/seeds/$target" ] || { echo "unknown target $target; targets: $(dotnet "$plain/Nabla.Fuzz.dll" list | tr '\n' ' ')" >&2; exit 2; }
findings="$out/findings/$target"
resume=-
[ -d "$findings/default/queue" ] || { rm -rf "$findings"; resume="$out/seeds/$target"; }
mkdir -p "$out/findings"
# dotnet itself is not AFL-instrumented (SharpFuzz instruments Nabla.dll and reports coverage through AFL's
# shared memory), hence AFL_SKIP_BIN_CHECK; -t: a .NET start-up, then each input within 5 s.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export DOTNET_GCHeapHardLimit=0x40000000 DOTNET_GCRegionSize=0x100000 DOTNET_TieredPGO=0
exec afl-fuzz -i "$resume" -o "$findings" -t 5000 -m none -V "$seconds" -- dotnet "$bin/Nabla.Fuzz.dll" fuzz "$target"
