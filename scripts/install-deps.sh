#!/bin/sh
# Installs what Hearth needs to build, run and test, on Debian 12.
# Only packages that are missing are installed; running it twice is cheap.
# Usage: scripts/install-deps.sh [build|test|bench]   (default: test; test and
# bench each include build)
set -eu

mode="${1:-test}"

build_pkgs="meson ninja-build pkg-config gcc libc6-dev
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev
  libinih-dev libical-dev libcmark-dev libcurl4-openssl-dev libgsl-dev tzdata"
test_pkgs="libcriterion-dev chromium postgresql postgresql-common sqlite3
  r-base-core r-cran-psych python3"

bench_pkgs="wrk nginx curl postgresql postgresql-common sqlite3 r-base-core python3"

pkgs="$build_pkgs"
[ "$mode" = test ] && pkgs="$pkgs $test_pkgs"
[ "$mode" = bench ] && pkgs="$pkgs $bench_pkgs"

missing=""
for p in $pkgs; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done

# Node.js may come from Debian or from elsewhere (its own npm inside); only
# ask Debian for it when the commands are missing.
if [ "$mode" = test ] || [ "$mode" = bench ]; then
	command -v node >/dev/null 2>&1 || missing="$missing nodejs"
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi

if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	# shellcheck disable=SC2086
	$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ "$mode" = test ]; then
	here=$(cd "$(dirname "$0")/.." && pwd)
	if [ ! -d "$here/tests/browser/node_modules" ] ||
	   [ "$here/tests/browser/package-lock.json" -nt "$here/tests/browser/node_modules/.installed" ]; then
		echo "install-deps: installing npm packages for the browser tests"
		(cd "$here/tests/browser" && npm ci --no-audit --no-fund --loglevel=error &&
		 touch node_modules/.installed)
	fi
fi
