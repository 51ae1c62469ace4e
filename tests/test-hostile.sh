#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Hostile and broken input through the command line: huge, deep, mis-encoded and impossible
# files. Each must end in a clear one-line error or a rejected row, in bounded memory, never a
# crash or a hang (meson's timeout catches a hang). Big files are made here, in a temporary
# folder, and deleted. TAP output; peak memory is printed as comments.
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

# Peak memory is only meaningful without AddressSanitizer, which keeps freed memory aside.
measure=1
if ! [ -x /usr/bin/time ]; then
  measure=0 why="no /usr/bin/time"
elif ldd "$cli" 2> /dev/null | grep -q libasan; then
  measure=0 why="AddressSanitizer build"
fi

# Runs the command line with its arguments, stdin passed on; the peak RSS in kB goes to $tmp/rss.
# Without meson's MALLOC_PERTURB_, which fills every block allocated and so makes memory that a
# program reserves but never uses count as used.
run () {
  if [ $measure = 1 ]; then
    env -u MALLOC_PERTURB_ /usr/bin/time -f %M -o "$tmp/rss" "$cli" "$@"
  else
    echo 0 > "$tmp/rss"
    "$cli" "$@"
  fi
}

# ok-test that the peak RSS of the last run stayed under $1 MB.
rss_under () {
  local kb
  kb=$(tail -1 "$tmp/rss")
  if [ $measure = 0 ]; then
    n=$((n + 1))
    echo "ok $n - $2 # SKIP $why"
    return
  fi
  echo "# $2: peak RSS $((kb / 1024)) MB"
  [ "$kb" -lt $(($1 * 1024)) ]
  ok $? "$2: peak RSS under $1 MB"
}

# exit 2 and exactly one line on stderr, which names $1 and holds $2.
refused () {
  [ "$status" = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -qF -- "$1" "$tmp/err" \
    && grep -qF -- "$2" "$tmp/err"
}

plan="$root/plans/cbc.json"
minimal="$root/tests/malformed/valid-minimal.json.txt"

# 200 MB of JSON that is well formed as far as it goes: a list of long notes.
big_json () {
  python3 -c '
import sys
note = "\"" + "x" * 1022 + "\","
sys.stdout.write("{\"format\": 1, \"notes\": [")
block = note * 1024
try:
    for _ in range(200):
        sys.stdout.write(block)
    sys.stdout.write("\"end\"]}")
except BrokenPipeError:
    pass
' 2> /dev/null
}

big_json > "$tmp/big.json"
[ "$(stat -c %s "$tmp/big.json")" -gt $((200 * 1024 * 1024)) ]; ok $? "a 200 MB JSON file to read"
run check-plan "$tmp/big.json" > /dev/null 2> "$tmp/err"; status=$?
refused "$tmp/big.json" "larger than 64 MB"; ok $? "a 200 MB plan is refused with one line"
rss_under 20 "a 200 MB plan file"
run evaluate --plan "$plan" --family "$tmp/big.json" --as-of 2026-08-01 > /dev/null 2> "$tmp/err"
status=$?
refused "$tmp/big.json" "larger than 64 MB"; ok $? "a 200 MB family is refused with one line"
rss_under 20 "a 200 MB family file"
rm -f "$tmp/big.json"

# Through a pipe the size is not known before reading: reading stops at the limit.
big_json | run check-plan /dev/stdin > /dev/null 2> "$tmp/err"; status=${PIPESTATUS[1]}
refused "/dev/stdin" "larger than 64 MB"; ok $? "a 200 MB plan through a pipe is refused"
rss_under 100 "a 200 MB plan through a pipe"
big_json | run evaluate --plan "$plan" --family /dev/stdin > /dev/null 2> "$tmp/err"
status=${PIPESTATUS[1]}
refused "/dev/stdin" "larger than 64 MB"; ok $? "a 200 MB family through a pipe is refused"
rss_under 100 "a 200 MB family through a pipe"

# Just under the size limit, but 31 million values: each would cost both parsers a node.
python3 -c '
import sys
sys.stdout.write("{\"format\": 1, \"reference\": \"F\", \"members\": [], \"events\": [")
sys.stdout.write("0," * (31 * 1024 * 1024))
sys.stdout.write("0]}")' > "$tmp/values.json"
run evaluate --plan "$plan" --family "$tmp/values.json" > /dev/null 2> "$tmp/err"; status=$?
refused "$tmp/values.json" "more than 1000000 JSON values"
ok $? "a family of 31 million values just under 64 MB is refused before parsing"
rss_under 100 "31 million JSON values"
rm -f "$tmp/values.json"

python3 -c 'print("{\"a\": " * 100000 + "1" + "}" * 100000)' > "$tmp/deep.json"
run check-plan "$tmp/deep.json" > /dev/null 2> "$tmp/err"; status=$?
refused "$tmp/deep.json" "nested more than"; ok $? "a plan of objects nested 100,000 deep is refused"
rss_under 20 "JSON nested 100,000 deep"

# Impossible dates, wherever a date is read.
family="$root/tests/scenarios/cbc/boundary-attendance-exactly-90.family.json"
for date in 2026-02-30 0000-01-01; do
  python3 - "$family" "$tmp/dob.json" "$date" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
f["members"][0]["dob"] = sys.argv[3]
json.dump(f, open(sys.argv[2], "w"))
PY
  "$cli" evaluate --plan "$plan" --family "$tmp/dob.json" > /dev/null 2> "$tmp/err"; status=$?
  refused "$tmp/dob.json" "\$.members[0].dob: “$date” is not a valid date"
  ok $? "a family member born on $date is refused, naming the place"
  sed "s/\"date\": \"2020-01-01\"/\"date\": \"$date\"/" "$minimal" > "$tmp/date.json"
  "$cli" check-plan "$tmp/date.json" > /dev/null 2> "$tmp/err"; status=$?
  refused "$tmp/date.json" "\$.date: “$date” is not a valid date"; ok $? "a plan dated $date is refused"
  "$cli" evaluate --plan "$plan" --family "$family" --as-of $date > /dev/null 2> "$tmp/err"
  status=$?
  refused "--as-of" "not a valid date"; ok $? "--as-of $date is refused"
done

# Percentages a plan cannot mean. Each is one edit of the valid minimal plan.
while IFS='|' read -r name from to where; do
  python3 - "$minimal" "$tmp/$name.json" "$from" "$to" <<'PY'
import sys
text = open(sys.argv[1]).read()
assert sys.argv[3] in text, sys.argv[3]
open(sys.argv[2], "w").write(text.replace(sys.argv[3], sys.argv[4], 1))
PY
  "$cli" check-plan "$tmp/$name.json" > /dev/null 2> "$tmp/err"; status=$?
  refused "$tmp/$name.json" "$where"; ok $? "a plan with $name is refused, naming the place"
done <<'CASES'
a negative attendance percentage|"op": ">=", "value": 90|"op": ">=", "value": -5|measure.value: a percentage must be between 0 and 100
an attendance percentage over 100|"op": ">=", "value": 90|"op": ">=", "value": 100.5|measure.value: a percentage must be between 0 and 100
a negative min_pct|"min_pct": 50|"min_pct": -50|change.min_pct: must be above 0
a min_pct of NaN|"min_pct": 50|"min_pct": NaN|invalid token near 'NaN'
an infinite percentage|"op": ">=", "value": 90|"op": ">=", "value": 1e999|real number overflow
a percentage written as text|"min_pct": 50|"min_pct": "50%"|change.min_pct: expected a number
a negative reading change|"points": 2}|"pct": -10}|reading.change.pct: a change must not be negative
CASES

# Feeds: a 10 MB field, a header that long, text that is not UTF-8, impossible dates.
db="$tmp/families.db"
"$cli" put --db "$db" "$family" > /dev/null
child=$(python3 -c 'import json,sys; m=[m for m in json.load(open(sys.argv[1]))["members"] if m["role"]=="child"][0]; print(m["name"].split()[-1] + "," + m["dob"])' "$family")
{
  echo "surname,dob,kind,date,reference,note"
  printf '%s,asb,2026-03-01,CAD-1,"' "$child"
  head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' 'n'
  echo '"'
  echo "$child,asb,2026-03-02,CAD-2,short"
} > "$tmp/long-field.csv"
run import incidents "$tmp/long-field.csv" --db "$db" > "$tmp/report" 2> "$tmp/err"; status=$?
[ $status = 0 ] && grep -q "line 2, note: is longer than 1 MiB" "$tmp/report" \
  && grep -qx "Added: 1" "$tmp/report" && grep -qx "Rejected: 1" "$tmp/report"
ok $? "a CSV row with a 10 MB field is rejected, and the next row imported"
rss_under 60 "a CSV with a 10 MB field"
{ printf '"'; head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' 'h'; echo '",date'; } > "$tmp/long-header.csv"
run import missing "$tmp/long-header.csv" --db "$db" > /dev/null 2> "$tmp/err"; status=$?
refused "$tmp/long-header.csv" "column 1 of the header is longer than 1 MiB"
ok $? "a CSV header with a 10 MB column name is refused"
rss_under 60 "a CSV header with a 10 MB column name"

printf 'surname,dob,kind,date,type\n%s,asb,2026-03-03,caf\xe9\n' "$child" > "$tmp/latin1.csv"
"$cli" import incidents "$tmp/latin1.csv" --db "$db" > "$tmp/report" 2> "$tmp/err"; status=$?
[ $status = 0 ] && grep -q "line 2, type: is not valid UTF-8 text" "$tmp/report"
ok $? "a Latin-1 field in a CSV row is rejected as not UTF-8"
printf '\xff\xfes\0u\0r\0' > "$tmp/utf16.csv"
"$cli" import incidents "$tmp/utf16.csv" --db "$db" > /dev/null 2> "$tmp/err"; status=$?
refused "$tmp/utf16.csv" "UTF-16"; ok $? "a UTF-16 CSV file is refused"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01' > "$tmp/picture.csv"
"$cli" import incidents "$tmp/picture.csv" --db "$db" > /dev/null 2> "$tmp/err"; status=$?
refused "$tmp/picture.csv" "not UTF-8"; ok $? "a picture given as a CSV file is refused"
printf 'surname,dob,kind,date\n%s,asb,2026-02-30\n%s,asb,0000-01-01\n' "$child" "$child" \
  > "$tmp/dates.csv"
"$cli" import incidents "$tmp/dates.csv" --db "$db" > "$tmp/report" 2> "$tmp/err"; status=$?
[ $status = 0 ] && grep -q "line 2, date: “2026-02-30” is not a valid date" "$tmp/report" \
  && grep -q "line 3, date: “0000-01-01” is not a valid date" "$tmp/report"
ok $? "CSV rows dated 2026-02-30 and 0000-01-01 are rejected, quoting the date"

echo "1..$n"
exit $failed
