#!/bin/sh
# run.sh - the benchmarks of DESIGN §8 (issue 6), run by `make bench`.
#
# For each network size and backend: `hearth gen` makes the network (kept in
# var/bench/ between runs for SQLite), `hearth serve` serves it, and wrk puts
# each page under load on loopback: the directory with a text search and
# with a distance search, a group page, the same group as JSON, a member's
# /me page, recording attendance (a write) and, separately, a login (argon2id
# is slow on purpose); last, twice the connection limit for a moment, after
# which a plain GET must succeed. nginx serves the same bytes as the group page from a
# file in the same run: Hearth / nginx is the headline ratio, because
# absolute numbers move from run to run. Resident memory of `hearth serve`
# is read during and after the load. Every run appends its figures, the
# commands, the machine and the date to bench/RESULTS.md.
#
#   bench/run.sh [--sizes 1000,100000,1000000] [--backends sqlite,postgres]
#                [--duration SECONDS] [--connections N]
#
# Needs wrk and nginx (scripts/install-deps.sh bench) and a built hearth.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
hearth="$root/build/hearth"
sizes=1000,100000,1000000
backends=sqlite,postgres
duration=10
connections=64
inside_postgres=
while [ $# -gt 0 ]; do
	case "$1" in
	--inside-postgres) inside_postgres=$2; shift 2 ;;
	--sizes) sizes=$2; shift 2 ;;
	--backends) backends=$2; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--connections) connections=$2; shift 2 ;;
	*) echo "bench: unknown option $1" >&2; exit 2 ;;
	esac
done

work=$(mktemp -d)
cache="$root/var/bench"
mkdir -p "$cache"
results="$root/bench/RESULTS.md"
rows=${BENCH_ROWS:-$work/rows.md}
server_pid= nginx_pid=
cleanup() {
	# wrk's own reports and the server's log, for looking into errors later.
	# (A PostgreSQL run's outer script has neither: they are the inner one's.)
	[ -z "$inside_postgres" ] && cp "$work/wrk.log" "$cache/last-wrk.log" 2>/dev/null || true
	cat "$work"/serve-*.log > "$cache/last-serve${inside_postgres:+-postgres}.log" 2>/dev/null || true
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
	[ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

password=generated-network

free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_healthy() { # wait_healthy URL
	for _ in $(seq 1 200); do
		curl -fs -o /dev/null "$1/healthz" && return 0
		sleep 0.05
	done
	echo "bench: the server did not start" >&2
	return 1
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

# Members per group stay near a real network's: groups = members / 100.
groups_for() { g=$(( $1 / 100 )); [ "$g" -lt 10 ] && g=10; echo "$g"; }

# A wrk Lua script that sends one request with the given method, headers
# and body.
wrk_script() { # wrk_script FILE METHOD BODY HEADER...
	file=$1 method=$2 body=$3; shift 3
	{
		echo "wrk.method = \"$method\""
		[ -n "$body" ] && printf 'wrk.body = [==[%s]==]\n' "$body"
		for h in "$@"; do
			name=${h%%:*} value=${h#*: }
			printf 'wrk.headers["%s"] = [==[%s]==]\n' "$name" "$value"
		done
	} > "$file"
}

# Runs wrk; prints "requests/s p50_ms p99_ms errors".
load() { # load URL SCRIPT [CONNECTIONS]
	c=${3:-$connections}
	out=$(wrk -t2 -c"$c" -d"${duration}s" --latency -s "$2" "$1" 2>&1)
	echo "$out" >> "$work/wrk.log"
	echo "$out" | awk '
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		/Requests\/sec/ { rps = $2 }
		/^ +50%/ { p50 = ms($2) }
		/^ +99%/ { p99 = ms($2) }
		/Non-2xx or 3xx responses/ { err += $NF }
		/Socket errors/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
		END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, err }'
}

row() { # row SIZE BACKEND WHAT "rps p50 p99 errors" [ratio]
	set -- "$1" "$2" "$3" $4 "${5:-}"
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" >> "$rows"
	printf '%10s %-8s %-28s %8s req/s  p50 %6s ms  p99 %6s ms  errors %s %s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8"
}

start_nginx() { # start_nginx DIR PORT
	cat > "$work/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	default_type text/html;
	server {
		listen 127.0.0.1:$2;
		root $1;
		location / { try_files /group.html =404; }
	}
}
EOF
	nginx -c "$work/nginx.conf" -p "$work" &
	nginx_pid=$!
	wait_healthy_nginx "http://127.0.0.1:$2/"
}

wait_healthy_nginx() {
	for _ in $(seq 1 100); do
		curl -fs -o /dev/null "$1" && return 0
		sleep 0.05
	done
	return 1
}

bench_one() { # bench_one SIZE BACKEND DATABASE
	size=$1 backend=$2 database=$3
	port=$(free_port)
	origin="http://127.0.0.1:$port"
	# Every wrk connection comes from 127.0.0.1: the per-address limit (64 by
	# default, a guard against one client holding many connections) would
	# refuse the next run's connections while the last run's are closing.
	printf '[server]\nper_address_limit = %d\n' $((connections * 4)) > "$work/bench.ini"
	# A connection limit the overload phase below can reach: twice it.
	printf 'connection_limit = %d\n' $((connections * 2)) >> "$work/bench.ini"
	"$hearth" --config "$work/bench.ini" --database "$database" serve --listen "127.0.0.1:$port" \
		--quiet 2>"$work/serve-$size.log" &
	server_pid=$!
	wait_healthy "$origin"
	eval "$(node "$root/bench/prepare.mjs" "$origin" "$password")"

	# The same bytes as the group page, for nginx.
	mkdir -p "$work/www"
	curl -fs "$origin$GROUP_PATH" -o "$work/www/group.html"
	chmod 755 "$work" "$work/www"   # nginx's workers run as www-data
	chmod 644 "$work/www/group.html"
	nginx_port=$(free_port)
	start_nginx "$work/www" "$nginx_port"

	wrk_script "$work/get.lua" GET ""
	wrk_script "$work/get_signed_in.lua" GET "" "Cookie: $COOKIE"
	wrk_script "$work/get_json.lua" GET "" "Accept: application/json"
	wrk_script "$work/attend.lua" POST \
		"{\"attendance\": [{\"person_id\": \"$PERSON_ID\", \"status\": \"present\"}]}" \
		"Cookie: $COOKIE" "Origin: $origin" "Content-Type: application/json"
	wrk_script "$work/login.lua" POST "$LOGIN_BODY" "Origin: $origin" "Content-Type: application/json"

	nginx_result=$(load "http://127.0.0.1:$nginx_port/" "$work/get.lua")
	nginx_rps=${nginx_result%% *}
	row "$size" "$backend" "nginx: group page bytes" "$nginx_result"
	ratio() { awk -v a="${1%% *}" -v b="$nginx_rps" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }

	r=$(load "$origin$GROUP_PATH" "$work/get.lua"); row "$size" "$backend" "group page" "$r" "$(ratio "$r")"
	r=$(load "$origin/groups?q=wellbeing" "$work/get.lua"); row "$size" "$backend" "directory, text search" "$r" "$(ratio "$r")"
	r=$(load "$origin/groups?near=$NEAR&radius_km=10&sort=distance" "$work/get.lua")
	row "$size" "$backend" "directory, distance search" "$r" "$(ratio "$r")"
	r=$(load "$origin/api/v1$GROUP_PATH" "$work/get.lua"); row "$size" "$backend" "group as JSON" "$r" "$(ratio "$r")"
	# Signed in, nothing comes from the page cache: what making the page costs.
	r=$(load "$origin$GROUP_PATH" "$work/get_signed_in.lua"); row "$size" "$backend" "group page, signed in (made afresh)" "$r" "$(ratio "$r")"
	# The searches' pages are made afresh, but members share the answer
	# (src/app/search_cache.c); fresh_searches below works each one out.
	r=$(load "$origin/groups?q=wellbeing" "$work/get_signed_in.lua"); row "$size" "$backend" "text search, signed in (page made afresh, answer shared)" "$r" "$(ratio "$r")"
	r=$(load "$origin/groups?near=$NEAR&radius_km=10&sort=distance" "$work/get_signed_in.lua")
	row "$size" "$backend" "distance search, signed in (page made afresh, answer shared)" "$r" "$(ratio "$r")"
	r=$(load "$origin/me" "$work/get_signed_in.lua"); row "$size" "$backend" "/me (signed in)" "$r" "$(ratio "$r")"
	# Page sizes beside the 30 KB budget (DESIGN section 8), as person1, a facilitator, sees them.
	for p in "$GROUP_PATH" "$GROUP_PATH/edit" "$GROUP_PATH/organisations" "$GROUP_PATH/members" "$GROUP_PATH/meetings" "$MEETING_PATH" "$MEETING_PATH/attendance" "$MEETING_PATH/roles" /me; do
		echo "| $size | $backend | bytes of $p | $(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $COOKIE" "$origin$p") (budget 30720) | | | | |" >> "$rows"
	done
	rss_during=$(rss_kb "$server_pid")
	# Before the logins: hashes still running after their load would hold
	# the workers and be counted in the page's time.
	outcomes_memory "$size" "$backend" "$origin"
	r=$(load "$origin/api/v1$MEETING_PATH/attendance" "$work/attend.lua" 8)
	row "$size" "$backend" "record attendance (8 conn.)" "$r"
	r=$(load "$origin/api/v1/login" "$work/login.lua" 4); row "$size" "$backend" "login (argon2id, 4 conn.)" "$r"
	hwm=$(hwm_kb "$server_pid")
	sleep 1
	rss_after=$(rss_kb "$server_pid")
	echo "| $size | $backend | resident memory of hearth serve | during $((rss_during / 1024)) MB, peak $((hwm / 1024)) MB, after $((rss_after / 1024)) MB | | | | |" >> "$rows"
	echo "    resident memory: during ${rss_during} kB, peak ${hwm} kB, after ${rss_after} kB"
	overload "$size" "$backend" "$origin$GROUP_PATH"

	kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
	fresh_searches "$size" "$backend" "$database"
	kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=
}

# The signed-in searches again with `search_cache = false`: each answer
# worked out afresh, what a question nobody asked before costs. The same
# session cookie (it lives in the database) and the same nginx figure.
fresh_searches() { # fresh_searches SIZE BACKEND DATABASE
	cp "$work/bench.ini" "$work/fresh.ini"
	echo 'search_cache = false' >> "$work/fresh.ini"
	"$hearth" --config "$work/fresh.ini" --database "$3" serve --listen "127.0.0.1:$port" \
		--quiet 2>>"$work/serve-$1.log" &
	server_pid=$!
	wait_healthy "$origin"
	r=$(load "$origin/groups?q=wellbeing" "$work/get_signed_in.lua"); row "$1" "$2" "text search, signed in (answer worked out afresh)" "$r" "$(ratio "$r")"
	r=$(load "$origin/groups?near=$NEAR&radius_km=10&sort=distance" "$work/get_signed_in.lua")
	row "$1" "$2" "distance search, signed in (answer worked out afresh)" "$r" "$(ratio "$r")"
	kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
}

# The network's check-in figures (/network/outcomes, a coordinator's page,
# by tag then by quarter): how long each takes and the server's peak
# resident memory while making them, the peak counted afresh after the
# login runs above (Linux: writing 5 to clear_refs resets VmHWM).
outcomes_memory() { # outcomes_memory SIZE BACKEND ORIGIN
	echo 5 > "/proc/$server_pid/clear_refs" 2>/dev/null || true
	before=$(rss_kb "$server_pid")
	for by in tag period; do
		t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Cookie: $COORDINATOR_COOKIE" "$3/network/outcomes?by=$by")
		echo "| $1 | $2 | network outcomes by $by (coordinator) | ${t#* } s (HTTP ${t%% *}) | | | | |" >> "$rows"
	done
	peak=$(hwm_kb "$server_pid"); after=$(rss_kb "$server_pid")
	echo "| $1 | $2 | resident memory around the outcomes pages | before $((before / 1024)) MB, peak $((peak / 1024)) MB, after $((after / 1024)) MB | | | | |" >> "$rows"
	echo "    network outcomes: before ${before} kB, peak ${peak} kB, after ${after} kB"
}

# Twice the connection limit for 3 s: the surplus are closed at once (wrk
# counts them as connect/read errors), then one plain GET must answer 200.
overload() { # overload SIZE BACKEND URL
	saved=$duration; duration=3
	r=$(load "$3" "$work/get.lua" $((connections * 4)))
	duration=$saved
	row "$1" "$2" "2x connection limit ($((connections * 4)) conn.)" "$r"
	status=$(curl -s -o /dev/null -w '%{http_code}' "$3")
	echo "| $1 | $2 | after 2x limit: a plain GET | $status ($([ "$status" = 200 ] && echo recovered || echo NOT recovered)) | | | | |" >> "$rows"
	echo "    after twice the connection limit: GET answered $status"
}

generate() { # generate SIZE DATABASE BACKEND
	g=$(groups_for "$1")
	echo "== generating $1 members, $g groups into $3"
	t0=$(date +%s.%N)
	"$hearth" --database "$2" gen --groups "$g" --members "$1" --months 6 --seed 1
	secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
	echo "| $1 | $3 | hearth gen --groups $g --members $1 --months 6 | $secs s | | | | |" >> "$rows"
}

sqlite_database() { # sqlite_database SIZE -> path (generated once, kept)
	db="$cache/gen-$1.db"
	if [ ! -f "$db.done" ]; then
		rm -f "$db" "$db-wal" "$db-shm"
		generate "$1" "$db" sqlite >&2
		touch "$db.done"
	fi
	# A kept database made by an older hearth is brought up to date.
	"$hearth" --database "$db" migrate >&2
	echo "$db"
}

if [ -n "$inside_postgres" ]; then
	url="postgresql://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE"
	generate "$inside_postgres" "$url" postgres
	bench_one "$inside_postgres" postgres "$url"
	exit 0
fi

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB, $(uname -sr)"
for size in $(echo "$sizes" | tr , ' '); do
	for backend in $(echo "$backends" | tr , ' '); do
		echo "== $size members on $backend"
		if [ "$backend" = sqlite ]; then
			bench_one "$size" sqlite "$(sqlite_database "$size")"
		else
			# A throwaway PostgreSQL cluster for this size: the script runs
			# itself inside it (--inside-postgres) and adds its rows here.
			pg_virtualenv -t env BENCH_ROWS="$rows" sh "$0" --inside-postgres "$size" \
				--duration "$duration" --connections "$connections"
		fi
	done
done

{
	echo
	echo "## $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$root" rev-parse --short HEAD)"
	echo
	echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {print int($2/1048576)}' /proc/meminfo) GiB, $(uname -sr)."
	echo "Command: \`bench/run.sh --sizes $sizes --backends $backends --duration $duration --connections $connections\`"
	echo "(wrk -t2 -c$connections -d${duration}s --latency on loopback, hearth serve and nginx on the same 2 cores)."
	echo
	echo "| members | backend | what | req/s | p50 ms | p99 ms | errors | / nginx |"
	echo "|---|---|---|---|---|---|---|---|"
	cat "$rows"
} >> "$results"
echo "== appended to $results"
case ",$backends," in *,sqlite,*) HEARTH_BIN="$hearth" sh "$root/bench/analysis.sh" --sizes "$sizes" ;; esac   # the outcomes analysis against R
