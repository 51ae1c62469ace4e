#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# An import is all or nothing, even when the process dies: SIGKILL at random moments leaves an
# intact store without a single row of the file, a finished import survives, importing the file
# again adds nothing, and a reader is never blocked while an import runs. TAP output.
#
#   test-import-crash.sh FO-IMPORT-TOOL FAMILY-OUTCOMES-CLI
#
# The tool builds the store and the feed; the imports killed are the command line's own.
set -u
tool=$1
cli=$2
kills=${FO_CRASH_KILLS:-20}
rows=${FO_CRASH_ROWS:-200000}
n=0
failed=0

if ! command -v sqlite3 > /dev/null; then
  echo "1..0 # SKIP the sqlite3 shell is not installed"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/families.db
csv=$tmp/attendance.csv

ok () {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

# The file's rows: every key this feed writes starts with the feed's name.
imported () {
  sqlite3 -cmd ".timeout 5000" "$1" \
    "SELECT count(*) FROM events WHERE substr(import_key, 1, 11) = 'attendance|'"
}

now_ms () {
  echo $(( $(date +%s%N) / 1000000 ))
}

"$tool" create "$db" 2000 2> "$tmp/err"
ok $? "a store of 2000 synthetic families"
"$tool" csv attendance "$db" "$rows" "$csv" 2> "$tmp/err"
ok $? "an attendance feed of $rows rows for their children"
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
base=$(sqlite3 "$db" "SELECT count(*) FROM events")

# How long a whole import takes here, on a copy, so that the kills land while it runs.
cp "$db" "$tmp/timing.db"
start=$(now_ms)
"$cli" import attendance "$csv" --db "$tmp/timing.db" > "$tmp/out" 2> "$tmp/err"
status=$?
elapsed=$(( $(now_ms) - start ))
[ $status = 0 ] && grep -qx "Added: $rows" "$tmp/out"
ok $? "a whole import of a copy adds $rows rows (${elapsed} ms)"
rm -f "$tmp"/timing.db*

# Kill within the first half of a whole import's time, well before its commit, and within a
# second, to keep the test short.
window=$(( elapsed / 2 ))
[ $window -gt 1000 ] && window=1000
[ $window -lt 20 ] && window=20
for i in $(seq 1 "$kills"); do
  delay=$(( 10 + RANDOM % window ))
  "$cli" import attendance "$csv" --db "$db" > "$tmp/out" 2> "$tmp/err" &
  pid=$!
  sleep "$(awk "BEGIN { print $delay / 1000 }")"
  kill -KILL $pid 2> /dev/null
  # Braces: bash reports the killed job on the shell's own stderr.
  { wait $pid; } 2> /dev/null
  status=$?
  integrity=$(sqlite3 -cmd ".timeout 5000" "$db" "PRAGMA integrity_check")
  present=$(imported "$db")
  [ $status = 137 ] && [ "$integrity" = ok ] && [ "$present" = 0 ]
  ok $? "SIGKILL $i after $delay ms: killed ($status), integrity $integrity, $present rows of the file"
done

# A whole import, with a second process reading counts all the while: WAL lets it read the last
# committed state, never a half-written one.
"$cli" import attendance "$csv" --db "$db" > "$tmp/out" 2> "$tmp/err" &
pid=$!
reads=0
bad_reads=0
while kill -0 $pid 2> /dev/null; do
  count=$(sqlite3 -cmd ".timeout 5000" "$db" "SELECT count(*) FROM events" 2>> "$tmp/read-err")
  if [ $? = 0 ] && { [ "$count" = "$base" ] || [ "$count" = $((base + rows)) ]; }; then
    reads=$((reads + 1))
  else
    bad_reads=$((bad_reads + 1))
  fi
done
wait $pid
status=$?
[ $status = 0 ] && grep -qx "Added: $rows" "$tmp/out" && grep -qx "Rejected: 0" "$tmp/out"
ok $? "an import left to finish adds all $rows rows"
[ $reads -gt 0 ] && [ $bad_reads = 0 ]
ok $? "a reader ran alongside: $reads reads, each the old or the new count; $bad_reads failed"
[ "$(imported "$db")" = "$rows" ] && [ "$(sqlite3 "$db" "PRAGMA integrity_check")" = ok ]
ok $? "the store holds the file's rows once and is intact"

"$cli" import attendance "$csv" --db "$db" > "$tmp/out" 2> "$tmp/err"
[ $? = 0 ] && grep -qx "Added: 0" "$tmp/out" && grep -qx "Already present: $rows" "$tmp/out"
ok $? "importing the file again adds nothing and counts $rows duplicates"
[ "$(imported "$db")" = "$rows" ]
ok $? "still $rows of the file's rows"
[ "$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'import'")" = 2 ]
ok $? "two audit records: one per finished import, none from the killed ones"

echo "1..$n"
exit $failed
