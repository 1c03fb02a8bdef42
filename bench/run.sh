#!/bin/bash
# bench/run.sh - how fast colead serves its home page, against nginx
# serving the very same bytes as a static file on the same machine in the
# same minute.  `make bench` builds first and then runs this; it builds
# nothing itself.
#
# It starts `colead demo` on a throwaway SQLite file, saves GET / to a file,
# starts nginx (Debian's nginx-light, a temporary config, no gzip, the same
# Content-Type) on another loopback port serving that file, then runs wrk
# against each in turn, RUNS times each, and writes bench/results.md (raw
# wrk output goes to bench/out/).  Loopback only; bounded in time (about 80
# seconds with the defaults); every process it started is stopped on exit,
# even on Ctrl-C or failure.  The plumbing it shares with the other
# benchmarks (processes, nginx, wrk, medians, results.md) is in bench/lib.sh.
#
#   bench/run.sh                     BUILD=build RUNS=3 DURATION=10s THREADS=2 CONNS=50
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
BENCH_TAG=bench
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-50}

need_colead "make bench (or make)"
need_tools wrk nginx curl
bench_tmp bench
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# colead, serving the demo convention, and nginx serving its home page.
colead_start demo --db "sqlite:$tmp/bench.db" --force
serve_copy /
wrk_compare ""

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
mhd=$(dpkg-query -W -f='${Version}' libmicrohttpd12 2>/dev/null || echo unknown)
sqlite=$(sqlite3 --version 2>/dev/null | awk '{ print $1 }')
threads=$("$BIN" serve --print-config 2>/dev/null | sed -n 's/^threads = //p')

START='<!-- bench/run.sh: start -->'
END='<!-- bench/run.sh: end -->'
{
	echo "$START"
	echo "# colead vs nginx: the home page"
	echo
	echo "Written by \`bench/run.sh\` (\`make bench\`); raw wrk output in \`bench/out/\`."
	echo
	echo "**colead served $ratio× the requests per second of nginx** serving the same"
	echo "bytes as a static file (median of $RUNS runs each, alternating)."
	echo
	echo "## What was measured"
	echo
	echo "- colead: \`colead demo\` (the demo convention on SQLite), \`GET /\` as a"
	echo "  visitor: the full request pipeline (checks, session layer, routing,"
	echo "  headers) around a copy of the page rendered once per schedule version"
	echo "  and at most 10 s old (the home page shows what is on now);"
	echo "  $page_bytes bytes of \`$ctype\`, no gzip (wrk sends no Accept-Encoding);"
	echo "  $threads worker threads (the default), access log off."
	echo "- nginx: the same page saved to a file and served by Debian's nginx-light,"
	echo "  \`worker_processes auto\`, same Content-Type, gzip off, access log off."
	echo "- load: \`wrk -t$THREADS -c$CONNS -d$DURATION --latency\` over loopback, after a"
	echo "  2-second unmeasured warm-up of each; runs alternate colead, nginx."
	echo
	echo "## Machine"
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
	echo "| CPU | $cpu, $(nproc) cores visible |"
	echo "| memory | $mem |"
	echo "| load average (1, 5, 15 min) | $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after |"
	echo "| kernel | $(uname -sr) |"
	echo "| colead | $("$BIN" version 2>/dev/null | head -n 1) ($BUILD, $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'uncommitted')) |"
	echo "| libmicrohttpd | $mhd |"
	echo "| SQLite | ${sqlite:-unknown} |"
	echo "| nginx | $(nginx -v 2>&1 | sed 's/^nginx version: //') |"
	echo "| wrk | $(wrk -v 2>&1 | head -n 1 | awk '{ print $2 }') |"
	echo
	echo "## Runs"
	echo
	echo "| server | run | requests/s | p50 ms | p99 ms | errors |"
	echo "|---|---:|---:|---:|---:|---:|"
	rows_md
	echo
	echo "## Medians"
	echo
	echo "| server | requests/s | p50 ms | p99 ms |"
	echo "|---|---:|---:|---:|"
	echo "| colead | $c_rps | $c_p50 | $c_p99 |"
	echo "| nginx | $n_rps | $n_p50 | $n_p99 |"
	echo "| colead / nginx | $ratio | | |"
	echo
	echo "## Read with care"
	echo
	echo "The machine is shared and noisy (a virtual machine with $(nproc) cores, other"
	echo "work running beside it), and wrk runs on the same cores as the server it"
	echo "measures, so the absolute numbers move by tens of per cent from run to run."
	echo "Only the ratio between the two, measured alternately in the same minute,"
	echo "means much, and it too suffers when the load average is well above the"
	echo "core count. Errors counts socket errors plus non-2xx answers; it should"
	echo "be 0."
	echo "$END"
} >"$tmp/section"

# Replace an earlier home-page section, or put it first: the other
# benchmarks (bench/agenda.sh, bench/import.sh, the live room) keep theirs.
replace_section "$START" "$END" "$tmp/section" first
wrk_finish
