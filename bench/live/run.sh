#!/bin/bash
# bench/live/run.sh - the live room under load, on this machine, loopback
# only.  It builds nothing but its SQLite yardstick: run `make` first.
#
# It creates a throwaway SQLite database with an organiser and VOTERS
# participants whose sessions are written straight into the database (an
# Argon2 sign-in each would take minutes), starts `colead serve`, opens a
# room, and for each scenario adds and opens a fresh single-choice poll and
# runs bench/live/load.js:
#   a  300 participants vote within 10 s while 600 streams watch
#   b  5,000 votes within 10 s while 10,000 streams watch (ulimit -n raised)
#   c  durable votes per second: VOTES_C votes as fast as SOCKETS_C
#      connections send them over HTTP; then VOTES_D votes a round through
#      live_vote_submit() from VOTE_THREADS threads keeping VOTE_INFLIGHT
#      in flight (bench/live/votes.c), taking turns ROUNDS times with
#      SQLite's own batched-commit rate (100 rows per COMMIT, same disk)
# Raw output goes to bench/out/live-*.json and live-c-domain.txt; the
# "Live room" section of bench/results.md is written up from them by hand.
# Every process it started is stopped on exit, even on failure.
#
#   bench/live/run.sh [a] [b] [c]      BUILD=build THREADS=4
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$ROOT"
BENCH_TAG=bench/live
THREADS=${THREADS:-4}	# colead's default (--threads); 16 was used before 2026-11-29
VOTES_C=${VOTES_C:-10000}
SOCKETS_C=${SOCKETS_C:-64}
VOTERS=${VOTERS:-16000}
VOTES_D=${VOTES_D:-40000}
VOTE_THREADS=${VOTE_THREADS:-4}
VOTE_INFLIGHT=${VOTE_INFLIGHT:-1024}
ROUNDS=${ROUNDS:-5}
LIB=$(dirname "$BIN")/libcolead.a
PKGS="libmicrohttpd sqlite3 libpq libsodium jansson zlib md4c-html libxml-2.0 libical xlsxwriter libqrencode libcurl"	# as the Makefile
SCENARIOS=${*:-a b c}
PW='bench organiser password'

need_colead make
need_tools node curl sqlite3 cc pkg-config
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -ge 12000 ] || echo "bench/live: ulimit -n is $(ulimit -n); scenario b needs about 10,200" >&2

bench_tmp bench-live

db="sqlite:$tmp/colead.db"
"$BIN" migrate --db "$db" >/dev/null 2>&1
printf '%s\n' "$PW" | "$BIN" user add org@example.org --name "Bench Organiser" --role organiser \
	--password-stdin --db "$db" >/dev/null
# participants with a known session token each (the database keeps its SHA-256)
node -e '
const crypto = require("node:crypto");
const n = Number(process.argv[1]), now = Math.floor(Date.now() / 1000);
const out = ["BEGIN;"];
for (let i = 0; i < n; i++) {
	const tok = crypto.randomBytes(32).toString("base64url");	/* 43 characters, as colead makes them */
	const h = crypto.createHash("sha256").update(tok).digest("hex");
	out.push(`INSERT INTO people (name, email, created_at) VALUES (${"\x27"}Voter ${i}${"\x27"}, ${"\x27"}voter${i}@example.org${"\x27"}, ${now});`);
	out.push(`INSERT INTO roles (event_id, person_id, role) VALUES ((SELECT MIN(id) FROM events), last_insert_rowid(), ${"\x27"}participant${"\x27"});`);
	out.push(`INSERT INTO sessions (person_id, token_hash, created_at, last_seen) VALUES ((SELECT MAX(id) FROM people), ${"\x27"}${h}${"\x27"}, ${now}, ${now});`);
	console.error(tok);
}
out.push("COMMIT;");
console.log(out.join("\n"));
' "$VOTERS" 2>"$tmp/tokens" | sqlite3 "$tmp/colead.db"
sed 's/^/colead=/' "$tmp/tokens" >"$tmp/sessions"

colead_start serve --db "$db" --threads "$THREADS" --log-level warn
base=$colead_base

jar="$tmp/jar"
csrf() {
	curl -s -b "$jar" -c "$jar" "$base$1" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1
}
t=$(csrf /login)
curl -s -b "$jar" -c "$jar" -o /dev/null -H "Origin: $base" --data-urlencode "_csrf=$t" \
	--data-urlencode email=org@example.org --data-urlencode "password=$PW" "$base/login"
t=$(csrf /live)
loc=$(curl -s -b "$jar" -c "$jar" -o /dev/null -w '%{redirect_url}' -H "Origin: $base" \
	--data-urlencode "_csrf=$t" --data-urlencode "title=Bench keynote" "$base/live")
room=$(echo "$loc" | sed -n 's/.*\/live\/\([0-9]*\)\/moderate$/\1/p')
[ -n "$room" ] || die "could not create a room"

new_poll() {
	local t id
	t=$(csrf "/live/$room/moderate")
	id=$(curl -s -b "$jar" -H "Origin: $base" -H 'Accept: application/json' --data-urlencode "_csrf=$t" \
		--data-urlencode kind=single --data-urlencode "question=Bench $1" \
		--data-urlencode $'options=A\nB\nC\nD' "$base/live/$room/moderate/polls" | sed 's/[^0-9]//g')
	curl -s -b "$jar" -o /dev/null -H "Origin: $base" --data-urlencode "_csrf=$t" \
		--data-urlencode action=open "$base/live/$room/moderate/polls/$id"
	echo "$id"
}

# load.js reads the sessions file from the start: each scenario's voters
# are fresh people, so every vote is a new ballot
run_load() {	# name streams votes seconds workers sockets
	local poll skip
	poll=$(new_poll "$1")
	skip=$2
	tail -n +"$((offset + 1))" "$tmp/sessions" >"$tmp/s-$1"
	offset=$((offset + $3))
	node "$ROOT/bench/live/load.js" --base "$base" --room "$room" --poll "$poll" \
		--sessions "$tmp/s-$1" --streams "$2" --votes "$3" --seconds "$4" --workers "$5" \
		--sockets "$6" --server-pid "$colead_pid" | tee "$OUT/live-$1.json"
}

mkdir -p "$OUT"
offset=0
for s in $SCENARIOS; do
	case $s in
	a) run_load a 600 300 10 1 64 ;;
	b) run_load b 10000 5000 10 2 256 ;;
	c)
		# over HTTP, all votes at once through SOCKETS_C connections
		run_load c 0 "$VOTES_C" 0 1 "$SOCKETS_C"
		# through live_vote_submit(), and SQLite alone (100 rows per
		# COMMIT), taking turns on the same disk
		cc -std=c11 -D_GNU_SOURCE -O2 $(pkg-config --cflags $PKGS) -o "$tmp/votes" \
			"$ROOT/bench/live/votes.c" "$LIB" $(pkg-config --libs $PKGS) -lcsv -lpthread -lm
		mkdir -p "$tmp/c"
		"$tmp/votes" "$tmp/c" "$VOTE_THREADS" "$VOTES_D" "$VOTE_INFLIGHT" "$ROUNDS" 2>/dev/null |
			tee "$OUT/live-c-domain.txt"
		;;
	*) die "unknown scenario '$s'" ;;
	esac
done
echo "bench/live: raw results in $OUT/live-*.json; write them up in $RESULTS"
