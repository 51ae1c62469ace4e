#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Claims from the command line as a council's team works them: users and roles, the lifecycle,
# four eyes, the Business Manager's agreement, the return, the audit sample, and the audit log
# checked after someone edits the file with the sqlite3 shell. TAP output.
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
plans=(--plans-dir "$root/plans")
herts="$root/tests/scenarios/herts"
today=$(date +%F)

# One line on stderr and exit 2: how every refusal looks to a script.
refused () {
  local expected=$1; shift
  "$@" > /dev/null 2> "$tmp/err"
  local status=$?
  [ $status = 2 ] && [ "$(wc -l < "$tmp/err")" = 1 ] && grep -qF -- "$expected" "$tmp/err"
}

"$cli" put --db "$db" "$herts/claimable-regression-check.family.json" \
  "$herts/equivalent-1-6-approved.family.json" "$herts/cp-3-3-stepped-back-up.family.json" > /dev/null
ok $? "put stores three Hertfordshire families"

# Users: the first supervisor sets the database up; after that only a supervisor adds people.
"$cli" users add --db "$db" --name "Sam Super" --role supervisor > /dev/null
ok $? "users add: the first supervisor"
"$cli" users add --db "$db" --name "Ann Example" --role coordinator --as "Sam Super" > /dev/null \
  && "$cli" users add --db "$db" --name "Sue Visor" --role supervisor --as "Sam Super" > /dev/null \
  && "$cli" users add --db "$db" --name "Bea Manager" --role supervisor --plan-role business_manager \
       --as "Sam Super" > /dev/null \
  && "$cli" users add --db "$db" --name "Aud Itor" --role auditor --as "Sam Super" > /dev/null
ok $? "users add: a coordinator, a supervisor, the Business Manager and an auditor"
refused "only a supervisor can add users" \
  "$cli" users add --db "$db" --name "Fake Boss" --role supervisor --as "Ann Example"
ok $? "a coordinator cannot add users"
refused "not coordinator, supervisor or auditor" \
  "$cli" users add --db "$db" --name "X" --role admin --as "Sam Super"
ok $? "an unknown role is refused"
"$cli" users list --db "$db" | grep -q "^Bea Manager *supervisor *business_manager$"
ok $? "users list shows each role and plan role"

# Prepare: only what the evaluator finds claimable, only by someone who may change things.
refused "HERTS-T-009 is not claimable as of 2026-08-01" \
  "$cli" claims prepare --db "$db" --as "Ann Example" --family HERTS-T-009 --date 2026-08-01 "${plans[@]}"
ok $? "prepare refuses a family that is not claimable"
refused "auditors can read everything and change nothing" \
  "$cli" claims prepare --db "$db" --as "Aud Itor" --family HERTS-T-010 --date 2026-08-01 "${plans[@]}"
ok $? "prepare refuses an auditor"
refused "has no claim route “magic”" \
  "$cli" claims prepare --db "$db" --as "Ann Example" --family HERTS-T-010 --route magic \
    --date 2026-08-01 "${plans[@]}"
ok $? "prepare refuses a route the plan does not have"
"$cli" claims prepare --db "$db" --as "Ann Example" --family HERTS-T-010 --date 2026-08-01 \
  "${plans[@]}" > "$tmp/out"
[ $? = 0 ] && grep -q "Claim 1 prepared for family HERTS-T-010 by route “full”" "$tmp/out"
ok $? "prepare makes claim 1, a draft"
"$cli" claims submit 1 --db "$db" --as "Ann Example" "${plans[@]}" > "$tmp/out"
[ $? = 0 ] && grep -q "snapshot [0-9a-f]\{64\} frozen" "$tmp/out"
ok $? "submit freezes a snapshot"
refused "only a supervisor can approve claims" \
  "$cli" claims approve 1 --db "$db" --as "Ann Example" "${plans[@]}"
ok $? "a coordinator cannot approve"

# Four eyes: a supervisor's own claim goes to another supervisor.
"$cli" claims prepare --db "$db" --as "Sam Super" --family HERTS-T-006 --date 2026-08-01 \
  "${plans[@]}" > /dev/null && "$cli" claims submit 2 --db "$db" --as "Sam Super" "${plans[@]}" > "$tmp/out"
[ $? = 0 ] && grep -q "It needs the agreement of: business_manager" "$tmp/out"
ok $? "Herts 1.6: the submitted claim says it needs the Business Manager"
refused "Sam Super prepared this claim, so someone else must approve it" \
  "$cli" claims approve 2 --db "$db" --as "Sam Super" "${plans[@]}"
ok $? "four eyes: nobody approves a claim they prepared"
"$cli" claims approve 1 --db "$db" --as "Sam Super" "${plans[@]}" > "$tmp/out"
[ $? = 0 ] && grep -q "Claim 1 approved by Sam Super" "$tmp/out"
ok $? "another supervisor approves claim 1"

"$cli" claims list --db "$db" --queue --as "Sue Visor" > "$tmp/queue"
[ "$(grep -c "^2 .*HERTS-T-006 .*submitted" "$tmp/queue")" = 1 ] && grep -q "^1 claim waits for Sue Visor" "$tmp/queue"
ok $? "Sue's sign-off queue holds claim 2, with a count"
"$cli" claims list --db "$db" --queue --as "Sam Super" | grep -q "^0 claims wait for Sam Super"
ok $? "Sam's queue leaves out the claim he prepared"
refused "the plan needs the agreement of a business_manager" \
  "$cli" claims approve 2 --db "$db" --as "Sue Visor" "${plans[@]}"
ok $? "approval waits for the Business Manager's agreement"
refused "Ann Example does not hold the role business_manager" \
  "$cli" claims agree 2 --db "$db" --as "Ann Example" --plan-role business_manager
ok $? "only the role's holder agrees"
"$cli" claims agree 2 --db "$db" --as "Bea Manager" --plan-role business_manager > /dev/null \
  && "$cli" claims approve 2 --db "$db" --as "Sue Visor" "${plans[@]}" > /dev/null
ok $? "with the Business Manager's agreement, claim 2 is approved"

"$cli" claims show 2 --db "$db" --json > "$tmp/show.json"
python3 - "$tmp/show.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c, s = d["claim"], d["snapshot"]
assert c["state"] == "approved" and c["decided_by"] == "Sue Visor" and c["prepared_by"] == "Sam Super"
assert c["agreements"][0]["agreed_by"] == "Bea Manager"
assert s["evaluation"]["claimable"] is True and s["evaluation"]["as_of"] == "2026-08-01"
assert len(s["family"]["sha256"]) == 64 and s["family"]["data"]["reference"] == "HERTS-T-006"
assert s["plan"]["id"] == "herts" and len(s["plan"]["content_sha256"]) == 64
assert s["needs_agreement_of"] == ["business_manager"]
PY
ok $? "show --json gives the claim and the snapshot it was judged on"
"$cli" claims show 1 --db "$db" > "$tmp/show"
grep -q "^  Approved:    Sam Super" "$tmp/show" && grep -q "^  Family data: version 1, SHA-256 [0-9a-f]\{64\}" "$tmp/show"
ok $? "show prints who approved and the data hash"
refused "claim 1 is approved: it cannot be withdrawn" \
  "$cli" claims withdraw 1 --db "$db" --as "Ann Example"
ok $? "an approved claim cannot be withdrawn"
refused "a rejection needs a reason" "$cli" claims reject 1 --db "$db" --as "Sue Visor"
ok $? "a rejection needs a reason"

# The return: approved claims in the period, marked as returned only when asked.
"$cli" claims export --db "$db" --from "$today" --to "$today" --csv > "$tmp/return.csv"
python3 - "$tmp/return.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["family_reference"] for r in rows] == ["HERTS-T-010", "HERTS-T-006"], rows
r = rows[1]
assert r["record"] == "claim" and r["route"] == "full" and r["plan"] == "herts"
assert r["issues_identified"] == "HERTS-1;HERTS-6" and r["issues_progressed"] == "HERTS-1;HERTS-6"
assert r["entry_date"] == "2025-09-01" and r["claimable_from"] == "2026-02-12" and r["claim_date"] == "2026-08-01"
assert r["prepared_by"] == "Sam Super" and r["approved_by"] == "Sue Visor"
assert r["agreed_by"] == "business_manager=Bea Manager" and r["returned_on"] == ""
PY
ok $? "export lists the approved claims with their issues, dates, preparer and approver"
"$cli" claims list --db "$db" --state approved | grep -q "^2 claims"
ok $? "export without --mark-returned changes nothing"
"$cli" claims export --db "$db" --from "$today" --to "$today" --csv --mark-returned --as "Sam Super" \
  --return-ref 2026-Q4 --out "$tmp/return2.csv" 2> "$tmp/err"
[ $? = 0 ] && grep -q "2 claims recorded as included in return 2026-Q4" "$tmp/err" \
  && "$cli" claims list --db "$db" --state returned | grep -q "^2 claims"
ok $? "export --mark-returned records the claims as included in the return"
"$cli" claims reverse 1 --db "$db" --as "Sue Visor" --reason "claim date was wrong" > /dev/null \
  && "$cli" claims export --db "$db" --from "$today" --to "$today" --csv | grep -q "^reversal,1,HERTS-T-010,"
ok $? "a returned claim reversed appears as a reversal in the next export"

"$cli" audit log --db "$db" --family HERTS-T-010 > "$tmp/log"
grep -q "prepare *claim 1 (new → draft)" "$tmp/log" && grep -q "approve *claim 1 (submitted → approved)" "$tmp/log" \
  && grep -q "reverse *claim 1 (returned → reversed)" "$tmp/log" && ! grep -q "claim 2" "$tmp/log"
ok $? "audit log --family shows that family's claim history"
"$cli" audit verify --db "$db" > "$tmp/out"
[ $? = 0 ] && grep -q "The audit log is intact: [0-9]* records" "$tmp/out"
ok $? "audit verify: an intact log exits 0 with a count"

# Behind the application's back, with the sqlite3 shell.
tampered () {
  cp "$db" "$tmp/t.db"
  sqlite3 "$tmp/t.db" "$1" || return 1
  "$cli" audit verify --db "$tmp/t.db" > "$tmp/out" 2> "$tmp/err"
}
tampered "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'Mallory' WHERE id = 8;"
[ $? = 1 ] && grep -q "broken from record 8: audit record 8 was altered" "$tmp/err" \
  && [ "$(wc -l < "$tmp/err")" = 1 ]
ok $? "audit verify: an edited record is named, exit 1"
tampered "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 8;"
[ $? = 1 ] && grep -q "broken from record 8: audit record 8 is missing" "$tmp/err"
ok $? "audit verify: a deleted record is named, exit 1"
tampered "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET id = -1 WHERE id = 8;
          UPDATE audit_log SET id = 8 WHERE id = 9; UPDATE audit_log SET id = 9 WHERE id = -1;"
[ $? = 1 ] && grep -q "broken from record 8" "$tmp/err"
ok $? "audit verify: two records swapped are caught at the first, exit 1"
tampered "DROP TRIGGER claims_update; UPDATE claims SET state = 'approved' WHERE id = 1;"
[ $? = 1 ] && grep -q "claim 1’s state is not what its last audit record" "$tmp/out"
ok $? "audit verify: a claim changed with SQL no longer matches its audit record, exit 1"

# Sampling: a cohort of demo families, every claimable one claimed and approved.
demo="$tmp/demo.db"
"$cli" demo --db "$demo" --families 40 --plan cbc --seed 3 --as-of 2026-08-01 "${plans[@]}" > /dev/null \
  && "$cli" users add --db "$demo" --name "Sam Super" --role supervisor > /dev/null \
  && "$cli" users add --db "$demo" --name "Ann Example" --role coordinator --as "Sam Super" > /dev/null
ok $? "a demo cohort with two users"
approved=0
for ref in $("$cli" claimable --db "$demo" --as-of 2026-08-01 "${plans[@]}" --csv 2> /dev/null \
             | grep ",now," | cut -d, -f1); do
  id=$("$cli" claims prepare --db "$demo" --as "Ann Example" --family "$ref" --date 2026-08-01 "${plans[@]}" \
       | sed -n 's/^Claim \([0-9]*\) prepared.*/\1/p')
  "$cli" claims submit "$id" --db "$demo" --as "Ann Example" "${plans[@]}" > /dev/null \
    && "$cli" claims approve "$id" --db "$demo" --as "Sam Super" "${plans[@]}" > /dev/null \
    && approved=$((approved + 1))
done
[ "$approved" -ge 10 ]
ok $? "$approved demo claims approved"
"$cli" claims sample --db "$demo" --percent 25 --seed 11 > "$tmp/s1" 2> "$tmp/err"
"$cli" claims sample --db "$demo" --percent 25 --seed 11 > "$tmp/s2"
"$cli" claims sample --db "$demo" --percent 25 --seed 12 > "$tmp/s3"
cmp -s "$tmp/s1" "$tmp/s2" && [ "$(($(wc -l < "$tmp/s1") - 1))" = $(((approved + 3) / 4)) ] \
  && grep -q "of $approved approved claims drawn (25%, seed 11)" "$tmp/err"
ok $? "sample: the same seed draws the same claims, a quarter rounded up"
! cmp -s "$tmp/s1" "$tmp/s3"
ok $? "sample: another seed draws other claims"
refused "--percent" "$cli" claims sample --db "$demo" --percent 0 --seed 1
ok $? "sample refuses 0%"
refused "--seed N" "$cli" claims sample --db "$demo" --percent 10
ok $? "sample needs a seed"
"$cli" audit verify --db "$demo" > /dev/null
ok $? "the demo database's audit log verifies after $((approved * 3)) claim changes"

echo "1..$n"
exit $failed
