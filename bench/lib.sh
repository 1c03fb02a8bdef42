# bench/lib.sh - what the benchmarks share; sourced by bench/run.sh,
# bench/agenda.sh, bench/import.sh and bench/live/run.sh, never run.
#
# It sets ROOT (the checkout), BUILD, BIN (the colead binary), OUT
# (bench/out) and RESULTS (bench/results.md), and gives:
#   die, need_colead HOW, need_tools  stop with a message prefixed $BENCH_TAG
#   bench_tmp NAME                    a temporary directory $tmp, removed on
#                                     exit with every process started below
#   free_port, wait_up URL            a free loopback port; wait for a URL
#   colead_start ARGS, colead_stop    `colead ARGS` on a loopback port of its
#                                     own choosing; its address in $colead_base
#   serve_copy PATH                   GET PATH from colead saved to a file and
#                                     served by nginx: $colead_url, $nginx_url
#   wrk_compare PREFIX                wrk against both in turn, RUNS times,
#                                     raw output in bench/out/PREFIXcolead-N.txt
#                                     and PREFIXnginx-N.txt; the runs in $rows
#                                     and their medians
#   wrk_finish                        say the medians; fail if there were errors
#   replace_section START END FILE first|last
#                                     put FILE into bench/results.md between
#                                     the START and END lines
# Each script sets BENCH_TAG and its own knobs; the wrk ones are RUNS,
# DURATION, THREADS and CONNS.
# shellcheck shell=bash disable=SC2034	# the variables set here are read by those scripts

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) BIN=$BUILD/colead ;;
*) BIN=$ROOT/$BUILD/colead ;;
esac
OUT=$ROOT/bench/out
RESULTS=$ROOT/bench/results.md
BENCH_TAG=${BENCH_TAG:-bench}

die() {
	echo "$BENCH_TAG: $*" >&2
	exit 1
}

# The benchmarks build nothing: HOW is the command that builds colead.
need_colead() {
	[ -x "$BIN" ] || die "$BIN is missing: run $1 first"
}

need_tools() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (make deps)"
	done
}

tmp=
colead_pid=
nginx_pid=

# Stop what was started, even on failure or Ctrl-C: colead finishes its
# requests on TERM, nginx its connections on QUIT.
bench_cleanup() {
	set +e
	if [ -n "$colead_pid" ]; then
		kill -TERM "$colead_pid" 2>/dev/null
		wait "$colead_pid" 2>/dev/null
	fi
	if [ -n "$nginx_pid" ]; then
		kill -QUIT "$nginx_pid" 2>/dev/null
		wait "$nginx_pid" 2>/dev/null
	fi
	if [ -n "$tmp" ]; then
		rm -rf "$tmp"
	fi
}

bench_tmp() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/colead-$1.XXXXXX")
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM HUP
}

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

# colead ARGS on a port the kernel picks (it says which on stdout); one at
# a time.
colead_start() {
	local _
	"$BIN" "$@" --listen 127.0.0.1:0 --access-log 0 \
	    >"$tmp/colead.out" 2>"$tmp/colead.err" </dev/null &
	colead_pid=$!
	for _ in $(seq 1 100); do
		grep -q '^listening on ' "$tmp/colead.out" 2>/dev/null && break
		kill -0 "$colead_pid" 2>/dev/null || { cat "$tmp/colead.err" >&2; die "colead $1 exited"; }
		sleep 0.1
	done
	colead_base=$(sed -n 's/^listening on \(http:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' "$tmp/colead.out" | head -n 1)
	[ -n "$colead_base" ] || { cat "$tmp/colead.err" >&2; die "colead $1 did not say where it listens"; }
}

colead_stop() {
	kill -TERM "$colead_pid" 2>/dev/null || true
	wait "$colead_pid" 2>/dev/null || true
	colead_pid=
}

# Save GET PATH from colead and serve the very same bytes with the same
# Content-Type from nginx (Debian's nginx-light, a temporary config, no
# gzip) at the same PATH on another loopback port.  Sets colead_url,
# nginx_url, page_file, page_bytes and ctype.
serve_copy() {
	local path=$1 port nginx_bytes
	colead_url=$colead_base$path
	wait_up "$colead_url" || die "colead does not answer at $colead_url"

	chmod 755 "$tmp"	# nginx workers run as an unprivileged user
	mkdir -p "$tmp/www"
	page_file=$tmp/www$path
	case $path in */) page_file+=index.html ;; esac
	ctype=$(curl -fsS -o "$page_file" -w '%{content_type}' "$colead_url")
	page_bytes=$(stat -c %s "$page_file")
	chmod 644 "$page_file"

	port=$(free_port) || die "no free port for nginx"
	cat >"$tmp/nginx.conf" <<EOF
# written by $BENCH_TAG: serves one saved colead page, then thrown away
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
		listen 127.0.0.1:$port;
		root $tmp/www;
		index index.html;
	}
}
EOF
	nginx -e stderr -p "$tmp" -c "$tmp/nginx.conf" 2>"$tmp/nginx.err" </dev/null &
	nginx_pid=$!
	nginx_url=http://127.0.0.1:$port$path
	wait_up "$nginx_url" || { cat "$tmp/nginx.err" "$tmp/nginx-error.log" >&2 2>/dev/null; die "nginx does not answer at $nginx_url"; }
	nginx_bytes=$(curl -fsS "$nginx_url" | wc -c)
	[ "$nginx_bytes" = "$page_bytes" ] || die "nginx serves $nginx_bytes bytes, colead $page_bytes"

	echo "$BENCH_TAG: colead at $colead_url, nginx at $nginx_url; the page is $page_bytes bytes ($ctype)"
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

# One column of $rows for one server.
rows_col() {
	printf '%s' "$rows" | awk -v n="$1" -v c="$2" '$1 == n { print $c }'
}

# wrk against colead and nginx in turn, RUNS times each, after a 2-second
# unmeasured warm-up of each (page cache, SQLite cache, connections).
# Sets rows ("server run rps p50 p99 errors" lines), the medians c_rps,
# c_p50, c_p99, n_rps, n_p50, n_p99, ratio (colead / nginx requests/s) and
# errors (all runs).
wrk_compare() {
	local prefix=$1 run name url file rps p50 p99 errs
	mkdir -p "$OUT"
	rm -f "$OUT/${prefix}colead-"*.txt "$OUT/${prefix}nginx-"*.txt

	wrk -t"$THREADS" -c"$CONNS" -d2s "$colead_url" >/dev/null 2>&1 || true
	wrk -t"$THREADS" -c"$CONNS" -d2s "$nginx_url" >/dev/null 2>&1 || true

	rows=
	for run in $(seq 1 "$RUNS"); do
		for name in colead nginx; do
			if [ $name = colead ]; then url=$colead_url; else url=$nginx_url; fi
			file=$OUT/$prefix$name-$run.txt
			echo "$BENCH_TAG: run $run of $RUNS: $name"
			wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$url" >"$file" 2>&1 ||
			    { cat "$file" >&2; die "wrk failed against $name"; }
			read -r rps p50 p99 errs <<<"$(parse_wrk "$file")"
			rows+="$name $run $rps $p50 $p99 $errs"$'\n'
		done
	done
	kill -0 "$colead_pid" 2>/dev/null || die "colead died during the benchmark"

	c_rps=$(rows_col colead 3 | median); n_rps=$(rows_col nginx 3 | median)
	c_p50=$(rows_col colead 4 | median); n_p50=$(rows_col nginx 4 | median)
	c_p99=$(rows_col colead 5 | median); n_p99=$(rows_col nginx 5 | median)
	ratio=$(awk -v a="$c_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	errors=$(printf '%s' "$rows" | awk '{ s += $6 } END { print s + 0 }')
}

# The runs of wrk_compare as Markdown table rows.
rows_md() {
	printf '%s' "$rows" | awk '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
}

wrk_finish() {
	echo "$BENCH_TAG: colead $c_rps req/s (p99 $c_p99 ms), nginx $n_rps req/s (p99 $n_p99 ms): ratio $ratio; errors $errors"
	echo "$BENCH_TAG: wrote ${RESULTS#"$ROOT"/}"
	[ "$errors" = 0 ] || die "there were $errors errors: see bench/out/"
}

# Put FILE (which begins with the START line and ends with the END line)
# in place of the START..END section of bench/results.md; the first time,
# before everything else (first) or after it (last).  The other sections
# are left as they are.
replace_section() {
	local start=$1 end=$2 file=$3 where=$4
	if [ -f "$RESULTS" ] && grep -qF "$start" "$RESULTS"; then
		awk -v s="$start" -v e="$end" -v f="$file" '
			$0 == s { while ((getline line < f) > 0) print line; skip = 1; next }
			$0 == e { skip = 0; next }
			!skip { print }' "$RESULTS" >"$tmp/results.md"
	elif [ "$where" = first ] && [ -s "$RESULTS" ]; then
		{ cat "$file"; echo; cat "$RESULTS"; } >"$tmp/results.md"
	elif [ -s "$RESULTS" ]; then
		{ cat "$RESULTS"; echo; cat "$file"; } >"$tmp/results.md"
	else
		cat "$file" >"$tmp/results.md"
	fi
	cat "$tmp/results.md" >"$RESULTS"
}
