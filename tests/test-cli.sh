#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The command line as a council data team uses it: exit codes, one-line errors, counts,
# text and JSON reports. TAP output.
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

# check-plan: all five plans load, with the seed's counts.
"$cli" check-plan "$root"/plans/*.json > "$tmp/counts" 2> "$tmp/err"
ok $? "check-plan accepts every plan in plans/"
for expected in "cbc .*6 headline issues, 15 indicators" "bristol .*9 headline issues, 41 indicators" \
                "nf .*10 headline issues, 34 indicators" "bnes .*6 headline issues, 36 indicators" \
                "herts .*6 headline issues, 36 indicators (+ stand-alone)"; do
  tr '\n' ' ' < "$tmp/counts" | grep -q -- "$(echo "$expected" | sed 's/ \.\*/: [^:]*— [^)]*)  */')" 2>/dev/null \
    || grep -A1 -- "${expected%% *}" "$tmp/counts" | tr '\n' ' ' | grep -q -- "${expected#* .\*}"
  ok $? "check-plan counts: $expected"
done
grep -q "115 outcome options" "$tmp/counts"; ok $? "check-plan counts NF's 115 focused outcomes"
grep -q "37 outcome options" "$tmp/counts"; ok $? "check-plan counts Bristol's 37 outcome options"

# Every malformed plan: exit 2 and exactly one line naming the file.
while IFS=$'\t' read -r file fragment; do
  [ -z "$file" ] && continue
  "$cli" check-plan "$root/tests/malformed/$file" > /dev/null 2> "$tmp/err"
  status=$?
  lines=$(wc -l < "$tmp/err")
  { [ $status = 2 ] && [ "$lines" = 1 ] && grep -qF "family-outcomes-cli: $root/tests/malformed/$file" "$tmp/err" \
    && grep -qF -- "$fragment" "$tmp/err"; }
  ok $? "check-plan $file: exit 2, one line, file and place named"
done < "$root/tests/malformed/cases.tsv"

plan="$root/plans/cbc.json"
family="$root/tests/scenarios/cbc/boundary-attendance-exactly-90.family.json"

"$cli" evaluate --plan "$plan" --family "$family" --as-of 2026-08-01 > "$tmp/text"
ok $? "evaluate exits 0"
grep -q "CBC-2.1.O1 1: Sustained, achieved since 2025-12-19, sustained since 2026-07-21" "$tmp/text"
ok $? "evaluate prints the outcome's state and dates"
grep -q "Claimable: yes, from 2026-07-21" "$tmp/text"; ok $? "evaluate prints the claimable-from date"
grep -q "why: " "$tmp/text"; ok $? "evaluate prints reasons"
"$cli" evaluate --plan "$plan" --family "$family" --as-of 2025-11-01 > "$tmp/early"
grep -q "progress" "$tmp/early" || grep -q "Not met\|Insufficient" "$tmp/early"
ok $? "evaluate before the outcome is sustained shows progress or what is missing"

"$cli" evaluate --plan "$plan" --family "$family" --as-of 2026-08-01 --json > "$tmp/json"
ok $? "evaluate --json exits 0"
python3 - "$tmp/json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format_version"] == 1
assert d["claimable"] is True and d["claimable_from"] == "2026-07-21"
o = [o for i in d["issues"] for ind in i["indicators"] for o in ind["outcomes"] if o["id"] == "CBC-2.1.O1"][0]
assert o["state"] == "sustained" and o["sustained_since"] == "2026-07-21" and o["reason"]
PY
ok $? "evaluate --json carries the same verdicts, dates and reasons"

"$cli" explain --plan "$plan" --family "$family" --indicator CBC-2.1 --as-of 2026-08-01 > "$tmp/explain"
ok $? "explain exits 0"
grep -q '\$.headline_issues\[1\].indicators\[0\]' "$tmp/explain" && grep -q "sessions" "$tmp/explain"
ok $? "explain shows every rule node with its facts"

"$cli" explain --plan "$plan" --family "$family" --indicator NO-SUCH 2> "$tmp/err" > /dev/null
[ $? = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ]; ok $? "explain of an unknown indicator: exit 2, one line"

"$cli" evaluate --plan "$plan" --family "$family" --as-of 2026-02-30 2> "$tmp/err" > /dev/null
[ $? = 2 ] && grep -q "not a valid date" "$tmp/err"; ok $? "an impossible --as-of date is refused"
"$cli" evaluate --plan "$plan" 2> "$tmp/err" > /dev/null
[ $? = 2 ]; ok $? "a missing --family is refused with exit 2"
"$cli" evaluate --plan "$tmp/none.json" --family "$family" 2> "$tmp/err" > /dev/null
[ $? = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ]; ok $? "a missing plan file: exit 2, one line"
"$cli" frobnicate 2> /dev/null > /dev/null
[ $? = 2 ]; ok $? "an unknown command exits 2"

# A family with a bad date names the file and the JSON path.
sed 's/"entry_date": "2025-09-01"/"entry_date": "2025-02-30"/' "$family" > "$tmp/bad-family.json"
"$cli" evaluate --plan "$plan" --family "$tmp/bad-family.json" 2> "$tmp/err" > /dev/null
[ $? = 2 ] && grep -qF "bad-family.json: \$.entry_date:" "$tmp/err"
ok $? "a family with an impossible date: exit 2 naming the file and \$.entry_date"
printf '{"format": 1, "reference": "\xff\xfe"}' > "$tmp/latin1.json"
"$cli" evaluate --plan "$plan" --family "$tmp/latin1.json" 2> "$tmp/err" > /dev/null
[ $? = 2 ] && grep -q "UTF-8" "$tmp/err"; ok $? "a family file that is not UTF-8 is refused"
python3 -c "print('[' * 100000 + ']' * 100000)" > "$tmp/deep.json"
"$cli" evaluate --plan "$plan" --family "$tmp/deep.json" 2> "$tmp/err" > /dev/null
[ $? = 2 ] && grep -q "nested" "$tmp/err"; ok $? "JSON nested 100,000 deep is refused without a crash"

# The store: put families, export one losslessly, evaluate the database, list the claimable.
db="$tmp/families.db"
"$cli" put --db "$db" "$root"/tests/scenarios/*/*.family.json > /dev/null 2> "$tmp/err"
ok $? "put stores every scenario family"
[ "$(stat -c %a "$db")" = 600 ]; ok $? "the database file is created with mode 0600"
"$cli" export --db "$db" --family CBC-T02 --out "$tmp/export.json"
python3 - "$family" "$tmp/export.json" <<'PY'
import json, sys
def clean(v):
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [clean(x) for x in v]
    return v
a, b = clean(json.load(open(sys.argv[1]))), clean(json.load(open(sys.argv[2])))
key = lambda e: (e.get("date") or e.get("start"), e["id"])
a["events"].sort(key=key); b["events"].sort(key=key)
assert a == b, (a, b)
PY
ok $? "export gives back the family that was put, field for field"
"$cli" evaluate --db "$db" --as-of 2026-08-01 --plans-dir "$root/plans" > "$tmp/batch"
ok $? "evaluate --db exits 0"
grep -q "As of 2026-08-01: [0-9]* families, [0-9]* eligible" "$tmp/batch"
ok $? "evaluate --db prints the summary"
one_by_one=0
for f in "$root"/tests/scenarios/*/*.family.json; do
  p=$(basename "$(dirname "$f")")
  "$cli" evaluate --plan "$root/plans/$p.json" --family "$f" --as-of 2026-08-01 --json \
    | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["claimable"] else 1)' \
    && one_by_one=$((one_by_one + 1))
done
grep -q "$one_by_one claimable now" "$tmp/batch"
ok $? "evaluate --db's count of claimable families ($one_by_one) agrees with evaluating them one by one"
"$cli" evaluate --db "$db" --as-of 2026-08-01 --plans-dir "$root/plans" --csv > "$tmp/batch.csv"
[ "$(head -1 "$tmp/batch.csv")" = "reference,plan,eligible,claimable,claimable_from,projected_claimable,issues" ] \
  && [ "$(grep -c ',1,' "$tmp/batch.csv")" -ge 1 ]
ok $? "evaluate --db --csv prints a header and one row per family"
"$cli" claimable --db "$db" --as-of 2026-08-01 --plans-dir "$root/plans" > "$tmp/claimable" 2> "$tmp/err"
[ "$(grep -c "claimable since" "$tmp/claimable")" = "$one_by_one" ] && grep -q "0 verdicts brought up to date" "$tmp/err"
ok $? "claimable --db lists the claimable families from the cache, with nothing to re-evaluate"
# A feed with bad rows: the report names each by line, column and reason; the good rows import.
cat > "$tmp/incidents.csv" <<'CSV'
surname,dob,kind,date,reference
Fennimore-Quall,2012-06-30,asb,2026-03-01,CAD-1
Fennimore-Quall,2012-06-30,asb,2026-02-30,CAD-2
Nobody-Known,2001-01-01,offence,2026-03-02,CAD-3
Fennimore-Quall,2012-06-30,arson,2026-03-03,CAD-4
CSV
before=$("$cli" export --db "$db" --family CBC-T02 | grep -c '"asb_incident"')
"$cli" import incidents "$tmp/incidents.csv" --db "$db" --dry-run > "$tmp/report"
[ $? = 0 ] && grep -qx "Would add: 1" "$tmp/report" && grep -qx "Rejected: 3" "$tmp/report" \
  && [ "$("$cli" export --db "$db" --family CBC-T02 | grep -c '"asb_incident"')" = "$before" ]
ok $? "import --dry-run reports what it would do and changes nothing"
"$cli" import incidents "$tmp/incidents.csv" --db "$db" > "$tmp/report"
grep -q "line 3, date: “2026-02-30” is not a valid date" "$tmp/report" \
  && grep -q "line 4, .*matches no member" "$tmp/report" && grep -q "line 5, kind:" "$tmp/report" \
  && [ "$("$cli" export --db "$db" --family CBC-T02 | grep -c '"asb_incident"')" = $((before + 1)) ]
ok $? "import names each bad row by line, column and reason, and keeps the good row"
"$cli" import incidents "$tmp/incidents.csv" --db "$db" > "$tmp/report"
grep -qx "Added: 0" "$tmp/report" && grep -qx "Already present: 1" "$tmp/report"
ok $? "importing the same feed again adds nothing"

"$cli" export --db "$db" --family NO-SUCH 2> "$tmp/err" > /dev/null
[ $? = 2 ] && grep -q "NO-SUCH" "$tmp/err"; ok $? "export of an unknown reference: exit 2"

truncate -s 70M "$tmp/huge.json"
"$cli" check-plan "$tmp/huge.json" 2> "$tmp/err" > /dev/null
[ $? = 2 ] && grep -q "larger than" "$tmp/err"; ok $? "a 70 MB plan file is refused before it is read"

echo "1..$n"
exit $failed
