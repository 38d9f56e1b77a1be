#!/bin/sh
# Runs every suite of Hearth and ends with one line: "N passed, N failed".
#   1. build (Meson, debugoptimized) and the unit tests (Criterion), with the
#      store tests against SQLite and a throwaway PostgreSQL cluster;
#   2. the system tests (Node's test runner, real HTTP) on SQLite;
#   3. the same system tests on PostgreSQL (pg_virtualenv);
#   4. the statistics engine against R (tests/stats/*.sh) and the browser
#      tests (Chromium through playwright-core, axe-core);
#   5. an AddressSanitizer + UndefinedBehaviorSanitizer build running the
#      unit and system suites.
# Exits non-zero if anything failed. Assumes scripts/install-deps.sh ran.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
results=$(mktemp)
logdir=${HEARTH_TEST_LOGS:-$(mktemp -d)}
mkdir -p "$logdir"
trap 'rm -f "$results"' EXIT

note() { printf '\n== %s\n' "$*"; }

# record SUITE PASSED FAILED
record() { echo "$1 $2 $3" >> "$results"; printf '   %s: %s passed, %s failed\n' "$1" "$2" "$3"; }

build() { # build DIR [meson options...]
	dir=$1; shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$logdir/setup-$(basename "$dir").log" 2>&1 ||
			{ cat "$logdir/setup-$(basename "$dir").log"; return 1; }
	fi
	ninja -C "$dir" >"$logdir/ninja-$(basename "$dir").log" 2>&1 ||
		{ cat "$logdir/ninja-$(basename "$dir").log"; return 1; }
}

# Runs the unit tests of a build (tests/unit/run.sh), inside a throwaway
# PostgreSQL cluster when asked, and records its last line's counts.
run_unit() { # run_unit SUITE BUILD_DIR [pg]
	suite=$1 dir=$2 out="$logdir/$1.log"
	if [ "${3:-}" = pg ]; then
		pg_virtualenv -t sh -c "HEARTH_TEST_PG_URL=\"$pg_url\" sh tests/unit/run.sh '$dir' '$logdir'" >"$out" 2>&1
	else
		sh tests/unit/run.sh "$dir" "$logdir" >"$out" 2>&1
	fi
	status=$?
	grep -v '^unit:' "$out" | grep -v -E '^(Creating|Dropping|Starting|Stopping|Ver |[0-9]+ +[a-z]+ +[0-9]+ )' | sed 's/^/   /'
	line=$(grep '^unit:' "$out" | tail -1)
	p=$(echo "$line" | sed -n 's/unit: \([0-9]*\) passed.*/\1/p'); p=${p:-0}
	f=$(echo "$line" | sed -n 's/.*, \([0-9]*\) failed/\1/p'); f=${f:-1}
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; tail -20 "$out"; fi
	record "$suite" "$p" "$f"
}

# Records the counts of a TAP log ("# pass N", "# fail N"); a command that
# failed without a failing test counts as one failure.
count_tap() { # count_tap SUITE LOG STATUS
	suite=$1 out=$2 status=$3
	p=$(grep -E '^# pass [0-9]+' "$out" | tail -1 | awk '{print $3}')
	f=$(grep -E '^# fail [0-9]+' "$out" | tail -1 | awk '{print $3}')
	p=${p:-0} f=${f:-0}
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	if [ "$f" -gt 0 ]; then
		echo "   $suite failures:"; grep -B2 -A25 '^not ok' "$out" | head -150
		[ "$p" -eq 0 ] && tail -40 "$out"
	fi
	record "$suite" "$p" "$f"
}

# Runs a test script that prints TAP, with extra environment settings.
run_tap() { # run_tap SUITE SCRIPT [env...]
	suite=$1 script=$2; shift 2
	env "$@" sh "$script" >"$logdir/$suite.log" 2>&1
	count_tap "$suite" "$logdir/$suite.log" $?
}

# pg_virtualenv makes a throwaway PostgreSQL cluster for one command.
pg_url='postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE'

note "build"
if ! build build --buildtype=debugoptimized; then
	record build 0 1
else
	record build 1 0
	note "unit tests (SQLite and PostgreSQL)"
	run_unit unit build pg

	note "system tests on SQLite"
	statements="$logdir/statements.log"
	rm -f "$statements"
	run_tap system-sqlite tests/system/run.sh HEARTH_BIN="$root/build/hearth" \
		HEARTH_SQL_LOG="$statements"

	note "query plans: every statement the system tests, the demo and the generator ran reaches large tables by index"
	plandb="$logdir/plans.db"
	rm -f "$plandb"* "$logdir/demo.db"*
	# The plans are asked of a generated network (the shape bench/ loads).
	if HEARTH_SQL_LOG="$statements" build/hearth --database "$logdir/demo.db" demo >/dev/null 2>&1 &&
	   HEARTH_SQL_LOG="$statements" build/hearth --database "$plandb" gen --groups 20 --members 2000 \
		--months 3 --seed 1 >/dev/null 2>&1; then
		build/tests/plans/plan_check "$plandb" "$statements" tests/plans/rules.txt \
			>"$logdir/plans.log" 2>&1
		count_tap plans "$logdir/plans.log" $?
	else
		record plans 0 1
	fi

	note "system tests on PostgreSQL"
	pg_virtualenv -t sh -c "HEARTH_TEST_PG=1 HEARTH_BIN='$root/build/hearth' sh tests/system/run.sh" \
		>"$logdir/system-postgres.log" 2>&1
	count_tap system-postgres "$logdir/system-postgres.log" $?

	note "statistics against R"
	for script in tests/stats/*.sh; do
		[ -f "$script" ] || continue
		run_tap "stats-$(basename "$script" .sh)" "$script" HEARTH_BUILD="$root/build"
	done

	note "browser tests (Chromium, axe-core)"
	run_tap browser tests/browser/run.sh HEARTH_BIN="$root/build/hearth"
fi

note "sanitizer build (ASan + UBSan): unit and system tests"
if ! build build-asan --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false; then
	record asan-build 0 1
else
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	run_unit unit-asan build-asan
	run_tap system-asan tests/system/run.sh HEARTH_BIN="$root/build-asan/hearth"
fi

passed=$(awk '{s += $2} END {print s + 0}' "$results")
failed=$(awk '{s += $3} END {print s + 0}' "$results")
echo
echo "logs: $logdir"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
