#!/bin/sh
# Runs Hearth's browser tests (keyboard, axe-core, no JavaScript, reflow,
# screenshots) with Node's test runner, driving Chromium through
# playwright-core. Works from any directory. Needs build/hearth (or
# HEARTH_BIN) and Chromium at /usr/bin/chromium (or CHROMIUM).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
	(cd "$here" && npm ci --no-audit --no-fund)
fi
cd "$repo"
set +e
node --test --test-reporter=tap --test-concurrency=1 tests/browser/*.test.mjs
exit $?
