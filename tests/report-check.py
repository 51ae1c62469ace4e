# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks a family progress report PDF against what it should say, with poppler's tools.

  report-check.py content EVALUATION.json REPORT.txt   the report states every verdict
  report-check.py chart REPORT.pdf                     the Family Star Plus chart is drawn
  report-check.py names FAMILY.json REPORT.txt absent|present
                                                       members' names are (not) in the text

Standard library only. Prints what is wrong and exits 1, or exits 0.
"""
import json
import re
import subprocess
import sys
import tempfile


def normalise(text):
    # Table cells wrap: compare with every run of white space made one space.
    return re.sub(r"\s+", " ", text)


def check_content(evaluation_file, text_file):
    evaluation = json.load(open(evaluation_file))
    text = normalise(open(text_file, encoding="utf-8").read())
    problems = []

    def need(fragment, why):
        if normalise(fragment) not in text:
            problems.append(f"missing {why}: {fragment!r}")

    issue_states = {"not_identified": "not identified", "identified": "identified, not yet met",
                    "met": "met"}
    state_labels = {"not_applicable": "Not applicable", "insufficient_data": "Insufficient data",
                    "not_met": "Not met", "achieved": "Achieved", "sustained": "Sustained"}
    need(evaluation["family"]["reference"], "the family reference")
    need(f"As of {evaluation['as_of']}", "the as-of date")
    need(evaluation["plan"]["title"], "the plan's title")
    not_identified = 0
    for issue in evaluation["issues"]:
        need(f"{issue['id']} {issue['title']} — {issue_states[issue['status']]}",
             "a headline issue with its status")
        for indicator in issue["indicators"]:
            need(indicator["id"], "an indicator")
            if not indicator["identified"]:
                not_identified += 1
                continue
            if indicator["met_since"]:
                need(f"since {indicator['met_since']}", f"{indicator['id']}'s met-since date")
            for outcome in indicator["outcomes"]:
                label = state_labels[outcome["state"]]
                need(f"Outcome {outcome['number']}", f"{outcome['id']}'s row")
                if outcome["achieved_since"]:
                    need(f"Achieved since {outcome['achieved_since']}",
                         f"{outcome['id']}'s achieved-since date")
                if outcome["sustained_since"]:
                    need(f"Sustained since {outcome['sustained_since']}",
                         f"{outcome['id']}'s sustained-since date")
                if outcome["projected_sustained"]:
                    need(f"Sustained on {outcome['projected_sustained']} if it keeps holding",
                         f"{outcome['id']}'s projected date")
                progress = outcome["progress"]
                if progress and outcome["state"] not in ("sustained", "not_applicable"):
                    need(f"Progress: {progress['text']}", f"{outcome['id']}'s progress")
                if text.count(label) == 0:
                    problems.append(f"no state {label!r} anywhere, for {outcome['id']}")
    if text.count("Not identified") < not_identified:
        problems.append(f"'Not identified' {text.count('Not identified')} times for "
                        f"{not_identified} indicators not identified")
    if evaluation["claimable"]:
        need(f"yes, from {evaluation['claimable_from']}", "the claimable-from date")
    return problems


def words_with_boxes(pdf):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", out, re.S):
        words = []
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">([^<]*)</word>', page):
            words.append((float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5]))
        pages.append(words)
    return pages


def read_pgm(file):
    data = open(file, "rb").read()
    fields = []
    pos = 0
    while len(fields) < 4:
        m = re.compile(rb"\s*(#[^\n]*\n\s*)*(\S+)").match(data, pos)
        fields.append(m[2])
        pos = m.end()
    assert fields[0] == b"P5" and fields[3] == b"255", "not an 8-bit PGM"
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[pos + 1:pos + 1 + width * height]


def dark_pixels(image, x0, y0, x1, y1):
    width, height, pixels = image
    count = 0
    for y in range(max(0, y0), min(height, y1)):
        row = pixels[y * width:(y + 1) * width]
        count += sum(1 for x in range(max(0, x0), min(width, x1)) if row[x] < 200)
    return count


def check_chart(pdf):
    pages = words_with_boxes(pdf)
    for number, words in enumerate(pages, 1):
        for i in range(len(words) - 2):
            # The section heading: at the left margin, in the large type.
            if [w[4] for w in words[i:i + 3]] != ["Family", "Star", "Plus"]:
                continue
            if words[i][0] > 50 or words[i][3] - words[i][1] < 12:
                continue
            top = words[i][3]
            if " ".join(w[4] for w in words[i + 3:i + 8]) == "No Family Star Plus readings":
                return []
            below = [w for w in words if w[1] > top and w[4] == "Area" and w[0] < 60]
            if not below:
                return [f"page {number}: no readings table under the chart"]
            bottom = below[0][1]
            if bottom - top < 200:
                return [f"page {number}: the chart is only {bottom - top:.0f} pt high"]
            dpi = 72
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(number), "-l",
                                str(number), "-singlefile", pdf, f"{tmp}/page"], check=True)
                image = read_pgm(f"{tmp}/page.pgm")
            scale = dpi / 72
            y0, y1 = int((top + 6) * scale), int((bottom - 6) * scale)
            left, right, mid = int(48 * scale), int(547 * scale), int(290 * scale)
            radar = dark_pixels(image, left, y0, mid, y1)
            trends = dark_pixels(image, mid, y0, right, y1)
            margin = dark_pixels(image, 0, y0, int(40 * scale), y1)
            area = (mid - left) * (y1 - y0)
            problems = []
            if radar < area * 0.03:
                problems.append(f"page {number}: the radar is blank ({radar} dark pixels)")
            if trends < area * 0.02:
                problems.append(f"page {number}: the trends are blank ({trends} dark pixels)")
            if margin != 0:
                problems.append(f"page {number}: {margin} dark pixels in the left margin")
            return problems
    return ["no Family Star Plus section"]


def check_names(family_file, text_file, expect):
    family = json.load(open(family_file))
    text = open(text_file, encoding="utf-8").read()
    flat = normalise(text)
    names = [m["name"] for m in family["members"] if m.get("name")]
    problems = []
    if expect == "present":
        for name in names:
            if name not in flat:
                problems.append(f"{name!r} is not in the report")
        return problems
    candidates = set(names)
    for name in names:
        candidates.update(w for w in name.split() if len(w) >= 2)
    if family.get("name"):
        candidates.add(family["name"])
        candidates.update(w for w in family["name"].split() if w.lower() != "family")
    for candidate in sorted(candidates):
        if re.search(r"(?<!\w)" + re.escape(candidate) + r"(?!\w)", flat, re.I):
            problems.append(f"a name is in the redacted report: {candidate!r}")
    return problems


def main():
    command = sys.argv[1]
    if command == "content":
        problems = check_content(sys.argv[2], sys.argv[3])
    elif command == "chart":
        problems = check_chart(sys.argv[2])
    elif command == "names":
        problems = check_names(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(f"unknown check {command}")
    for problem in problems:
        print("#", problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
