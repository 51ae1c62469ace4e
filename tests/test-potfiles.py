#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The POTFILES.in check: the real tree passes, and small made-up trees show that it catches
each kind of file that is left out, and does not cry wolf over comments and string contents.

usage: test-potfiles.py SOURCE_ROOT    (TAP on stdout)
"""

import atexit
import importlib.util
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("check_potfiles",
                                              os.path.join(HERE, "check-potfiles.py"))
check_potfiles = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_potfiles)


def tree(files, potfiles):
    """A temporary source tree holding FILES (path → text) and po/POTFILES.in."""
    root = tempfile.mkdtemp(prefix="potfiles-")
    atexit.register(shutil.rmtree, root)
    files = dict(files)
    files["po/POTFILES.in"] = "".join(line + "\n" for line in potfiles)
    for path, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        with open(os.path.join(root, path), "w", encoding="utf-8") as out:
            out.write(text)
    return root


def missing(files, potfiles=()):
    problems, _ = check_potfiles.check(tree(files, potfiles))
    return [p.split(":")[0] for p in problems if "not in po/POTFILES.in" in p]


C_WITH_STRING = '#include <glib/gi18n.h>\nconst char *s (void) { return _("Hello"); }\n'
CASES = [
    ("a C file with _() that is not listed is reported",
     lambda: missing({"ui/fo-x.c": C_WITH_STRING}) == ["ui/fo-x.c"]),
    ("the same file, listed, passes",
     lambda: missing({"ui/fo-x.c": C_WITH_STRING}, ["ui/fo-x.c"]) == []),
    ("N_(), C_(), ngettext() and g_dngettext() count as translatable strings",
     lambda: missing({"app/a.c": 'static const char *a[] = { N_("A") };\n',
                      "app/b.c": 'x = C_("menu", "Open");\n',
                      "app/c.c": 'x = ngettext ("%u a", "%u as", n);\n',
                      "app/d.c": 'x = g_dngettext (NULL, "%u a", "%u as", n);\n'})
     == ["app/a.c", "app/b.c", "app/c.c", "app/d.c"]),
    ("_() in a comment or a string literal, and macros ending in N_, are not strings",
     lambda: missing({"app/a.c": '/* wrap text in _("…") */\n// or N_("…")\n',
                      "app/b.c": 'puts ("call _(\\"x\\") here");\n',
                      "app/c.c": 'n = G_N_ELEMENTS (a);\nx = FOO_ (1);\n'}) == []),
    ("a .ui file with a translatable property is reported; one with none is not",
     lambda: missing({"ui/a.ui": '<interface><object class="GtkLabel"><property name="label" '
                                 'translatable="yes">Hi</property></object></interface>\n',
                      "ui/b.ui": '<interface><object class="GtkBox"/></interface>\n'})
     == ["ui/a.ui"]),
    ("a desktop file, a schema with a gettext domain and a metainfo file are reported",
     lambda: missing({"data/x.desktop.in": "[Desktop Entry]\nName=X\nType=Application\n",
                      "data/x.gschema.xml": '<schemalist gettext-domain="x"><schema id="x">'
                                            '<key name="k" type="b"><default>true</default>'
                                            '<summary>K</summary></key></schema>'
                                            '</schemalist>\n',
                      "x.metainfo.xml": '<component><name>X</name></component>\n'})
     == ["x.metainfo.xml", "data/x.desktop.in", "data/x.gschema.xml"]),
    ("a schema without a gettext domain has no translatable strings",
     lambda: missing({"data/x.gschema.xml": '<schemalist><schema id="x"><key name="k" '
                                            'type="b"><default>true</default><summary>K'
                                            '</summary></key></schema></schemalist>\n'}) == []),
    ("files outside app/, ui/ and data/ are not scanned",
     lambda: missing({"tests/test-x.c": C_WITH_STRING, "bench/b.c": C_WITH_STRING}) == []),
    ("a listed file that does not exist is a problem",
     lambda: check_potfiles.check(tree({}, ["ui/gone.c"]))[0]
     == ["po/POTFILES.in: ui/gone.c does not exist"]),
    ("comments and [type: …] prefixes in POTFILES.in are understood",
     lambda: missing({"ui/a.ui": '<interface><property translatable="yes">A</property>'
                                 '</interface>\n'},
                     ["# a comment", "[type: gettext/glade]ui/a.ui"]) == []),
]


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.join(HERE, "..")
    print(f"1..{len(CASES) + 1}")
    problems, _ = check_potfiles.check(root)
    for problem in problems:
        print(f"# {problem}")
    failed = bool(problems)
    print(f"{'not ok' if problems else 'ok'} 1 - po/POTFILES.in lists every file of this tree "
          "with a translatable string")
    for number, (name, case) in enumerate(CASES, start=2):
        passed = case()
        failed = failed or not passed
        print(f"{'ok' if passed else 'not ok'} {number} - {name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
