#!/bin/bash
# tests/fuzz/run.sh - run each libFuzzer driver built by `make fuzz-build`
# for a while and say what it found.  `make fuzz` calls it:
#
#   tests/fuzz/run.sh BUILD_DIR SECONDS DRIVER...
#
# Each driver starts from tests/fuzz/<driver>/seeds plus what earlier runs
# learnt (BUILD_DIR/corpus/<driver>, never committed), runs on one core for
# SECONDS, and writes a crashing, leaking or slow input to
# tests/fuzz/<driver>/regress/ (which `make test` replays).  The last line
# per driver gives the runs and CPU seconds spent; the exit status is 1 if
# any driver found something.  It touches nothing but BUILD_DIR and the
# regress directories.
set -u

cd "$(dirname "$0")/../.." || exit 1
[ $# -ge 3 ] || { echo "usage: tests/fuzz/run.sh BUILD_DIR SECONDS DRIVER..." >&2; exit 2; }
build=$1
secs=$2
shift 2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

found=0
for d in "$@"; do
	corpus=$build/corpus/$d
	regress=tests/fuzz/$d/regress
	log=$build/fuzz-$d.log
	mkdir -p "$corpus" "$regress"
	# CPU time (user + system) of the driver, from bash's `time`.
	TIMEFORMAT='%U %S'
	{ time "$build/fuzz/$d" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=65536 -print_final_stats=1 -artifact_prefix="$regress/" \
	    "$corpus" "tests/fuzz/$d/seeds" >"$log" 2>&1; } 2>"$log.time"
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cpu=$(awk '{ printf "%.1f", $1 + $2 }' "$log.time")
	if [ $rc = 0 ]; then
		printf 'fuzz  %-18s ok     %8s runs  %6ss CPU\n' "$d" "${runs:-?}" "$cpu"
	else
		found=1
		printf 'fuzz  %-18s FOUND  exit %d after %s runs, %ss CPU; input saved in %s (log %s)\n' \
		    "$d" $rc "${runs:-?}" "$cpu" "$regress" "$log"
		grep -E 'ERROR|check failed|SUMMARY|runtime error' "$log" | head -n 8 | sed 's/^/    | /'
	fi
done
exit $found
