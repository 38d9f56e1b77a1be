#!/bin/sh
# network.sh - the network's check-in figures (`hearth analyse --network`,
# src/app/outcome.c) against the same analysis in base R (bench/analysis.R)
# on a small generated network, printing TAP ("ok N - ...", "# pass N",
# "# fail N").
#
#   sh tests/stats/network.sh BUILD_DIR
#   HEARTH_BUILD=BUILD_DIR sh tests/stats/network.sh    (as tests/run-all.sh runs it)
#
# `hearth gen` makes 3,000 members in 30 groups (seed 1; its bulk-loaded
# check-ins get their scores from checkin_scores_fill), then
# bench/analysis.sh --check compares every figure hearth shows, for all
# groups, by tag and by quarter: counts exactly, the rest to 1e-9 relative.
set -u
build=${1:-${HEARTH_BUILD:?usage: sh tests/stats/network.sh BUILD_DIR}}
here=$(cd "$(dirname "$0")" && pwd)
hearth="$build/hearth"
fail() { echo "not ok 1 - $1"; echo "# pass 0"; echo "# fail 1"; exit 1; }
[ -x "$hearth" ] || fail "$hearth is not built"
command -v Rscript >/dev/null || fail "Rscript is not installed"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$hearth" --database "$work/network.db" gen --groups 30 --members 3000 --months 12 --seed 1 \
	> "$work/gen.log" 2>&1 || fail "hearth gen failed: $(tail -1 "$work/gen.log")"
HEARTH_BIN="$hearth" sh "$here/../../bench/analysis.sh" --database "$work/network.db" --check
