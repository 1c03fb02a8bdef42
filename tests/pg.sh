#!/bin/sh
# pg.sh - a throwaway PostgreSQL server for the test suite.  It is for tests
# only: fsync is off, authentication is "trust" on 127.0.0.1, and stop throws
# the whole data directory away.  Never point it at a real cluster.
#
#   eval "$(tests/pg.sh start)"   start one; prints COLEAD_TEST_PG and
#                                 COLEAD_PG_DIR as shell export lines
#   tests/pg.sh stop              stop the one named by COLEAD_PG_DIR, remove it
#   tests/pg.sh status            say whether it is running
#
# Run as root, the server runs as the `postgres` system user (created if
# missing); otherwise as the current user.  Everything but the export lines
# goes to stderr, so `eval` sees only those.
set -eu

MARKER=.colead-pg	# in every directory this script made; stop removes only those

say() {
	printf 'pg.sh: %s\n' "$*" >&2
}

die() {
	say "$*"
	exit 1
}

# Find the directory holding initdb, pg_ctl and postgres.
find_bindir() {
	if [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/initdb" ]; then
		echo "$PG_BINDIR"
		return 0
	fi
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/postgres" ]; then
			echo "$d"
			return 0
		fi
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r) \
	    /usr/local/pgsql/bin /usr/local/bin /usr/bin; do
		if [ -x "$d/initdb" ] && [ -x "$d/postgres" ]; then
			echo "$d"
			return 0
		fi
	done
	d=$(command -v initdb 2>/dev/null || true)
	if [ -n "$d" ]; then
		dirname "$d"
		return 0
	fi
	return 1
}

# Run a command as the server's owner: postgres when we are root.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Is something listening on 127.0.0.1:$1?
port_busy() {
	if command -v ss >/dev/null 2>&1; then
		ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
	else
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
	fi
}

# A port in 20000..59999 nobody listens on right now.
pick_port() {
	i=0
	while [ $i -lt 50 ]; do
		p=$(( ( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ) + 20000 ))
		if ! port_busy "$p"; then
			echo "$p"
			return 0
		fi
		i=$((i + 1))
	done
	return 1
}

is_running() {
	[ -n "${1:-}" ] && [ -f "$1/$MARKER" ] && [ -f "$1/data/postmaster.pid" ] &&
	    (cd "$1" && as_owner "$(find_bindir)/pg_ctl" -D "$1/data" status) >/dev/null 2>&1
}

print_exports() {
	printf 'export COLEAD_TEST_PG=postgresql://postgres@127.0.0.1:%s/colead_test\n' "$2"
	printf 'export COLEAD_PG_DIR=%s\n' "$1"
}

cmd_start() {
	# Already started in this shell: say the same again.
	if [ -n "${COLEAD_PG_DIR:-}" ] && is_running "$COLEAD_PG_DIR" &&
	    [ -f "$COLEAD_PG_DIR/port" ]; then
		say "already running in $COLEAD_PG_DIR"
		print_exports "$COLEAD_PG_DIR" "$(cat "$COLEAD_PG_DIR/port")"
		return 0
	fi

	bindir=$(find_bindir) || die "no PostgreSQL server binaries found (install postgresql-15, or set PG_BINDIR)"

	if [ "$(id -u)" = 0 ]; then
		if ! id postgres >/dev/null 2>&1; then
			useradd --system --user-group --home-dir /var/lib/postgresql \
			    --shell /bin/sh postgres ||
			    die "cannot create the 'postgres' user"
		fi
	fi

	# In /tmp, not $TMPDIR: the server's owner must be able to reach it.
	dir=$(mktemp -d /tmp/colead-pg.XXXXXX) || die "cannot make a temporary directory"
	: >"$dir/$MARKER"
	chmod 755 "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$dir" "$dir/$MARKER"
	fi
	# From here on, any failure removes the half-made server.
	trap 'rc=$?; if [ $rc != 0 ]; then
		[ -f "$dir/log" ] && tail -n 30 "$dir/log" >&2
		"$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "$dir"; fi' EXIT

	cd "$dir"	# the owner may not be able to read the caller's directory
	as_owner "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 \
	    --locale=C --auth=trust --no-sync >"$dir/initdb.log" 2>&1 ||
	    { cat "$dir/initdb.log" >&2; die "initdb failed"; }

	# Trust, but only over the socket in this directory and 127.0.0.1.
	as_owner sh -c "cat >'$dir/data/pg_hba.conf'" <<-EOF
	# written by tests/pg.sh: a throwaway test server
	local	all	all			trust
	host	all	all	127.0.0.1/32	trust
	EOF

	tries=0
	while :; do
		port=$(pick_port) || die "no free TCP port found"
		if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
		    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir \
		    -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
		    -c max_connections=100 -c shared_buffers=32MB" \
		    start >/dev/null 2>&1; then
			break
		fi
		tries=$((tries + 1))
		# Another process may have taken the port between check and bind.
		[ $tries -lt 3 ] || die "postgres did not start (log: $dir/log)"
		say "postgres did not start on port $port, trying another"
	done
	echo "$port" >"$dir/port"

	"$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres colead_test ||
	    die "cannot create database colead_test"
	trap - EXIT
	say "PostgreSQL $("$bindir/postgres" --version | sed 's/^[^0-9]*\([0-9.]*\).*/\1/') on 127.0.0.1:$port, data in $dir"
	print_exports "$dir" "$port"
}

cmd_stop() {
	dir=${COLEAD_PG_DIR:-}
	if [ -z "$dir" ]; then
		say "COLEAD_PG_DIR is not set: nothing to stop"
		return 0
	fi
	if [ ! -d "$dir" ]; then
		say "'$dir' is already gone"
		return 0
	fi
	[ -f "$dir/$MARKER" ] || die "'$dir' was not made by tests/pg.sh: not touching it"
	if [ -f "$dir/data/postmaster.pid" ]; then
		bindir=$(find_bindir) || die "no PostgreSQL server binaries found"
		cd "$dir"
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 ||
		    say "pg_ctl stop failed (was it running?)"
	fi
	cd /
	rm -rf "$dir"
	say "stopped and removed $dir"
}

cmd_status() {
	if is_running "${COLEAD_PG_DIR:-}"; then
		say "running in $COLEAD_PG_DIR on port $(cat "$COLEAD_PG_DIR/port")"
		return 0
	fi
	say "not running"
	return 1
}

case "${1:-}" in
start)	cmd_start ;;
stop)	cmd_stop ;;
status)	cmd_status ;;
*)	echo "usage: tests/pg.sh start | stop | status" >&2
	exit 2 ;;
esac
