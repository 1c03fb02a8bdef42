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
# even on Ctrl-C or failure.
#
#   bench/run.sh                     BUILD=build RUNS=3 DURATION=10s THREADS=2 CONNS=50
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
BIN=$ROOT/$BUILD/colead
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-50}
OUT=$ROOT/bench/out
RESULTS=$ROOT/bench/results.md

die() {
	echo "bench: $*" >&2
	exit 1
}

[ -x "$BIN" ] || die "$BIN is missing: run make bench (or make) first"
for tool in wrk nginx curl; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (make deps)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/colead-bench.XXXXXX")
chmod 755 "$tmp"	# nginx workers run as an unprivileged user
colead_pid=
nginx_pid=

cleanup() {
	set +e
	if [ -n "$colead_pid" ]; then
		kill -TERM "$colead_pid" 2>/dev/null
		wait "$colead_pid" 2>/dev/null
	fi
	if [ -n "$nginx_pid" ]; then
		kill -QUIT "$nginx_pid" 2>/dev/null
		wait "$nginx_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A loopback port nobody listens on.
free_port() {
	local p i
	for i in $(seq 1 50); do
		p=$(( (RANDOM * 32768 + RANDOM) % 40000 + 20000 ))
		if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# Wait until URL answers, up to 10 s.
wait_up() {
	local i
	for i in $(seq 1 100); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

mkdir -p "$OUT"
rm -f "$OUT"/*.txt
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# colead, serving the demo convention.
"$BIN" demo --db "sqlite:$tmp/bench.db" --force --listen 127.0.0.1:0 --access-log 0 \
    >"$tmp/colead.out" 2>"$tmp/colead.err" </dev/null &
colead_pid=$!
for i in $(seq 1 100); do
	grep -q '^listening on ' "$tmp/colead.out" 2>/dev/null && break
	kill -0 "$colead_pid" 2>/dev/null || { cat "$tmp/colead.err" >&2; die "colead demo exited"; }
	sleep 0.1
done
colead_url=$(sed -n 's/^listening on \(http:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' "$tmp/colead.out" | head -n 1)
[ -n "$colead_url" ] || die "colead demo did not say where it listens"
colead_url=$colead_url/
wait_up "$colead_url" || die "colead does not answer at $colead_url"

# The same page, as nginx will serve it.
mkdir -p "$tmp/www"
ctype=$(curl -fsS -o "$tmp/www/index.html" -w '%{content_type}' "$colead_url")
page_bytes=$(stat -c %s "$tmp/www/index.html")
chmod 644 "$tmp/www/index.html"

nginx_port=$(free_port) || die "no free port for nginx"
cat >"$tmp/nginx.conf" <<EOF
# written by bench/run.sh: serves one saved colead page, then thrown away
daemon off;
worker_processes auto;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events {
	worker_connections 1024;
}
http {
	access_log off;
	gzip off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	client_body_temp_path $tmp/nginx-body;
	proxy_temp_path $tmp/nginx-proxy;
	fastcgi_temp_path $tmp/nginx-fastcgi;
	scgi_temp_path $tmp/nginx-scgi;
	uwsgi_temp_path $tmp/nginx-uwsgi;
	types { }
	default_type "$ctype";
	server {
		listen 127.0.0.1:$nginx_port;
		root $tmp/www;
		index index.html;
	}
}
EOF
nginx -e stderr -p "$tmp" -c "$tmp/nginx.conf" 2>"$tmp/nginx.err" </dev/null &
nginx_pid=$!
nginx_url=http://127.0.0.1:$nginx_port/
wait_up "$nginx_url" || { cat "$tmp/nginx.err" "$tmp/nginx-error.log" >&2 2>/dev/null; die "nginx does not answer at $nginx_url"; }
nginx_bytes=$(curl -fsS "$nginx_url" | wc -c)
[ "$nginx_bytes" = "$page_bytes" ] || die "nginx serves $nginx_bytes bytes, colead $page_bytes"

echo "bench: colead at $colead_url, nginx at $nginx_url; the page is $page_bytes bytes ($ctype)"

# One wrk run; the raw output is kept in bench/out/.
run_wrk() {
	local name=$1 url=$2 file=$3
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$url" >"$file" 2>&1 ||
	    { cat "$file" >&2; die "wrk failed against $name"; }
}

# Latency in ms from wrk's "50%    1.23ms" style value.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000
		else if (v ~ /ms$/) n = n
		else if (v ~ /m$/) n *= 60000
		else if (v ~ /s$/) n *= 1000
		printf "%.2f", n
	}'
}

# requests/s, p50 ms, p99 ms and errors from a wrk output file.
parse_wrk() {
	local rps p50 p99 errs non2xx
	rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1")
	p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$1")")
	p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$1")")
	errs=$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$1")
	non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$1")
	echo "$rps $p50 $p99 $(( ${errs:-0} + ${non2xx:-0} ))"
}

median() {
	sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# Warm both up (page cache, SQLite cache, connections), unmeasured.
wrk -t"$THREADS" -c"$CONNS" -d2s "$colead_url" >/dev/null 2>&1 || true
wrk -t"$THREADS" -c"$CONNS" -d2s "$nginx_url" >/dev/null 2>&1 || true

rows=
for run in $(seq 1 "$RUNS"); do
	for name in colead nginx; do
		if [ $name = colead ]; then url=$colead_url; else url=$nginx_url; fi
		file=$OUT/$name-$run.txt
		echo "bench: run $run of $RUNS: $name"
		run_wrk "$name" "$url" "$file"
		read -r rps p50 p99 errs <<<"$(parse_wrk "$file")"
		rows+="$name $run $rps $p50 $p99 $errs"$'\n'
	done
done
kill -0 "$colead_pid" 2>/dev/null || die "colead died during the benchmark"

col() {
	printf '%s' "$rows" | awk -v n="$1" -v c="$2" '$1 == n { print $c }'
}
c_rps=$(col colead 3 | median); n_rps=$(col nginx 3 | median)
c_p50=$(col colead 4 | median); n_p50=$(col nginx 4 | median)
c_p99=$(col colead 5 | median); n_p99=$(col nginx 5 | median)
ratio=$(awk -v a="$c_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
errors=$(printf '%s' "$rows" | awk '{ s += $6 } END { print s + 0 }')

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
	echo "  visitor, as the server renders it (templates, database, session layer),"
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
	printf '%s' "$rows" | awk '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
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
if [ -f "$RESULTS" ] && grep -qF "$START" "$RESULTS"; then
	awk -v s="$START" -v e="$END" -v f="$tmp/section" '
		$0 == s { while ((getline line < f) > 0) print line; skip = 1; next }
		$0 == e { skip = 0; next }
		!skip { print }' "$RESULTS" >"$tmp/results.md"
else
	{ cat "$tmp/section"; [ -s "$RESULTS" ] && { echo; cat "$RESULTS"; }; } >"$tmp/results.md"
fi
cat "$tmp/results.md" >"$RESULTS"

echo "bench: colead $c_rps req/s (p99 $c_p99 ms), nginx $n_rps req/s (p99 $n_p99 ms): ratio $ratio; errors $errors"
echo "bench: wrote ${RESULTS#$ROOT/}"
[ "$errors" = 0 ] || die "there were $errors errors: see bench/out/"
