#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The command line's main paths under valgrind's memcheck, on a 50-family demo database: any
# invalid read or write, use of uninitialised memory, or leak fails the test. Skipped (77)
# without valgrind, and in the AddressSanitizer build, which valgrind cannot run.
set -u
cli=$1
root=$2

command -v valgrind > /dev/null || { echo "valgrind is not installed"; exit 77; }
if ldd "$cli" 2> /dev/null | grep -q libasan; then
  echo "an AddressSanitizer build cannot run under valgrind"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db="$tmp/families.db"
failed=0

"$cli" demo --db "$db" --families 50 --plan cbc,bristol,nf,bnes,herts --seed 7 --as-of 2026-11-01 \
  --plans-dir "$root/plans" > /dev/null || exit 1
cat > "$tmp/incidents.csv" <<'CSV'
surname,dob,kind,date,reference
Nobody-Known,2001-01-01,offence,2026-03-02,CAD-3
CSV

memcheck () {
  if ! valgrind -q --leak-check=full --error-exitcode=1 "$cli" "$@" > /dev/null 2> "$tmp/err"; then
    echo "valgrind: family-outcomes-cli $*"
    cat "$tmp/err"
    failed=1
  fi
}

memcheck evaluate --db "$db" --as-of 2026-11-01 --plans-dir "$root/plans"
memcheck check-plan "$root"/plans/*.json
memcheck import incidents "$tmp/incidents.csv" --db "$db" --dry-run
memcheck backup --db "$db" --out "$tmp/copy.db"
exit $failed
