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

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
BENCH_TAG=bench/import
ROWS=${ROWS:-5000}
RUNS=${RUNS:-3}
START='<!-- import: begin (bench/import.sh) -->'
END='<!-- import: end -->'

need_colead make
need_tools curl
bench_tmp bench-import

# The people file: name, email, partnership, role, job title.
awk -v n="$ROWS" 'BEGIN {
	print "name,email,partnership,role,job title"
	split("Active Northmoor,Active Southvale,Active Eastwick", p, ",")
	for (i = 1; i <= n; i++)
		printf "Person %d,person%d@example.org,%s,participant,Officer %d\n", i, i, p[i % 3 + 1], i
}' >"$tmp/people.csv"

# One import into a fresh database: writes "check_seconds import_seconds"
# to $tmp/times.  It runs in this shell, not a subshell, so that a failure
# still stops the server it started.
one_run() {
	local db url csrf action
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
	colead_start serve --db "$url"
	base=$colead_base
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
	colead_stop
	if [ -n "${COLEAD_TEST_PG:-}" ]; then
		psql "$COLEAD_TEST_PG" -X -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
	fi
	echo "$check ${import#* }" >"$tmp/times"
}

backend=SQLite
[ -n "${COLEAD_TEST_PG:-}" ] && backend=PostgreSQL
table=
for r in $(seq "$RUNS"); do
	one_run "$r"
	read -r check import <"$tmp/times"
	total=$(awk -v a="$check" -v b="$import" 'BEGIN { printf "%.3f", a + b }')
	table+="| $r | $check | $import | $total |"$'\n'
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
	printf '%s' "$table"
	echo
	echo "$END"
} >"$section"

replace_section "$START" "$END" "$section" last
