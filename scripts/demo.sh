#!/bin/sh
# Starts Hearth on a demo database, creating it (with an administrator whose
# password is kept in var/demo-login.txt) the first time.
# Usage: scripts/demo.sh HEARTH_BINARY DATABASE LISTEN
set -eu
hearth="$1" db="$2" listen="$3"
dir=$(dirname "$db")
mkdir -p "$dir"
login="$dir/demo-login.txt"
if [ ! -f "$db" ]; then
	umask 077
	"$hearth" --database "$db" init --admin-email admin@example.org --admin-name "Alex (admin)" > "$login"
fi
"$hearth" --database "$db" migrate >/dev/null
echo
echo "  Hearth is starting on http://$listen/"
echo "  Log in as:"
grep -E 'email:|password:' "$login" | sed 's/^ */    /'
echo "  (kept in $login; delete $db to start again). Stop with Ctrl-C."
echo
exec "$hearth" --database "$db" serve --listen "$listen"
