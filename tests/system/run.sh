#!/bin/sh
# run.sh - runs the Hearth system tests (tests/system/*.test.mjs) with Node's
# built-in test runner, from any directory. The environment passes through:
#   HEARTH_BIN=/path/to/hearth   the binary to test (default: build/hearth)
#   HEARTH_TEST_PG=1             use PostgreSQL (run under pg_virtualenv)
# Exits with node's status.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 1
exec node --test --test-reporter=tap --test-concurrency=2 "$here"/*.test.mjs
