#!/bin/bash
# bench/import.sh - how long the attendee import takes for a large file:
# an organiser uploads a CSV of ROWS people (the check and the preview),
# then confirms it (everything written in one transaction).  It builds
# nothing: run `make` first.
#
# It starts `colead serve` on a throwaway SQLite file (or, with
# COLEAD_TEST_PG set, on a fresh PostgreSQL database in that cluster),
# signs in with curl as a browser would, adds three partnerships, uploads a
# generated file, confirms it, times both requests with curl, and replaces
# the "Attendee import" section of bench/results.md (appending it the first
# time).  Loopback only; every process it started is stopped on exit.
#
#   bench/import.sh                  BUILD=build ROWS=5000 RUNS=3
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
ROWS=${ROWS:-5000}
RUNS=${RUNS:-3}
BIN="$ROOT/$BUILD/colead"
RESULTS="$ROOT/bench/results.md"
START='<!-- import: begin (bench/import.sh) -->'
END='<!-- import: end -->'

die() {
	echo "bench/import: $*" >&2
	exit 1
}

[ -x "$BIN" ] || die "no $BIN: run make first"
command -v curl >/dev/null || die "curl is needed"
tmp=$(mktemp -d /tmp/colead-bench-import-XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# The people file: name, email, partnership, role, job title.
awk -v n="$ROWS" 'BEGIN {
	print "name,email,partnership,role,job title"
	split("Active Northmoor,Active Southvale,Active Eastwick", p, ",")
	for (i = 1; i <= n; i++)
		printf "Person %d,person%d@example.org,%s,participant,Officer %d\n", i, i, p[i % 3 + 1], i
}' >"$tmp/people.csv"

# One import into a fresh database: prints "check_seconds import_seconds".
one_run() {
	local db url port csrf action
	if [ -n "${COLEAD_TEST_PG:-}" ]; then
		db="colead_bench_$$_$1"
		psql "$COLEAD_TEST_PG" -X -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
		url="${COLEAD_TEST_PG%/*}/$db"
	else
		url="sqlite:$tmp/run$1.db"
	fi
	"$BIN" migrate --db "$url" >/dev/null 2>&1
	printf 'bench organiser pw\n' | "$BIN" user add bench@example.org --name "Bench Organiser" \
		--role organiser --password-stdin --db "$url" >/dev/null
	"$BIN" serve --db "$url" --listen 127.0.0.1:0 --access-log 0 >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	for _ in $(seq 100); do
		grep -q '^listening on' "$tmp/out" 2>/dev/null && break
		sleep 0.1
	done
	port=$(sed -n 's/^listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/out")
	[ -n "$port" ] || die "the server did not start: $(cat "$tmp/err")"
	base="http://127.0.0.1:$port"
	jar="$tmp/jar$1"
	csrf=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
	curl -s -b "$jar" -c "$jar" -H "Origin: $base" -o /dev/null \
		--data-urlencode "_csrf=$csrf" --data-urlencode "email=bench@example.org" \
		--data-urlencode "password=bench organiser pw" "$base/login"
	for p in "Active Northmoor" "Active Southvale" "Active Eastwick"; do
		csrf=$(curl -s -b "$jar" "$base/partnerships" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
		curl -s -b "$jar" -H "Origin: $base" -o /dev/null --data-urlencode "_csrf=$csrf" \
			--data-urlencode "name=$p" "$base/partnerships"
	done
	csrf=$(curl -s -b "$jar" "$base/people/import" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -1)
	check=$(curl -s -b "$jar" -H "Origin: $base" -o "$tmp/preview.html" -w '%{time_total}' \
		-F "_csrf=$csrf" -F "file=@$tmp/people.csv;type=text/csv" "$base/people/import")
	grep -q "$ROWS new" "$tmp/preview.html" || die "the preview does not say '$ROWS new'"
	action=$(sed -n 's/.*<form method="post" action="\(\/people\/import\/[0-9a-f]*\)".*/\1/p' "$tmp/preview.html")
	[ -n "$action" ] || die "no confirm form in the preview"
	import=$(curl -s -b "$jar" -H "Origin: $base" -o /dev/null -w '%{http_code} %{time_total}' \
		--data-urlencode "_csrf=$csrf" "$base$action")
	[ "${import%% *}" = 303 ] || die "confirming answered ${import%% *}"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=
	if [ -n "${COLEAD_TEST_PG:-}" ]; then
		psql "$COLEAD_TEST_PG" -X -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
	fi
	echo "$check ${import#* }"
}

backend=SQLite
[ -n "${COLEAD_TEST_PG:-}" ] && backend=PostgreSQL
rows_md=
for r in $(seq "$RUNS"); do
	read -r check import < <(one_run "$r")
	total=$(awk -v a="$check" -v b="$import" 'BEGIN { printf "%.3f", a + b }')
	rows_md+="| $r | $check | $import | $total |"$'\n'
	echo "bench/import: run $r: check $check s, import $import s, total $total s"
done

section="$tmp/section.md"
{
	echo "$START"
	echo "# Attendee import ($backend)"
	echo
	echo "Written by \`bench/import.sh\`: an organiser uploads a CSV of $ROWS new"
	echo "people (check and preview), then confirms it (one transaction); times"
	echo "are curl's, request sent to response read, on a fresh database each run."
	echo "Target: the import of 5,000 rows in under 2 seconds."
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
	echo "| machine | $(nproc) cores visible, shared with other work |"
	echo "| colead | $("$BIN" version 2>/dev/null | head -1) |"
	echo
	echo "| run | check + preview, s | confirm (import), s | total, s |"
	echo "|---:|---:|---:|---:|"
	printf '%s' "$rows_md"
	echo
	echo "$END"
} >"$section"

if [ -f "$RESULTS" ] && grep -qF "$START" "$RESULTS"; then
	awk -v s="$START" -v e="$END" -v f="$section" '
		$0 == s { while ((getline line < f) > 0) print line; skip = 1; next }
		$0 == e { skip = 0; next }
		!skip { print }' "$RESULTS" >"$tmp/results.md"
	cat "$tmp/results.md" >"$RESULTS"
else
	{ [ -s "$RESULTS" ] && echo; cat "$section"; } >>"$RESULTS"
fi
