#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Finds a demo family whose verdict a new Family Star Plus reading changes.

Usage: pick-family.py CLI DATABASE PLANS_DIR DATE
Prints JSON: the family's reference and plan, and the reading (date and scores) that, entered
on DATE, changes at least one outcome's state or date, as the command-line evaluator sees it.
The UI test then enters that reading through the window and expects the matrix to change.
"""
import csv
import io
import json
import subprocess
import sys
import tempfile

AREAS = ["physical_health", "wellbeing", "emotional_needs", "keeping_safe", "social_networks",
         "education_learning", "boundaries_behaviour", "family_routine", "home_money",
         "progress_to_work"]


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def outcome_states(cli, plan_file, family_file, date):
    result = json.loads(run(cli, "evaluate", "--plan", plan_file, "--family", family_file,
                            "--as-of", date, "--json"))
    states = {}
    for issue in result["issues"]:
        for indicator in issue["indicators"]:
            for outcome in indicator.get("outcomes", []):
                states[(indicator["id"], outcome["id"])] = (outcome["state"],
                                                            outcome.get("achieved_since"),
                                                            outcome.get("sustained_since"))
    return states


def main():
    cli, database, plans_dir, date = sys.argv[1:5]
    listing = run(cli, "evaluate", "--db", database, "--plans-dir", plans_dir, "--as-of", date,
                  "--csv")
    references = [row[0] for row in csv.reader(io.StringIO(listing)) if row and row[0] != "reference"]
    with tempfile.TemporaryDirectory() as folder:
        for reference in references:
            family = json.loads(run(cli, "export", "--db", database, "--family", reference))
            plan_file = f"{plans_dir}/{family['plan']}.json"
            before_file = f"{folder}/before.json"
            with open(before_file, "w") as out:
                json.dump(family, out)
            before = outcome_states(cli, plan_file, before_file, date)
            for score in (10, 1):
                reading = {"id": "ui-test-reading", "kind": "star_reading", "date": date,
                           "taken_by": "joint", "scores": {area: score for area in AREAS}}
                changed = dict(family, events=family["events"] + [reading])
                after_file = f"{folder}/after.json"
                with open(after_file, "w") as out:
                    json.dump(changed, out)
                if outcome_states(cli, plan_file, after_file, date) != before:
                    print(json.dumps({"reference": reference, "plan": family["plan"],
                                      "date": date, "score": score}))
                    return 0
    print("no demo family's verdict changes with a new reading", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
