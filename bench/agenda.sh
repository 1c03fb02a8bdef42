#!/bin/bash
# bench/agenda.sh - how fast colead serves the public agenda page to
# visitors, against nginx serving the very same bytes as a static file on
# the same machine in the same minute (the pattern of bench/run.sh).  It
# builds nothing: run `make` first.
#
# It starts `colead demo` on a throwaway SQLite file, saves GET /agenda to
# a file, starts nginx on another loopback port serving that file with the
# same Content-Type, runs wrk against each in turn, RUNS times each, and
# replaces the "Agenda page" section of bench/results.md (appending it the
# first time); raw wrk output goes to bench/out/agenda-*.txt.  Loopback
# only; every process it started is stopped on exit, even on failure.
# The plumbing it shares with bench/run.sh is in bench/lib.sh.
#
#   bench/agenda.sh                  BUILD=build RUNS=3 DURATION=10s THREADS=2 CONNS=50
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
BENCH_TAG=bench/agenda
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-50}
START='<!-- bench/agenda.sh: start -->'
END='<!-- bench/agenda.sh: end -->'

need_colead make
need_tools wrk nginx curl
bench_tmp bench-agenda

colead_start demo --db "sqlite:$tmp/bench.db" --force
serve_copy /agenda
grep -q 'agenda-grid' "$page_file" || die "GET /agenda is not the agenda page"
wrk_compare agenda-

section=$tmp/section.md
{
	echo "$START"
	echo
	echo "# colead vs nginx: the agenda page"
	echo
	echo "Written by \`bench/agenda.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'); raw wrk output in"
	echo "\`bench/out/agenda-*.txt\`."
	echo
	echo "**colead served $ratio× the requests per second of nginx** serving the same"
	echo "bytes as a static file (median of $RUNS runs each, alternating)."
	echo
	echo "- colead: \`colead demo\`, \`GET /agenda\` as a visitor: $page_bytes bytes of"
	echo "  \`$ctype\`, no gzip.  Visitors get a copy rendered once per schedule"
	echo "  version and kept at most 10 s (a cache in memory, checked against the"
	echo "  schedule version, which is read from the database at most once a second"
	echo "  and at once after this server's own changes), so a change by an organiser"
	echo "  shows at once, and within a second on another instance."
	echo "- nginx: the same page as a static file, as in the home-page benchmark above."
	echo "- load: \`wrk -t$THREADS -c$CONNS -d$DURATION --latency\` over loopback after a 2 s warm-up."
	echo
	echo "| server | run | requests/s | p50 ms | p99 ms | errors |"
	echo "|---|---:|---:|---:|---:|---:|"
	rows_md
	echo
	echo "| median | requests/s | p50 ms | p99 ms |"
	echo "|---|---:|---:|---:|"
	echo "| colead | $c_rps | $c_p50 | $c_p99 |"
	echo "| nginx | $n_rps | $n_p50 | $n_p99 |"
	echo "| colead / nginx | $ratio | | |"
	echo
	echo "$END"
} >"$section"

# Replace an earlier agenda section, or append one.
replace_section "$START" "$END" "$section" last
wrk_finish
