#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives Family Outcomes through its accessibility tree, as a screen-reader user would.

Usage: test-ui.py PICK.json (written by pick-family.py). Prints TAP.
"""
import json
import re
import sys
import time

import pyatspi

APP_NAME = "family-outcomes"
STATE_WORDS = re.compile(r"^(Sustained since|Achieved since|Not met|Not identified|"
                         r"Not applicable|Not enough data)")
CELL_NAME = re.compile(r"^(\S+) outcome (\S+): (.+)$", re.S)
TYPE_NAME = re.compile(r"^(Gtk|Adw)[A-Z]\w*$")
# What a person perceives or operates must have a real name; layout containers need none.
NAMED_ROLES = {"push button", "toggle button", "check box", "radio button", "text", "entry",
               "spin button", "combo box", "menu item", "list item", "page tab", "image",
               "label", "scroll bar", "slider", "list", "table", "page tab list", "frame",
               "dialog", "menu", "progress bar", "link"}

results = []


def report(ok, description, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {description}")
    for line in detail.splitlines():
        print(f"#   {line}")
    sys.stdout.flush()


def walk(node):
    if node is None:
        return
    yield node
    try:
        count = node.childCount
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child)


def name_of(node):
    try:
        return node.name or ""
    except Exception:
        return ""


def role_of(node):
    try:
        return node.getRoleName()
    except Exception:
        return ""


def find_all(root, role, pattern):
    regex = re.compile(pattern, re.S)
    return [n for n in walk(root) if role_of(n) == role and regex.search(name_of(n))]


def wait_for(function, timeout=30, interval=0.3):
    deadline = time.monotonic() + timeout
    while True:
        value = function()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def application():
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        child = desktop.getChildAtIndex(i)
        if child is not None and name_of(child) == APP_NAME:
            return child
    return None


def do_action(node, action="click"):
    """Performs @action on @node or, for a menu button, on the button inside it."""
    for candidate in walk(node):
        try:
            actions = candidate.queryAction()
        except NotImplementedError:
            continue
        for i in range(actions.nActions):
            if actions.getName(i) == action:
                return actions.doAction(i)
    raise RuntimeError(f"{name_of(node)!r} has no {action} action")


def set_text(node, text):
    node.queryEditableText().setTextContents(text)


def text_of(node):
    text = node.queryText()
    return text.getText(0, text.characterCount)


def frame(app, title):
    for i in range(app.childCount):
        child = app.getChildAtIndex(i)
        if child is not None and name_of(child) == title:
            return child
    return None


def matrix_cells(root):
    return sorted(name_of(n) for n in find_all(root, "push button", r"^\S+ outcome \S+: "))


def star_table(root):
    tables = [n for n in walk(root) if name_of(n) == "Family Star Plus readings, by area"]
    if not tables:
        return None
    return [name_of(n) for n in walk(tables[0]) if role_of(n) == "label"]


def main():
    pick = json.load(open(sys.argv[1]))
    reference, score = pick["reference"], pick["score"]
    print("1..9")

    app = wait_for(application, timeout=60)
    if app is None:
        print("Bail out! the application did not appear on the accessibility bus")
        return 1
    main_window = wait_for(lambda: frame(app, "Family Outcomes"), timeout=30)

    families = wait_for(lambda: [n for n in find_all(main_window, "list", "^Families$")
                                 if n.childCount > 0], timeout=60)
    report(bool(families), "the demo database opens with its families listed",
           f"{families[0].childCount if families else 0} rows shown")
    if not families:
        return 1
    family_list = families[0]

    search = find_all(main_window, "entry", "^Search families$")
    set_text(search[0], reference)
    rows = wait_for(lambda: family_list.childCount == 1 and
                    name_of(family_list.getChildAtIndex(0)).startswith(reference), timeout=20)
    report(bool(rows), "searching for the reference leaves that one family",
           f"{family_list.childCount} rows: {name_of(family_list.getChildAtIndex(0))!r}")
    family_list.querySelection().selectChild(0)

    facts = wait_for(lambda: find_all(main_window, "label", "^" + re.escape(reference) + " · "),
                     timeout=30)
    report(bool(facts), "selecting it opens its family page",
           name_of(facts[0]) if facts else "no header naming the reference")

    before_cells = wait_for(lambda: matrix_cells(main_window), timeout=20)
    words = [CELL_NAME.match(c).group(3) for c in before_cells]
    report(bool(before_cells) and all(STATE_WORDS.match(w) for w in words),
           "each matrix cell states its indicator, outcome and state in words",
           "\n".join(before_cells[:5]))

    before_table = star_table(main_window) or []
    add = find_all(main_window, "push button", "^Add Record$")
    do_action(add[0])
    item = wait_for(lambda: find_all(app, "menu item", "Family Star Plus Reading"), timeout=20)
    do_action(item[0])
    editor = wait_for(lambda: frame(app, "New Family Star Plus Reading"), timeout=20)
    if editor is None:
        report(False, "the reading form opens")
        return 1
    set_text(find_all(editor, "text", "^Date$")[0], pick["date"])
    spins = find_all(editor, "spin button", ".")
    for spin in spins:
        set_text(spin, str(score))
    do_action(find_all(editor, "push button", "Save")[0])
    closed = wait_for(lambda: frame(app, "New Family Star Plus Reading") is None, timeout=30)
    # GTK 4.8 can crash answering a query about a widget it is destroying; the page rebuilds
    # after a save, so let it settle before reading it again.
    time.sleep(2)
    report(closed and len(spins) == 10,
           "a Star reading of all ten areas is saved through the form",
           f"{len(spins)} score fields; form {'closed' if closed else 'still open'}")

    new_column = time.strftime("%-d %b %Y", time.strptime(pick["date"], "%Y-%m-%d"))
    after_table = wait_for(lambda: (lambda t: t if t and t != before_table else None)(
        star_table(main_window)), timeout=30) or []
    added = len(after_table) - len(before_table)
    report(added == 11 and new_column in after_table and
           after_table.count(str(score)) >= before_table.count(str(score)) + 10,
           "the chart's table gains the new reading's column",
           f"{added} new cells; headers now end with {after_table[1:8]}")

    after_cells = wait_for(lambda: (lambda c: c if c and c != before_cells else None)(
        matrix_cells(main_window)), timeout=30) or []
    changed = sorted(set(after_cells) - set(before_cells))
    report(bool(changed), "the matrix shows the verdict the new reading gives",
           "\n".join(changed[:5]) or "no cell changed")

    claim = find_all(main_window, "label", r"^(Claimable from|Not claimable|Not eligible)")
    report(bool(claim), "the header says when the family is claimable, in words",
           name_of(claim[0]) if claim else "")

    type_named = [(role_of(n), name_of(n)) for n in walk(app) if TYPE_NAME.match(name_of(n))]
    bad = [t for t in type_named if t[0] in NAMED_ROLES]
    report(not bad, "no control, image or text is named only by its widget type",
           "\n".join(f"{r}: {n}" for r, n in (bad or type_named)[:20]))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
