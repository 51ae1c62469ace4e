#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-ui-test.sh APP CLI SOURCE_DIR SCHEMA_DIR
#
# Runs the application on a virtual X screen with a private D-Bus session and accessibility
# bus, on a fresh demo database, and drives it through the accessibility tree with
# test-ui.py, as a screen-reader user would. Prints TAP. Exits 77 (skipped) when the tools
# are missing, so a developer without them can still run the other tests.
set -u
app=$1 cli=$2 source_dir=$3 schema_dir=$4
python=/usr/bin/python3
launcher=/usr/libexec/at-spi-bus-launcher

for tool in Xvfb dbus-daemon gdbus "$launcher"; do
  command -v "$tool" > /dev/null || { echo "1..0 # SKIP $tool is not installed"; exit 77; }
done
"$python" -c 'import pyatspi' 2> /dev/null || { echo "1..0 # SKIP python3-pyatspi is not installed"; exit 77; }

work=$(mktemp -d)
chmod 700 "$work"
pids=()
cleanup () {
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pkill -TERM -P "${pids[i]}" 2> /dev/null
    kill -TERM "${pids[i]}" 2> /dev/null
  done
  wait 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT

wait_until () {
  local deadline=$((SECONDS + $1)); shift
  until "$@" > /dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.1
  done
}

# The database: invented families, and the one whose verdict a new Star reading changes.
today=$(date +%Y-%m-%d)
"$cli" demo --db "$work/demo.db" --families 30 --plan herts,cbc --seed 11 --as-of "$today" \
  --plans-dir "$source_dir/plans" > /dev/null || { echo "Bail out! demo database"; exit 1; }
"$python" "$source_dir/tests/ui/pick-family.py" "$cli" "$work/demo.db" "$source_dir/plans" \
  "$today" > "$work/pick.json" || { echo "Bail out! no family to test with"; exit 1; }

Xvfb -displayfd 5 -screen 0 1280x800x24 -nolisten tcp 5> "$work/display" 2> "$work/xvfb.log" &
pids+=($!)
wait_until 15 test -s "$work/display" || { echo "Bail out! Xvfb did not start"; exit 1; }
export DISPLAY=":$(head -1 "$work/display")"

export XDG_RUNTIME_DIR=$work
dbus-daemon --session --nofork --address="unix:path=$work/bus" --print-address=6 \
  6> "$work/bus-address" 2> "$work/dbus.log" &
pids+=($!)
wait_until 15 test -s "$work/bus-address" || { echo "Bail out! dbus-daemon did not start"; exit 1; }
export DBUS_SESSION_BUS_ADDRESS=$(head -1 "$work/bus-address")

"$launcher" --launch-immediately --a11y=1 > "$work/atspi.log" 2>&1 &
pids+=($!)
a11y_address () {
  gdbus call --session --timeout 2 --dest org.a11y.Bus --object-path /org/a11y/bus \
    --method org.a11y.Bus.GetAddress
}
wait_until 15 a11y_address || { echo "Bail out! the accessibility bus did not start"; exit 1; }
export AT_SPI_BUS_ADDRESS=$(a11y_address | sed -E "s/^\('(.*)',\)$/\1/")

export GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=atspi NO_AT_BRIDGE=0
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$schema_dir GTK_USE_PORTAL=0
export FO_PLANS_DIR=$source_dir/plans LANGUAGE=C
"$app" --db "$work/demo.db" > "$work/app.log" 2>&1 &
pids+=($!)

"$python" "$source_dir/tests/ui/test-ui.py" "$work/pick.json"
status=$?
if [ $status -ne 0 ]; then
  echo "# application log:"
  sed 's/^/#   /' "$work/app.log" | grep -v dbind | tail -45
fi
exit $status
