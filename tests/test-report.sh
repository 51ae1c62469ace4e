#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The family progress report as a key worker and a supervisor get it: `family-outcomes-cli
# report` for demo families, read back with poppler's pdftotext, pdfinfo and pdftoppm. TAP output.
set -u
cli=$1
root=$2
check="python3 $root/tests/report-check.py"
n=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in pdftotext pdfinfo pdftoppm python3; do
  if ! command -v $tool > /dev/null; then
    echo "1..0 # SKIP $tool is not installed (apt-get install poppler-utils python3)"
    exit 0
  fi
done

ok () {
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi
}

as_of=2026-11-01
db=$tmp/demo.db
"$cli" demo --db "$db" --families 20 --plan nf,herts --seed 3 --as-of $as_of \
  --plans-dir "$root/plans" > /dev/null
ok $? "a demo database of 20 families across two plans"
refs=$("$cli" evaluate --db "$db" --as-of $as_of --plans-dir "$root/plans" --csv | tail -n +2 \
       | cut -d, -f1)

# One report, in full: every verdict the evaluator gives is in the text, with its dates.
for ref in NF-DEMO-000004 HERTS-DEMO-000004 NF-DEMO-000001; do
  pdf=$tmp/$ref.pdf
  "$cli" report --db "$db" --family $ref --out "$pdf" --as-of $as_of --plans-dir "$root/plans" \
    > "$tmp/out"
  ok $? "report $ref exits 0"
  pages=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
  grep -qx "$ref: $pdf, $pages pages" "$tmp/out"
  ok $? "report $ref says where it wrote how many pages"
  pdfinfo "$pdf" | grep -q "^Page size: *595.276 x 841.89 pts (A4)"
  ok $? "report $ref is A4"
  [ "$pages" -ge 3 ] && [ "$pages" -le 12 ]
  ok $? "report $ref has a sensible length ($pages pages)"
  # Plain text keeps each table cell's lines together; the layout keeps each page's lines.
  pdftotext "$pdf" "$tmp/$ref.txt"
  pdftotext -layout "$pdf" "$tmp/$ref.layout.txt"
  "$cli" evaluate --db "$db" --family $ref --as-of $as_of --plans-dir "$root/plans" --json \
    > "$tmp/$ref.json"
  $check content "$tmp/$ref.json" "$tmp/$ref.txt"
  ok $? "report $ref states every headline issue, indicator and outcome with its state and dates"
  [ "$(grep -c "OFFICIAL-SENSITIVE" "$tmp/$ref.layout.txt")" = $((2 * pages)) ]
  ok $? "report $ref is marked OFFICIAL-SENSITIVE in every page's header and footer"
  grep -q "Page 1 of $pages" "$tmp/$ref.txt" && grep -q "Page $pages of $pages" "$tmp/$ref.txt" \
    && grep -q "Generated $(date +%Y-%m-%d)" "$tmp/$ref.txt"
  ok $? "report $ref numbers its pages and says when it was generated"
  $check chart "$pdf"; ok $? "report $ref draws the Family Star Plus chart"
  grep -q "Key worker" "$tmp/$ref.txt" && grep -q "Supervisor" "$tmp/$ref.txt" \
    && grep -q "Signature" "$tmp/$ref.txt"
  ok $? "report $ref ends with a sign-off block"
  [ "$(stat -c %a "$pdf")" = 600 ]; ok $? "report $ref is readable by its owner only"
done

# A page break inside a table repeats the table's header: no page starts with a bare row (an
# indicator, an outcome or a dated statement).
python3 - "$tmp/NF-DEMO-000004.layout.txt" "$tmp/HERTS-DEMO-000004.layout.txt" <<'PY'
import re, sys
continued = 0
for file in sys.argv[1:]:
    for number, page in enumerate(open(file, encoding="utf-8").read().split("\f")[:-1], 1):
        body = [l.strip() for l in page.splitlines() if l.strip()][1:-1]
        if re.match(r"\S+-\d+\.\S+ |Outcome \d|\d{4}-\d\d-\d\d ", body[0]):
            sys.exit(f"{file} page {number} starts with a row, not a header: {body[0]!r}")
        continued += bool(re.match(r"Indicator and outcome +State|Date +For +Statement", body[0]))
if continued == 0:
    sys.exit("no table ran onto a next page: nothing was checked")
PY
ok $? "a table that runs onto the next page repeats its header there"

# Redaction: no member's name, nor the family's name, anywhere; initials and years instead.
ref=NF-DEMO-000004
"$cli" export --db "$db" --family $ref --out "$tmp/family.json"
$check names "$tmp/family.json" "$tmp/$ref.txt" present
ok $? "the full report names the members (so the redaction check below can fail)"
"$cli" report --db "$db" --family $ref --out "$tmp/redacted.pdf" --as-of $as_of \
  --plans-dir "$root/plans" --redact > /dev/null
pdftotext "$tmp/redacted.pdf" "$tmp/redacted.txt"
pdftotext -layout "$tmp/redacted.pdf" "$tmp/redacted.layout.txt"
pdfinfo "$tmp/redacted.pdf" >> "$tmp/redacted.txt"
$check names "$tmp/family.json" "$tmp/redacted.txt" absent
ok $? "--redact takes every member's name and the family name out of the text and metadata"
python3 - "$tmp/family.json" "$tmp/redacted.layout.txt" <<'PY'
import json, re, sys
family = json.load(open(sys.argv[1]))
text = re.sub(r"\s+", " ", open(sys.argv[2], encoding="utf-8").read())
for m in family["members"]:
    initials = " ".join(w[0].upper() + "." for w in m["name"].split())
    year = m["dob"][:4]
    if not re.search(re.escape(initials) + r"( \(born \d{4}\))? \w+ " + year, text):
        sys.exit(f"member {initials} born {year} is not listed")
    if m["dob"] in text:
        sys.exit("a full date of birth is in the redacted report")
PY
ok $? "--redact lists members by initials and year of birth, and no full date of birth"
$check content "$tmp/$ref.json" "$tmp/redacted.txt"
ok $? "the redacted report keeps every verdict and date"

# A row taller than a page is split between lines, under a repeated header, with no line
# printed twice; free text that names a member is redacted too.
python3 - "$tmp/family.json" "$tmp/long.json" <<'PY'
import json, sys
family = json.load(open(sys.argv[1]))
family["reference"] = "LONG-1"
first = family["members"][0]["name"]
sentence = "Sentence {:03d} of the key worker's long account of the family's progress."
text = " ".join(sentence.format(i) for i in range(160))
family["events"].append({
    "id": "long-evidence", "kind": "evidence", "date": "2026-03-01", "indicator": "NF-8.1",
    "type": "practitioner_assessment", "author": "J. Smith", "author_role": "lead_professional",
    "text": f"{text} {first.split()[0]} said things were better; {first.upper()} agreed."})
json.dump(family, open(sys.argv[2], "w"))
PY
"$cli" put --db "$db" "$tmp/long.json" > /dev/null
"$cli" report --db "$db" --family LONG-1 --out "$tmp/long.pdf" --as-of $as_of \
  --plans-dir "$root/plans" --redact > /dev/null
ok $? "a report with a statement longer than a page"
pdftotext "$tmp/long.pdf" "$tmp/long.txt"
pdftotext -layout "$tmp/long.pdf" "$tmp/long.layout.txt"
python3 - "$tmp/long.txt" "$tmp/long.layout.txt" <<'PY'
import re, sys
text = re.sub(r"\s+", " ", open(sys.argv[1], encoding="utf-8").read())
pages = open(sys.argv[2], encoding="utf-8").read().split("\f")
seen = re.findall(r"Sentence (\d{3}) of", text)
if seen != [f"{i:03d}" for i in range(160)]:
    sys.exit(f"sentences out of order, missing or repeated: {len(seen)} of 160")
holding = [p for p in pages if "Sentence" in p]
if len(holding) < 2:
    sys.exit("the long statement was not split")
for page in holding:
    if not re.search(r"Date +For +Statement +By", page):
        sys.exit("a part of the statement is on a page without the table's header")
PY
ok $? "the long statement runs across pages, each part under the header, no line twice"
$check names "$tmp/family.json" "$tmp/long.txt" absent
ok $? "names in free text are redacted, in capitals too"

# Every family at once, with progress on stderr.
"$cli" report --db "$db" --all --out-dir "$tmp/all" --as-of $as_of --plans-dir "$root/plans" \
  > "$tmp/out" 2> "$tmp/err"
ok $? "report --all exits 0"
grep -qx "21 reports written to $tmp/all" "$tmp/out"; ok $? "report --all says how many it wrote"
grep -q "100%  21 of 21 families" "$tmp/err"; ok $? "report --all shows its progress on stderr"
[ "$(ls "$tmp/all" | wc -l)" = 21 ] && [ -f "$tmp/all/NF-DEMO-000009.pdf" ] \
  && [ "$(stat -c %a "$tmp/all")" = 700 ]
ok $? "report --all writes one REFERENCE.pdf for each family into a private folder"
bad=0
for ref in $refs; do
  pdftotext "$tmp/all/$ref.pdf" "$tmp/one.txt" || bad=1
  "$cli" evaluate --db "$db" --family $ref --as-of $as_of --plans-dir "$root/plans" --json \
    > "$tmp/one.json"
  $check content "$tmp/one.json" "$tmp/one.txt" > "$tmp/problems" || { bad=1; cat "$tmp/problems"; }
done
ok $bad "every family's report states its verdicts and dates"

# As of an earlier day, the report says what was known then.
"$cli" report --db "$db" --family $ref --out "$tmp/early.pdf" --as-of 2025-12-01 \
  --plans-dir "$root/plans" > /dev/null
pdftotext "$tmp/early.pdf" "$tmp/early.txt"
"$cli" evaluate --db "$db" --family $ref --as-of 2025-12-01 --plans-dir "$root/plans" --json \
  > "$tmp/early.json"
$check content "$tmp/early.json" "$tmp/early.txt" && grep -q "As of 2025-12-01" "$tmp/early.txt"
ok $? "--as-of: the report states the verdicts as of that day"

# Bad input: exit 2 and one line; no file left behind.
"$cli" report --db "$db" --family NO-SUCH --out "$tmp/x.pdf" --plans-dir "$root/plans" \
  2> "$tmp/err" > /dev/null
[ $? = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "NO-SUCH" "$tmp/err" \
  && [ ! -e "$tmp/x.pdf" ]
ok $? "an unknown family: exit 2, one line, no file"
"$cli" report --db "$db" --family NF-DEMO-000001 --plans-dir "$root/plans" 2> "$tmp/err" > /dev/null
[ $? = 2 ] && grep -q -- "--out" "$tmp/err"; ok $? "a missing --out: exit 2"
"$cli" report --db "$db" --all --plans-dir "$root/plans" 2> "$tmp/err" > /dev/null
[ $? = 2 ] && grep -q -- "--out-dir" "$tmp/err"; ok $? "--all without --out-dir: exit 2"
"$cli" report --db "$db" --family NF-DEMO-000001 --out "$tmp/x.pdf" --as-of 2026-13-01 \
  --plans-dir "$root/plans" 2> "$tmp/err" > /dev/null
[ $? = 2 ] && grep -q "not a valid date" "$tmp/err"; ok $? "a bad --as-of: exit 2"
"$cli" report --db "$db" --family NF-DEMO-000001 --out "$tmp/no/such/dir/x.pdf" \
  --plans-dir "$root/plans" 2> "$tmp/err" > /dev/null
[ $? = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -q "x.pdf" "$tmp/err"
ok $? "an unwritable --out: exit 2, one line naming the file"
echo "old report" > "$tmp/keep.pdf"
chmod 0400 "$tmp/keep.pdf"
mkdir -p "$tmp/ro" && cp "$tmp/keep.pdf" "$tmp/ro/keep.pdf" && chmod 0500 "$tmp/ro"
"$cli" report --db "$db" --family NF-DEMO-000001 --out "$tmp/ro/keep.pdf" \
  --plans-dir "$root/plans" 2> /dev/null > /dev/null
status=$?
chmod 0700 "$tmp/ro"
if [ "$(id -u)" = 0 ]; then
  ok 0 "# SKIP a folder cannot be made read-only for root"
else
  [ $status = 2 ] && [ "$(cat "$tmp/ro/keep.pdf")" = "old report" ]
  ok $? "a report that cannot be written leaves the old file as it was"
fi

echo "1..$n"
exit $failed
