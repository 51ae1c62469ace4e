#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# fuzz/run.sh BUILD TARGET [LIBFUZZER-OPTION…]
#
# Runs one fuzz target (plan, family, import or date) from BUILD, a build set up with
# -Dfuzzing=true, as one niced process. Inputs that reach new code are kept in
# BUILD/fuzz-corpus/TARGET, so that runs build on each other; the seeds are copied fresh from
# the source tree each time. A crash leaves its input in BUILD/fuzz-artifacts/TARGET/ and the
# script exits non-zero. Options given after TARGET pass to libFuzzer: -runs=N, -max_total_time=S.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
target=$2
shift 2

exe=$build/fuzz/fuzz-$target
corpus=$build/fuzz-corpus/$target
seeds=$build/fuzz-seeds/$target
artifacts=$build/fuzz-artifacts/$target
logs=$build/fuzz-logs/$target
[ -x "$exe" ] || { echo "fuzz/run.sh: no $exe (ninja -C $build fuzz)" >&2; exit 2; }
rm -rf "$seeds"
mkdir -p "$corpus" "$seeds" "$artifacts" "$logs"

# Both JSON parsers run at about 40 MB/s without sanitizers, so input size is what an execution
# costs: 16 KiB leaves room for plans and families larger than the seeds (1–9 KiB). The council
# plans themselves (31–161 KiB) would be cut short into syntax errors; tests/ loads them whole.
case $target in
  plan)
    max_len=16384
    cp "$root"/tests/malformed/*.json "$seeds"/
    cp "$root"/tests/malformed/valid-minimal.json.txt "$seeds"/valid-minimal.json
    ;;
  family)
    max_len=16384
    for file in "$root"/tests/scenarios/*/*.family.json; do
      cp "$file" "$seeds/$(basename "$(dirname "$file")")-$(basename "$file")"
    done
    ;;
  import)
    max_len=8192
    cp "$root"/fuzz/seeds/import/* "$seeds"/
    ;;
  date)
    max_len=64
    cp "$root"/fuzz/seeds/date/* "$seeds"/
    ;;
  *)
    echo "fuzz/run.sh: unknown target $target (plan, family, import, date)" >&2
    exit 2
    ;;
esac
if [ -d "$root/tests/fuzz-regressions/$target" ]; then
  cp "$root/tests/fuzz-regressions/$target"/* "$seeds"/
  rm -f "$seeds/README.md"
fi

dict=()
[ -f "$root/fuzz/$target.dict" ] && dict=(-dict="$root/fuzz/$target.dict")

# One worker and one job, at the lowest priority: the machine is shared. With -jobs, libFuzzer
# writes the run's output to fuzz-0.log in the working folder and copies it here at the end.
cd "$logs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:quarantine_size_mb=64:max_malloc_fill_size=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
exec nice -n 19 "$exe" -workers=1 -jobs=1 -max_len=$max_len -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "$@" "$corpus" "$seeds"
