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
#
#   bench/agenda.sh                  BUILD=build RUNS=3 DURATION=10s THREADS=2 CONNS=50
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) BIN=$BUILD/colead ;;
*) BIN=$ROOT/$BUILD/colead ;;
esac
RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-50}
OUT=$ROOT/bench/out
RESULTS=$ROOT/bench/results.md
START='<!-- bench/agenda.sh: start -->'
END='<!-- bench/agenda.sh: end -->'

die() {
	echo "bench/agenda: $*" >&2
	exit 1
}

[ -x "$BIN" ] || die "$BIN is missing: run make first"
for tool in wrk nginx curl; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (make deps)"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/colead-bench-agenda.XXXXXX")
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
rm -f "$OUT"/agenda-*.txt

"$BIN" demo --db "sqlite:$tmp/bench.db" --force --listen 127.0.0.1:0 --access-log 0 \
    >"$tmp/colead.out" 2>"$tmp/colead.err" </dev/null &
colead_pid=$!
for i in $(seq 1 100); do
	grep -q '^listening on ' "$tmp/colead.out" 2>/dev/null && break
	kill -0 "$colead_pid" 2>/dev/null || { cat "$tmp/colead.err" >&2; die "colead demo exited"; }
	sleep 0.1
done
base=$(sed -n 's/^listening on \(http:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' "$tmp/colead.out" | head -n 1)
[ -n "$base" ] || die "colead demo did not say where it listens"
colead_url=$base/agenda
wait_up "$colead_url" || die "colead does not answer at $colead_url"

mkdir -p "$tmp/www"
ctype=$(curl -fsS -o "$tmp/www/agenda" -w '%{content_type}' "$colead_url")
page_bytes=$(stat -c %s "$tmp/www/agenda")
chmod 644 "$tmp/www/agenda"
grep -q 'agenda-grid' "$tmp/www/agenda" || die "GET /agenda is not the agenda page"

nginx_port=$(free_port) || die "no free port for nginx"
cat >"$tmp/nginx.conf" <<NGINX
# written by bench/agenda.sh: serves one saved colead page, then thrown away
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
	}
}
NGINX
nginx -e stderr -p "$tmp" -c "$tmp/nginx.conf" 2>"$tmp/nginx.err" </dev/null &
nginx_pid=$!
nginx_url=http://127.0.0.1:$nginx_port/agenda
wait_up "$nginx_url" || { cat "$tmp/nginx.err" "$tmp/nginx-error.log" >&2 2>/dev/null; die "nginx does not answer at $nginx_url"; }
nginx_bytes=$(curl -fsS "$nginx_url" | wc -c)
[ "$nginx_bytes" = "$page_bytes" ] || die "nginx serves $nginx_bytes bytes, colead $page_bytes"

echo "bench/agenda: colead at $colead_url, nginx at $nginx_url; the page is $page_bytes bytes ($ctype)"

run_wrk() {
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$2" >"$3" 2>&1 ||
	    { cat "$3" >&2; die "wrk failed against $1"; }
}

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

wrk -t"$THREADS" -c"$CONNS" -d2s "$colead_url" >/dev/null 2>&1 || true
wrk -t"$THREADS" -c"$CONNS" -d2s "$nginx_url" >/dev/null 2>&1 || true

rows=
for run in $(seq 1 "$RUNS"); do
	for name in colead nginx; do
		if [ $name = colead ]; then url=$colead_url; else url=$nginx_url; fi
		file=$OUT/agenda-$name-$run.txt
		echo "bench/agenda: run $run of $RUNS: $name"
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
	printf '%s' "$rows" | awk '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
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
if [ -f "$RESULTS" ] && grep -qF "$START" "$RESULTS"; then
	awk -v s="$START" -v e="$END" -v f="$section" '
		$0 == s { while ((getline line < f) > 0) print line; skip = 1; next }
		$0 == e { skip = 0; next }
		!skip { print }' "$RESULTS" >"$tmp/results.md"
	cat "$tmp/results.md" >"$RESULTS"
else
	{ [ -s "$RESULTS" ] && echo; cat "$section"; } >>"$RESULTS"
fi

echo "bench/agenda: colead $c_rps req/s (p99 $c_p99 ms), nginx $n_rps req/s (p99 $n_p99 ms): ratio $ratio; errors $errors"
[ "$errors" = 0 ] || die "there were $errors errors: see bench/out/"
