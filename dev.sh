#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# ./dev.sh run   install what is missing, build, make a demo database and open it in the app
# ./dev.sh test  install what is missing, build, and run every test (also under ASan + UBSan)
#
# With FO_FUZZ_SECONDS=N, `test` also runs each fuzz target (fuzz/) for N seconds; each counts
# as one test.
set -euo pipefail
cd "$(dirname "$0")"

packages=(meson ninja-build pkg-config gcc libglib2.0-dev libjson-glib-dev libjansson-dev libsqlite3-dev libcsv-dev sqlite3 gettext
          libglib2.0-bin python3 libcairo2-dev libpango1.0-dev fonts-cantarell fonts-dejavu-core poppler-utils time
          libgtk-4-dev libadwaita-1-dev xvfb dbus at-spi2-core python3-pyatspi)

# The desktop integration: the validators, msgfmt for the translated desktop and metainfo
# files, the icon cache tool meson's post-install step runs, and yelp-check for the guide.
packages+=(desktop-file-utils appstream gettext itstool yelp-tools libgtk-4-bin)
fuzz_seconds=${FO_FUZZ_SECONDS:-0}
[ "$fuzz_seconds" -gt 0 ] && packages+=(clang libclang-rt-14-dev)

install_missing () {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

build () {
  local dir=$1; shift
  [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@" >/dev/null
  ninja -C "$dir" >/dev/null
}

# Prints "N passed, N failed" for one meson build directory's test log.
count_results () {
  python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, re, sys
passed = failed = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    # A TAP test counts each of its cases; any other test counts once.
    cases = re.findall(r"^(ok|not ok)\b", r.get("stdout") or "", re.M)
    if cases and r["result"] != "TIMEOUT":
        passed += cases.count("ok")
        failed += cases.count("not ok")
        if r["result"] not in ("OK", "EXPECTEDFAIL") and "not ok" not in cases:
            failed += 1
    elif r["result"] in ("OK", "EXPECTEDFAIL", "SKIP"):
        passed += 1
    else:
        failed += 1
print(passed, failed)
PY
}

# Runs each fuzz target for $fuzz_seconds, saying how each went on stderr, and counts them in
# fuzz_passed and fuzz_failed; a fuzz build that fails counts every target as failed.
fuzz_targets=(plan family import date)
run_fuzzers () {
  local log
  fuzz_passed=0 fuzz_failed=0
  if ! { [ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzzing=true \
           -Db_sanitize=address,undefined -Db_lundef=false >/dev/null; } ||
     ! ninja -C build-fuzz fuzz >/dev/null; then
    echo "fuzz: the fuzz build failed" >&2
    fuzz_failed=${#fuzz_targets[@]}
    return
  fi
  mkdir -p build-fuzz/fuzz-logs
  for target in "${fuzz_targets[@]}"; do
    log=build-fuzz/fuzz-logs/$target.txt
    if fuzz/run.sh build-fuzz "$target" -max_total_time="$fuzz_seconds" > "$log" 2>&1; then
      echo "fuzz-$target: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$log"), no failure" >&2
      fuzz_passed=$((fuzz_passed + 1))
    else
      echo "fuzz-$target: FAILED (the input is in build-fuzz/fuzz-artifacts/$target/, the log in" \
           "$log)" >&2
      grep -E "ERROR|SUMMARY|runtime error" "$log" | head -5 >&2 || true
      fuzz_failed=$((fuzz_failed + 1))
    fi
  done
}

case "${1:-}" in
  run)
    install_missing
    build build
    cli=build/app/family-outcomes-cli
    db=build/demo/families.db
    as_of=$(date +%Y-%m-%d)
    # The demo database holds special-category-shaped data, so its folder is private too.
    mkdir -p -m 0700 build/demo
    if [ ! -f "$db" ]; then
      "$cli" demo --db "$db" --families 1000 --plan cbc,bristol,nf,bnes,herts --seed 7 \
        --as-of "$as_of" --plans-dir plans
    fi
    echo "Opening the demo database in Family Outcomes (every name in it is invented)…"
    # The schema is compiled into the build tree, so the app runs without installing.
    exec env GSETTINGS_SCHEMA_DIR="$PWD/build/data" FO_PLANS_DIR="$PWD/plans" \
      build/ui/family-outcomes --db "$db" "${@:2}"
    ;;
  test)
    install_missing
    build build
    build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
    status=0
    meson test -C build --print-errorlogs || status=1
    ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      meson test -C build-asan --print-errorlogs || status=1
    read -r p1 f1 < <(count_results build)
    read -r p2 f2 < <(count_results build-asan)
    fuzz_passed=0 fuzz_failed=0
    if [ "$fuzz_seconds" -gt 0 ]; then
      run_fuzzers
      [ "$fuzz_failed" = 0 ] || status=1
    fi
    echo "$((p1 + p2 + fuzz_passed)) passed, $((f1 + f2 + fuzz_failed)) failed"
    exit $status
    ;;
  *)
    sed -n '4,5p' "$0"
    exit 2
    ;;
esac
