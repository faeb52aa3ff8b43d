#!/usr/bin/env bash
# Smoke test of the station build, run offscreen in an empty folder: init --demo, a packing
# slip, a ZPL label and the window with every tab and the style sheet.
# Usage: bash packaging/smoke_bundle.sh build/dist/prepdesk/prepdesk
set -euo pipefail
exe="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export QT_QPA_PLATFORM=offscreen PREPDESK_SOUND=off
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state"
db="sqlite:///$work/smoke.db"

"$exe" --help >/dev/null
"$exe" --db "$db" init --demo >init.txt
# awk reads to the end (no early exit): the program must not meet a closed pipe
first_acme='$1 == "ACME" && !found { print $2; found = 1 }'
order="$("$exe" --db "$db" order list | awk "$first_acme")"
sku="$("$exe" --db "$db" stock | awk "$first_acme")"
test -n "$order" && test -n "$sku" || { echo "bundle smoke: no ACME order or product after init --demo" >&2; exit 1; }
"$exe" --db "$db" print slip "$order" --client ACME --out slip.pdf
head -c 5 slip.pdf | grep -q '%PDF-' || { echo "bundle smoke: slip.pdf is not a PDF" >&2; exit 1; }
"$exe" --db "$db" print labels "$sku" --client ACME --count 1 --format zpl --out label.zpl
grep -q '^\^XA' label.zpl || { echo "bundle smoke: label.zpl is not ZPL" >&2; exit 1; }
"$exe" --db "$db" --smoke-test-window
echo "bundle smoke test passed: slip for $order, ZPL label for $sku; size $(du -sh "$(dirname "$exe")" | cut -f1)"
