#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `family-outcomes-cli backup`: a checked copy, private to its owner, never over another file,
# and consistent while another program writes to the database. TAP output.
set -u
cli=$1
root=$2
n=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok () {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

db="$tmp/families.db"
"$cli" demo --db "$db" --families 30 --plan cbc,nf --seed 11 --as-of 2026-08-01 \
  --plans-dir "$root/plans" > /dev/null
"$cli" put --db "$db" "$root"/tests/scenarios/cbc/*.family.json > /dev/null
ok $? "a database to back up"

"$cli" backup --db "$db" --out "$tmp/copy.db" > "$tmp/out" 2> "$tmp/err"
[ $? = 0 ] && grep -q "copy.db: copy of .*families.db written and checked" "$tmp/out" && [ ! -s "$tmp/err" ]
ok $? "backup exits 0 and says the copy was checked"
[ "$(stat -c %a "$tmp/copy.db")" = 600 ]; ok $? "the copy has mode 0600"

query () { sqlite3 -batch "$1" "$2"; }
[ "$(query "$tmp/copy.db" 'PRAGMA integrity_check')" = ok ]; ok $? "the copy passes SQLite's integrity check"
[ "$(query "$tmp/copy.db" 'PRAGMA user_version')" = "$(query "$db" 'PRAGMA user_version')" ]
ok $? "the copy has the same schema version"
families=$(query "$db" 'SELECT count(*) FROM families')
[ "$families" -gt 30 ] && [ "$(query "$tmp/copy.db" 'SELECT count(*) FROM families')" = "$families" ]
ok $? "the copy has the same $families families"
last='SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1'
[ -n "$(query "$db" "$last")" ] && [ "$(query "$tmp/copy.db" "$last")" = "$(query "$db" "$last")" ]
ok $? "the copy's audit log ends with the same record"
[ "$(query "$tmp/copy.db" 'PRAGMA journal_mode')" = delete ] && [ ! -e "$tmp/copy.db-wal" ]
ok $? "the copy is one file, not a database with a write-ahead log beside it"

"$cli" evaluate --db "$db" --as-of 2026-08-01 --plans-dir "$root/plans" --csv > "$tmp/original.csv"
"$cli" evaluate --db "$tmp/copy.db" --as-of 2026-08-01 --plans-dir "$root/plans" --csv > "$tmp/copy.csv"
[ -s "$tmp/copy.csv" ] && cmp -s "$tmp/original.csv" "$tmp/copy.csv"
ok $? "evaluating the copy gives every family the same verdict as the original"

echo "not a database" > "$tmp/taken.db"
"$cli" backup --db "$db" --out "$tmp/taken.db" > /dev/null 2> "$tmp/err"
[ $? = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "already exists" "$tmp/err" \
  && [ "$(cat "$tmp/taken.db")" = "not a database" ]
ok $? "an existing file is refused with exit 2 and left as it was"
"$cli" backup --db "$db" --out "$tmp/copy.db" 2> /dev/null > /dev/null
[ $? = 2 ] && [ "$(query "$tmp/copy.db" 'SELECT count(*) FROM families')" = "$families" ]
ok $? "an earlier backup is never replaced"

"$cli" backup --db "$tmp/no-such.db" --out "$tmp/x.db" > /dev/null 2> "$tmp/err"
[ $? = 2 ] && grep -q "no such database" "$tmp/err" && [ ! -e "$tmp/no-such.db" ] && [ ! -e "$tmp/x.db" ]
ok $? "a missing database is refused, and neither file is created"
"$cli" backup --db "$db" > /dev/null 2> "$tmp/err"
[ $? = 2 ] && grep -q -- "--out" "$tmp/err"; ok $? "backup without --out is refused"
"$cli" backup --db "$db" --out "$tmp/no-such-folder/copy.db" > /dev/null 2> "$tmp/err"
[ $? = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "no-such-folder/copy.db" "$tmp/err"
ok $? "an unwritable destination is refused with one line naming it"

(umask 0277; "$cli" backup --db "$db" --out "$tmp/umask.db" > /dev/null 2>&1)
[ $? = 0 ] && [ "$(stat -c %a "$tmp/umask.db")" = 600 ]
ok $? "a umask that takes away write permission still gives a complete copy with mode 0600"

# Another process keeps replacing families while copies are taken: each copy must check out on
# its own, whatever moment it caught.
writer () {
  for _ in $(seq 1 40); do
    "$cli" put --db "$db" "$root"/tests/scenarios/nf/*.family.json > /dev/null 2>&1 || return 1
  done
}
writer &
writer_pid=$!
busy_ok=0
for i in 1 2 3 4 5; do
  if ! "$cli" backup --db "$db" --out "$tmp/busy-$i.db" > /dev/null 2> "$tmp/busy-err"; then
    busy_ok=1
    cat "$tmp/busy-err" >&2
  fi
  [ "$(query "$tmp/busy-$i.db" 'PRAGMA integrity_check')" = ok ] || busy_ok=1
done
wait "$writer_pid"
writer_status=$?
[ $busy_ok = 0 ] && [ $writer_status = 0 ]
ok $? "copies taken while another process writes all check out, and the writer is not disturbed"

echo "1..$n"
exit $failed
