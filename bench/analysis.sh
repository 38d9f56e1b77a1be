#!/bin/sh
# analysis.sh - the network's check-in outcomes analysis (DESIGN §8, issue 6):
# `hearth analyse --network` against the same analysis in base R
# (bench/analysis.R) on the same consented check-ins, with the same numbers.
#
# For each generated network (SQLite, var/bench/gen-SIZE.db as bench/run.sh
# makes it, or --database FILE): `hearth migrate` brings it up to date and a
# first, untimed `hearth analyse --network` stores any missing check-in
# scores; sqlite3 exports the consented finished Rosenberg check-ins (one
# row per check-in, the ten answers as columns) and the group tags as CSV;
# then, RUNS times each:
#   hearth  `hearth analyse --network --by tag,period --json`: both splits
#           from one reading of the database, end to end (process start to
#           exit), as R does both in one run;
#   R       analysis.R: reading the two CSV files ("read"), and the same
#           figures by tag and by period with the data in memory ("analysis").
# The median of the runs is reported. Every figure hearth shows is checked
# against R's: counts exactly, the rest to 1e-9 relative; a disagreement
# fails the script. The rows are appended to bench/RESULTS.md.
#
#   bench/analysis.sh [--sizes 100000,1000000] [--database FILE] [--runs N]
#   bench/analysis.sh --database FILE --check
#
# --check runs once, appends nothing, and prints the agreement as TAP (a line
# per row of figures, "# pass N", "# fail N"): tests/stats/network.sh runs
# it on a small generated network as part of `make test`.
#
# Needs a built hearth (build/hearth, or HEARTH_BIN), sqlite3, Rscript and
# python3. `make bench` runs it after the load benchmarks.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
hearth=${HEARTH_BIN:-$root/build/hearth}
sizes=100000,1000000
database=
runs=3
check=
while [ $# -gt 0 ]; do
	case "$1" in
	--sizes) sizes=$2; shift 2 ;;
	--database) database=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--check) check=1; runs=1; shift ;;
	*) echo "analysis: unknown option $1 (--sizes LIST, --database FILE, --runs N)" >&2; exit 2 ;;
	esac
done
case "$runs" in ''|*[!0-9]*|0) echo "analysis: --runs needs a whole number from 1" >&2; exit 2 ;; esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
results="$root/bench/RESULTS.md"
rows="$work/rows.md"
: > "$rows"

now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The consented finished Rosenberg check-ins, as hearth's network figures
# count them (take_part and network_reports consent), and the group tags.
export_csv() { # export_csv DATABASE
	sqlite3 -readonly -csv -header "$1" > "$work/answers.csv" <<'SQL'
SELECT c.person_id, c.group_id, c.id AS checkin_id, c.finished_at,
  MAX(CASE WHEN a.item_id = 'rse1' THEN a.value END) AS rse1,
  MAX(CASE WHEN a.item_id = 'rse2' THEN a.value END) AS rse2,
  MAX(CASE WHEN a.item_id = 'rse3' THEN a.value END) AS rse3,
  MAX(CASE WHEN a.item_id = 'rse4' THEN a.value END) AS rse4,
  MAX(CASE WHEN a.item_id = 'rse5' THEN a.value END) AS rse5,
  MAX(CASE WHEN a.item_id = 'rse6' THEN a.value END) AS rse6,
  MAX(CASE WHEN a.item_id = 'rse7' THEN a.value END) AS rse7,
  MAX(CASE WHEN a.item_id = 'rse8' THEN a.value END) AS rse8,
  MAX(CASE WHEN a.item_id = 'rse9' THEN a.value END) AS rse9,
  MAX(CASE WHEN a.item_id = 'rse10' THEN a.value END) AS rse10
FROM checkin c JOIN checkin_consent k ON k.person_id = c.person_id
JOIN checkin_answer a ON a.checkin_id = c.id
WHERE c.instrument_id = 'rosenberg-self-esteem' AND c.finished_at IS NOT NULL
  AND k.take_part = 1 AND k.network_reports = 1
GROUP BY c.id;
SQL
	sqlite3 -readonly -csv -header "$1" \
		"SELECT gt.group_id, t.name AS tag FROM group_tag gt JOIN tag t ON t.id = gt.tag_id" \
		> "$work/tags.csv"
}

hearth_once() { # hearth_once DATABASE -> seconds for both splits
	t0=$(now)
	"$hearth" --database "$1" analyse --network --by tag,period --json > "$work/hearth.json"
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

# Every figure hearth shows against R's; prints "FIGURES DISAGREEMENTS",
# each disagreement on stderr, and a TAP line per row of figures in
# $work/compare.tap.
compare() {
	python3 - "$work/r.csv" "$work/hearth.json" "$work/compare.tap" <<'PY'
import csv, json, sys
r_rows = list(csv.DictReader(open(sys.argv[1])))
def scale(doc):
    return next(s for s in doc["scales"] if s["instrument_id"] == "rosenberg-self-esteem")
hearth = {doc["by"]: scale(doc) for doc in json.load(open(sys.argv[2]))["splits"]}
def num(v):
    v = v.strip()
    return None if v in ("NA", "NaN", "") else float(v)
def differences(row):
    """(figures compared, what disagreed) for one of R's rows."""
    split = row["split"]
    s = hearth["tag" if split == "all" else split]
    h = s["all"] if split == "all" else next((x for x in s["rows"] if x["label"] == row["label"]), None)
    if h is None:
        return 1, ["hearth has no such row"]
    pairs = []   # (what, hearth, R, exact)
    if h["n"] is not None:
        pairs.append(("n", h["n"], int(num(row["n"])), True))
    if not h["hidden"]:
        t, w = h["change"]["t_test"], h["change"]["wilcoxon"]
        for key, hv in (("baseline_mean", h["baseline_mean"]), ("latest_mean", h["latest_mean"]),
                        ("mean_change", t["mean"]), ("ci_lo", t["ci_lo"]), ("ci_hi", t["ci_hi"]),
                        ("t", t["t"]), ("df", t["df"]), ("p", t["p"]),
                        ("wilcoxon_v", w["v"]), ("wilcoxon_p", w["p"])):
            pairs.append((key, hv, num(row[key]), False))
        for key, rkey in (("improved", "improved"), ("no_reliable_change", "no_change"), ("worse", "worse")):
            if h[key] is not None:
                pairs.append((key, h[key], int(num(row[rkey])), True))
    bad = [f"{what}: hearth {hv!r}, R {rv!r}" for what, hv, rv, exact in pairs
           if not (hv == rv if exact else hv is not None and rv is not None
                   and abs(hv - rv) <= 1e-9 * max(abs(hv), abs(rv)))]
    return len(pairs), bad
checked = failed = 0
with open(sys.argv[3], "w") as tap:
    for number, row in enumerate(r_rows, 1):
        n, bad = differences(row)
        checked += n
        failed += len(bad)
        print(f"{'not ok' if bad else 'ok'} {number} - {row['split']} {row['label']}: {n} figures", file=tap)
        for b in bad:
            print(f"#   {b}", file=tap)
            print(f"  disagree: {row['split']} {row['label']}: {b}", file=sys.stderr)
    print(f"1..{len(r_rows)}", file=tap)
print(checked, failed)
PY
}

bench_database() { # bench_database LABEL DATABASE
	label=$1 db=$2
	[ -n "$check" ] || echo "== $label: $db"
	"$hearth" --database "$db" migrate > /dev/null
	"$hearth" --database "$db" analyse --network > /dev/null   # stores missing scores, once
	export_csv "$db"
	checkins=$(($(wc -l < "$work/answers.csv") - 1))
	: > "$work/hearth.times"; : > "$work/r.all"
	i=0
	while [ "$i" -lt "$runs" ]; do
		hearth_once "$db" >> "$work/hearth.times"
		Rscript "$root/bench/analysis.R" "$work/answers.csv" "$work/tags.csv" "$work/r.csv" > "$work/r.out"
		cat "$work/r.out" >> "$work/r.all"
		i=$((i + 1))
	done
	grep '^read ' "$work/r.all" | awk '{ print $2 }' > "$work/r_read.times"
	grep '^analysis ' "$work/r.all" | awk '{ print $2 }' > "$work/r_analysis.times"
	rm -f "$work/r.all"
	h=$(median < "$work/hearth.times")
	rr=$(median < "$work/r_read.times")
	ra=$(median < "$work/r_analysis.times")
	set -- $(compare)
	figures=$1 disagree=$2
	if [ -n "$check" ]; then
		cat "$work/compare.tap"
		echo "# pass $(grep -c '^ok' "$work/compare.tap")"
		echo "# fail $(grep -c '^not ok' "$work/compare.tap")"
		[ "$disagree" = 0 ]
		return
	fi
	ratio=$(awk -v r="$ra" -v h="$h" 'BEGIN { printf "%.1f", r / h }')
	ratio_read=$(awk -v r="$ra" -v x="$rr" -v h="$h" 'BEGIN { printf "%.1f", (r + x) / h }')
	echo "   hearth ${h} s (tag + period, from the database); R ${ra} s analysis, ${rr} s reading the CSV"
	echo "   R / hearth: ${ratio}x (analysis only), ${ratio_read}x (with reading); $figures figures compared, $disagree disagree"
	echo "| $label | $checkins | $h | $ra | $rr | $ratio | $ratio_read | $figures, $disagree disagree |" >> "$rows"
	[ "$disagree" = 0 ]
}

status=0
if [ -n "$check" ]; then
	[ -n "$database" ] || { echo "analysis: --check needs --database FILE" >&2; exit 2; }
	bench_database "$(basename "$database")" "$database"
	exit
elif [ -n "$database" ]; then
	bench_database "$(basename "$database")" "$database" || status=1
else
	for size in $(echo "$sizes" | tr , ' '); do
		db="$root/var/bench/gen-$size.db"
		if [ ! -f "$db.done" ]; then
			echo "analysis: $db is not there: make it with bench/run.sh --sizes $size --backends sqlite" \
			     "(or hearth gen), or give --database FILE" >&2
			exit 1
		fi
		bench_database "$size members" "$db" || status=1
	done
fi

{
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$root" rev-parse --short HEAD), network outcomes analysis"
	echo
	echo "Machine: $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB, $(uname -sr)."
	echo "Command: \`bench/analysis.sh $( [ -n "$database" ] && echo "--database $database" || echo "--sizes $sizes") --runs $runs\`"
	echo "(medians of $runs runs; hearth: \`hearth analyse --network --by tag,period --json\`, both splits end to end"
	echo "from SQLite; R $(Rscript -e 'cat(R.version$major, R.version$minor, sep = ".")' 2>/dev/null): bench/analysis.R, both splits, with the data in memory, and reading the CSV)."
	echo
	echo "| network | check-ins | hearth s | R analysis s | R reading s | R / hearth | R with reading / hearth | figures checked |"
	echo "|---|---|---|---|---|---|---|---|"
	cat "$rows"
} >> "$results"
exit $status
