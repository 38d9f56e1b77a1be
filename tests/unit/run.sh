#!/bin/sh
# Runs every Criterion unit-test binary of a build directory and ends with
# "unit: N passed, N failed". Usage: tests/unit/run.sh BUILD_DIR [LOG_DIR]
# The store tests also run against PostgreSQL when HEARTH_TEST_PG_URL is set.
set -u
dir=$1
logdir=${2:-$(mktemp -d)}
mkdir -p "$logdir"
pass=0 fail=0
for t in "$dir"/tests/unit/test_*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	name=$(basename "$t")
	out="$logdir/unit-$name.log"
	"$t" --jobs 2 >"$out" 2>&1
	status=$?
	line=$(grep 'Synthesis:' "$out" | tail -1)
	p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
	c=$(echo "$line" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
	p=${p:-0} f=${f:-0} c=${c:-0}
	if [ -z "$line" ] || { [ "$status" -ne 0 ] && [ $((f + c)) -eq 0 ]; }; then
		c=$((c + 1))   # it died before reporting
	fi
	if [ $((f + c)) -gt 0 ]; then
		echo "$name failed:"
		grep -E '\[FAIL\]|\[----\]|Synthesis|ERROR|runtime error|Sanitizer' "$out" | head -40
	fi
	echo "  $name: $p passed, $((f + c)) failed"
	pass=$((pass + p)) fail=$((fail + f + c))
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
