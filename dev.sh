#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# ./dev.sh run   install what is missing, build, make a demo database and open it in the app
# ./dev.sh test  install what is missing, build, and run every test (also under ASan + UBSan)
set -euo pipefail
cd "$(dirname "$0")"

packages=(meson ninja-build pkg-config gcc libglib2.0-dev libjson-glib-dev libjansson-dev libsqlite3-dev libcsv-dev sqlite3 gettext
          libglib2.0-bin python3 libcairo2-dev libpango1.0-dev fonts-cantarell fonts-dejavu-core poppler-utils
          libgtk-4-dev libadwaita-1-dev xvfb dbus at-spi2-core python3-pyatspi)

# The desktop integration: the validators, msgfmt for the translated desktop and metainfo
# files, the icon cache tool meson's post-install step runs, and yelp-check for the guide.
packages+=(desktop-file-utils appstream gettext itstool yelp-tools libgtk-4-bin)

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
    echo "$((p1 + p2)) passed, $((f1 + f2)) failed"
    exit $status
    ;;
  *)
    sed -n '4,5p' "$0"
    exit 2
    ;;
esac
