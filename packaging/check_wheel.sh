#!/usr/bin/env bash
# Install the wheel (not editable) into a clean virtual environment in a temporary folder
# and run it from there: --help, init --demo, a list of the command line, and the window
# offscreen (every tab, the style sheet). Usage: bash packaging/check_wheel.sh build/wheel/prepdesk-*.whl
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
wheel="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"${PYTHON:-python3}" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q -c "$root/constraints.txt" "$wheel"
cd "$work"  # far from the checkout: nothing may come from its source folders
export QT_QPA_PLATFORM=offscreen PREPDESK_SOUND=off
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state"
prepdesk="$work/venv/bin/prepdesk"
"$prepdesk" --help | grep -q "Without a command the window opens"
"$prepdesk" --db sqlite:///x.db init --demo >/dev/null
"$prepdesk" --db sqlite:///x.db order list --status back-ordered | grep "Back-ordered" >/dev/null  # (reads to the end: no closed pipe)
"$prepdesk" --db sqlite:///x.db --smoke-test-window
test -x "$work/venv/bin/prepdesk-gui"
echo "wheel check passed: $(basename "$wheel") installed and ran from $work"
