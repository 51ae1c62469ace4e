#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-install.sh MESON BUILD_DIR VERSION
#
# `meson install --destdir` into a temporary folder gives a working application: every file a
# desktop needs is there, and the installed programs, run with XDG_DATA_DIRS pointing into
# the staged tree, find their settings schema, plans and Welsh translation there. TAP output.
set -uo pipefail

meson=$1
build=$2
version=$3
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check () { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }

echo "1..15"

if ! "$meson" install -C "$build" --destdir "$stage" --no-rebuild --quiet > "$stage.log" 2>&1; then
  sed 's/^/# /' "$stage.log"
  rm -f "$stage.log"
  echo "Bail out! meson install failed"
  exit 1
fi
rm -f "$stage.log"
ok "meson install --destdir succeeds"

# The prefix is whatever the build was configured with; find it under the stage.
bin=$(dirname "$(find "$stage" -path '*/bin/family-outcomes' -type f | head -1)")
prefix=$(dirname "$bin")
share=$prefix/share
id=com.example.FamilyOutcomes

check "both programs are installed" test -x "$bin/family-outcomes" -a -x "$bin/family-outcomes-cli"
check "the desktop file is installed, with its Welsh name" \
  grep -qx "Name\[cy\]=Canlyniadau Teuluoedd" "$share/applications/$id.desktop"
check "the metainfo is installed, with its Welsh summary" \
  grep -q '<summary xml:lang="cy">' "$share/metainfo/$id.metainfo.xml"
check "the scalable app icon is installed" test -s "$share/icons/hicolor/scalable/apps/$id.svg"
check "the symbolic app icon is installed" \
  test -s "$share/icons/hicolor/symbolic/apps/$id-symbolic.svg"
check "the settings schema is installed" test -s "$share/glib-2.0/schemas/$id.gschema.xml"
check "the Welsh catalogue is installed" test -s "$share/locale/cy/LC_MESSAGES/family-outcomes.mo"
check "the user guide is installed" test -s "$share/help/C/family-outcomes/index.page"
check "the plans are installed" test -s "$share/family-outcomes/plans/herts.json"

# meson leaves the schema cache to the package manager when DESTDIR is set; do what its
# post-install step does for a real prefix.
check "the installed schema compiles" \
  glib-compile-schemas --strict "$share/glib-2.0/schemas"

export XDG_DATA_DIRS="$share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export GSETTINGS_BACKEND=memory
unset FO_PLANS_DIR GSETTINGS_SCHEMA_DIR
# Away from the source tree, so that ./plans cannot stand in for the installed plans.
cd "$stage" || exit 1

check "the installed GUI starts far enough to print its version" \
  test "$("$bin/family-outcomes" --version 2>&1)" = "family-outcomes $version"
demo () {
  "$bin/family-outcomes-cli" demo --db "$stage/demo.db" --families 5 --seed 1 \
    --as-of 2026-11-01 > /dev/null
}
check "the installed command line builds a demo database from the staged plans" demo
help=$(LANGUAGE=cy LC_ALL=C.UTF-8 "$bin/family-outcomes" --help 2>&1)
check "the installed GUI speaks Welsh from the staged catalogue under LANGUAGE=cy" \
  grep -q "Agor y gronfa ddata hon" <<< "$help"
help=$(LANGUAGE= LC_ALL=C.UTF-8 "$bin/family-outcomes" --help 2>&1)
check "and English without it" grep -q "Open this database" <<< "$help"

exit $failed
