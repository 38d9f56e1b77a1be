#!/bin/sh
# Starts Hearth on the demo network (`make run`). The first time, when the
# database does not exist yet, `hearth demo` creates it and its printed
# logins are kept in demo-login.txt beside it, readable only by you.
# Usage: scripts/demo.sh HEARTH_BINARY DATABASE LISTEN
set -eu
hearth="$1" db="$2" listen="$3"
dir=$(dirname "$db")
mkdir -p "$dir"
login="$dir/demo-login.txt"
if [ ! -f "$db" ]; then
	echo "Creating the demo network in $db ..."
	umask 077
	"$hearth" --database "$db" demo > "$login.new"
	chmod 600 "$login.new"
	mv "$login.new" "$login"
fi
"$hearth" --database "$db" migrate >/dev/null
echo
echo "  Hearth is starting: open http://$listen/ in your browser."
if [ -f "$login" ] && grep -q '^Log in as:' "$login"; then
	sed -n '/^Log in as:/,/^  member /p' "$login" | sed 's/^/  /'
	echo "  (kept in $login; delete $db to make a fresh demo network)."
elif [ -f "$login" ]; then
	# A database made before `hearth demo` existed: its administrator.
	grep -E 'email:|password:' "$login" | sed 's/^ */    /'
	echo "  (delete $db to make the demo network with a login for each role)."
else
	echo "  The logins were printed when $db was made; delete it to make a fresh one."
fi
echo "  Stop with Ctrl-C."
echo
exec "$hearth" --database "$db" serve --listen "$listen"
