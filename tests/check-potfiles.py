#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that po/POTFILES.in lists every source file with a translatable string.

usage: check-potfiles.py [SOURCE_ROOT]

xgettext reads only the files POTFILES.in names, so a file left out of it is silently never
translated: its strings stay English in every language. This scans the sources the way
xgettext would (C, GtkBuilder, GSettings schema, desktop and metainfo files), and exits 1
naming each file that has a translatable string but is not listed, and each listed file that
does not exist. A listed file without strings is reported but allowed.
"""

import os
import re
import sys

# Where user-visible text lives. tests/ and bench/ are not shipped to users.
SCANNED_DIRS = ("app", "ui", "data")

# Gettext calls in C, including the ones the glib preset of meson's i18n module knows.
C_MARKER = re.compile(r"(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|gettext|ngettext|dgettext|dngettext|"
                      r"pgettext|g_dgettext|g_dngettext|g_dpgettext|g_dpgettext2)\s*\(")
# A C string or character literal, or a comment. Comments can mention _() without marking
# anything, and string contents can hold anything, so both are blanked before searching.
C_SKIP = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)
UI_MARKER = re.compile(r'\btranslatable\s*=\s*["\'](?:yes|true|1)["\']', re.I)
# intltool's old style (<_summary>, _Name=) is still a translatable string if someone uses it.
INTLTOOL_XML_MARKER = re.compile(r"<_[A-Za-z]")
DESKTOP_MARKER = re.compile(r"^_?(?:Name|GenericName|Comment|Keywords|X-GNOME-FullName)=\S",
                            re.M)
SCHEMA_MARKER = re.compile(r"<(?:summary|description)\b")
METAINFO_MARKER = re.compile(r"<(?:name|summary|description|caption|developer_name)\b")
XML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# The kinds of file that xgettext can read; anything else (images, meson.build) is skipped.
SUFFIXES = (".c", ".h", ".ui", ".desktop.in", ".desktop", ".xml", ".xml.in")


def _blank_c(text):
    def keep_lines(match):
        token = match.group(0)
        if token.startswith('"'):
            return '""'
        if token.startswith("'"):
            return "' '"
        return "\n" * token.count("\n") or " "

    return C_SKIP.sub(keep_lines, text)


def _first_line(text, pattern):
    match = pattern.search(text)
    if match is None:
        return None
    return text.count("\n", 0, match.start()) + 1


def translatable_line(path, text):
    """The line of the first translatable string in the file, or None."""
    name = os.path.basename(path)
    if name.endswith((".c", ".h")):
        return _first_line(_blank_c(text), C_MARKER)
    if name.endswith(".ui"):
        return _first_line(XML_COMMENT.sub("", text), UI_MARKER)
    if name.endswith((".desktop.in", ".desktop")):
        return _first_line(text, DESKTOP_MARKER)
    if name.endswith(".gschema.xml"):
        text = XML_COMMENT.sub("", text)
        # GSettings translates summaries and descriptions only for a schema that names its
        # gettext domain; without one, they are not user-visible text.
        if "gettext-domain" not in text:
            return _first_line(text, INTLTOOL_XML_MARKER)
        return _first_line(text, SCHEMA_MARKER)
    if name.endswith((".metainfo.xml", ".appdata.xml", ".metainfo.xml.in", ".appdata.xml.in")):
        return _first_line(XML_COMMENT.sub("", text), METAINFO_MARKER)
    if name.endswith((".xml", ".xml.in")):
        return _first_line(XML_COMMENT.sub("", text), INTLTOOL_XML_MARKER)
    return None


def candidate_files(root):
    """Every file, relative to root, that could hold translatable strings."""
    found = []
    for entry in sorted(os.listdir(root)):
        if entry.endswith((".metainfo.xml", ".appdata.xml", ".metainfo.xml.in",
                           ".appdata.xml.in")):
            found.append(entry)
    for top in SCANNED_DIRS:
        for directory, subdirs, files in os.walk(os.path.join(root, top)):
            subdirs.sort()
            for name in sorted(files):
                if not name.endswith(SUFFIXES):
                    continue
                path = os.path.relpath(os.path.join(directory, name), root)
                found.append(path.replace(os.sep, "/"))
    return found


def read_potfiles(root):
    """The paths POTFILES.in lists, with its optional [type: ...] prefixes removed."""
    listed = []
    with open(os.path.join(root, "po", "POTFILES.in"), encoding="utf-8") as potfiles:
        for line in potfiles:
            line = re.sub(r"^\s*\[[^]]*\]\s*", "", line.strip())
            if line and not line.startswith("#"):
                listed.append(line)
    return listed


def check(root):
    """Problems (which fail the check) and notes (which do not), as lines of text."""
    listed = read_potfiles(root)
    listed_set = set(listed)
    problems = []
    notes = []
    for path in candidate_files(root):
        with open(os.path.join(root, path), encoding="utf-8") as source:
            line = translatable_line(path, source.read())
        if line is not None and path not in listed_set:
            problems.append(f"{path}:{line}: has a translatable string but is not in "
                            "po/POTFILES.in")
        if line is None and path in listed_set:
            notes.append(f"{path}: listed in po/POTFILES.in but has no translatable string")
    for path in listed:
        if not os.path.isfile(os.path.join(root, path)):
            problems.append(f"po/POTFILES.in: {path} does not exist")
    return problems, notes


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    problems, notes = check(root)
    for note in notes:
        print(f"note: {note}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s): add the files to po/POTFILES.in, sorted, "
              "or remove the ones that are gone")
        return 1
    print("po/POTFILES.in lists every file with a translatable string")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
