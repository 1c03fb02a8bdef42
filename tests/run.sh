#!/bin/bash
# run.sh - run every colead test layer against one build and say what failed.
# `make test` calls it with BUILD set (build/ or build-san/) after building
# the binary and the cmocka programs; it builds nothing itself.  In order:
#
#   unit      $BUILD/tests/unit/*            (and under valgrind, non-sanitize builds)
#   fuzz      $BUILD/fuzz/fuzz_* replaying tests/fuzz/<driver>/{seeds,regress},
#             and $BUILD/fuzz/bench_markdown (pathological Markdown timing)
#   db        $BUILD/tests/db/* on SQLite, then again on a throwaway
#             PostgreSQL from tests/pg.sh (COLEAD_TEST_PG set)
#   http      node --test tests/http/        (COLEAD_BIN=$BUILD/colead)
#   browser   node --test tests/browser/     (playwright-core + /usr/bin/chromium)
#
# It keeps going after a failure, prints a summary, and its very last line is
# exactly "tests: N passed, M failed", counting test programs and test files
# (CI reads that line).  Exit status 0 only when nothing failed.
#
#   tests/run.sh [--valgrind | --no-valgrind] [--only unit,fuzz,db,pg,http,browser]
#
# Logs of every program are kept in $BUILD/test-logs/.  It must not touch
# anything outside $BUILD, tests/artifacts and its own temporary
# directories, and it stops the PostgreSQL it started on any exit.
set -u

# The whole script is one { } group, so bash has read all of it before it
# runs any of it: editing this file while a run is going cannot derail it.
{

cd "$(dirname "$0")/.." || exit 1
ROOT=$(pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) ;;
*) BUILD=$ROOT/$BUILD ;;
esac

# Run a command with a time limit (seconds) in a session of its own, and
# set rc to its exit status (124 or 137: it timed out).  Its own session
# means a signal to this script reaches the trap at once (bash runs traps
# only between foreground commands, but during `wait`), and the trap can
# stop the command and everything it started (node's test files, the colead
# servers they spawned) as one process group.
child=
rc=0
pg_starting=
run_child() {
	local limit=$1
	shift
	setsid timeout --kill-after=15 "$limit" "$@" </dev/null &
	child=$!
	wait "$child"
	rc=$?
	child=
}

on_signal() {
	echo "tests/run.sh: interrupted" >&2
	if [ -n "$pg_starting" ] && [ -n "$child" ]; then
		# Let tests/pg.sh finish starting (it is quick), so that the
		# EXIT trap can stop what it started.
		wait "$child"
		pg_dir=$(sed -n 's/^export COLEAD_PG_DIR=//p' "$RUNTMP/pg.env" 2>/dev/null | head -n 1)
	elif [ -n "$child" ]; then
		kill -TERM -- "-$child" 2>/dev/null || kill -TERM "$child" 2>/dev/null
		sleep 1
		kill -KILL -- "-$child" 2>/dev/null
	fi
	exit 130
}

# The PostgreSQL this script started, stopped on any exit.
pg_dir=
stop_pg() {
	if [ -n "$pg_dir" ]; then
		COLEAD_PG_DIR=$pg_dir "$ROOT/tests/pg.sh" stop || true
		pg_dir=
	fi
}
# Scratch files of this run (the PostgreSQL exports, node's file reports);
# several runs on one build directory must not share them.
RUNTMP=$(mktemp -d "${TMPDIR:-/tmp}/colead-run.XXXXXX") || exit 1
trap 'stop_pg; rm -rf "$RUNTMP"' EXIT
trap on_signal INT TERM HUP

usage() {
	echo "usage: tests/run.sh [--valgrind | --no-valgrind] [--only unit,fuzz,db,pg,http,browser]" >&2
	exit 2
}

valgrind=auto
only=unit,fuzz,db,pg,http,browser
while [ $# -gt 0 ]; do
	case $1 in
	--valgrind)	valgrind=yes ;;
	--no-valgrind)	valgrind=no ;;
	--only)		[ $# -ge 2 ] || usage; only=$2; shift ;;
	--only=*)	only=${1#--only=} ;;
	-h|--help)	usage ;;
	*)		echo "tests/run.sh: unknown option '$1'" >&2; usage ;;
	esac
	shift
done

wanted() {
	case ",$only," in
	*",$1,"*) return 0 ;;
	esac
	return 1
}

# A sanitizer build: say so to the programs, and keep valgrind away from it
# (ASan and valgrind cannot run together).
sanitize=0
if [ "${SANITIZE:-}" = 1 ] || { [ -f "$BUILD/colead" ] && grep -qa __asan_init "$BUILD/colead"; }; then
	sanitize=1
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
if [ $valgrind = auto ]; then
	if [ $sanitize = 1 ]; then valgrind=no; else valgrind=yes; fi
fi
if [ $valgrind = yes ] && [ $sanitize = 1 ]; then
	echo "tests/run.sh: --valgrind cannot run a sanitizer build ($BUILD): skipping valgrind" >&2
	valgrind=no
fi
if [ $valgrind = yes ] && ! command -v valgrind >/dev/null 2>&1; then
	echo "tests/run.sh: valgrind is not installed (make deps): skipping valgrind" >&2
	valgrind=no
fi

LOGS=$BUILD/test-logs	# each program's output, overwritten run by run
mkdir -p "$LOGS" "$ROOT/tests/artifacts"

passed=0
failed=0
failures=()
t_start=$(date +%s)

header() {
	printf '\n=== %s ===\n' "$*"
}

pass() {
	passed=$((passed + 1))
}

fail() {
	failed=$((failed + 1))
	failures+=("$1")
}

# Time a program, show one line when it passed and its whole output when it
# did not.  run_prog LABEL LOG COMMAND...
run_prog() {
	local label=$1 log=$2 t0 t1
	shift 2
	t0=$(date +%s.%N)
	run_child 600 "$@" >"$log" 2>&1
	t1=$(date +%s.%N)
	if [ $rc = 0 ]; then
		printf 'ok    %-40s %6.2fs\n' "$label" "$(awk "BEGIN { print $t1 - $t0 }")"
		pass
	else
		if [ $rc = 124 ] || [ $rc = 137 ]; then
			printf 'FAIL  %-40s timed out\n' "$label"
		else
			printf 'FAIL  %-40s exit %d\n' "$label" $rc
		fi
		sed 's/^/    | /' "$log"
		fail "$label"
	fi
}

# The programs in a directory of the build, sorted.
programs() {
	local f
	[ -d "$1" ] || return 0
	for f in "$1"/t_*; do
		[ -f "$f" ] && [ -x "$f" ] && echo "$f"
	done
}

# Run node's test runner over one directory and count its files.
# run_node STAGE CONCURRENCY DIR
run_node() {
	local stage=$1 conc=$2 dir=$3 files line n_pass=0 n_fail=0 tests
	local report=$RUNTMP/$stage.files

	files=$(find "$dir" -maxdepth 1 -name '*.test.js' | sort)
	if [ -z "$files" ]; then
		echo "(no $dir/*.test.js files)"
		return 0
	fi
	if ! command -v node >/dev/null 2>&1; then
		echo "node is not installed (make deps)"
		fail "$stage (no node)"
		return 0
	fi
	run_child 1500 node --test --test-concurrency="$conc" \
	    --test-timeout=300000 \
	    --test-reporter=spec --test-reporter-destination=stdout \
	    --test-reporter="$ROOT/tests/http/reporter.mjs" \
	    --test-reporter-destination="$report" \
	    $files
	while read -r line; do
		case $line in
		"PASS "*)	pass; n_pass=$((n_pass + 1)) ;;
		"FAIL "*)	fail "${line#FAIL }"; n_fail=$((n_fail + 1)) ;;
		"TESTS "*)	tests=${line#TESTS } ;;
		esac
	done < <(cat "$report" 2>/dev/null)
	# Node failed but no file did: a crash, a timeout or a runner error.
	if [ $rc != 0 ] && [ $n_fail = 0 ]; then
		fail "$stage (node exited $rc)"
		n_fail=1
	fi
	set -- ${tests:-0 0 0 0}
	echo "$stage: $n_pass file(s) passed, $n_fail failed ($1 tests passed, $2 failed, $3 skipped, ${4:-0} todo)"
}


echo "tests/run.sh: build $BUILD$([ $sanitize = 1 ] && echo ' (ASan+UBSan)')$([ $valgrind = yes ] && echo ', valgrind on unit tests')"

if wanted unit; then
	header "unit tests ($BUILD/tests/unit)"
	for p in $(programs "$BUILD/tests/unit"); do
		run_prog "$(basename "$p")" "$LOGS/unit-$(basename "$p").log" "$p"
	done
	if [ $valgrind = yes ]; then
		header "unit tests under valgrind"
		for p in $(programs "$BUILD/tests/unit"); do
			run_prog "valgrind $(basename "$p")" "$LOGS/valgrind-$(basename "$p").log" \
			    valgrind -q --error-exitcode=1 --leak-check=full \
			    --errors-for-leak-kinds=definite --show-leak-kinds=definite "$p"
		done
	fi
fi

if wanted fuzz; then
	header "fuzz drivers replaying their seeds and regression files ($BUILD/fuzz)"
	for p in $(find "$BUILD/fuzz" -maxdepth 1 -name 'fuzz_*' -type f -perm -u+x 2>/dev/null | sort); do
		d=$(basename "$p")
		run_prog "replay $d" "$LOGS/fuzz-$d.log" "$p" "tests/fuzz/$d/seeds" "tests/fuzz/$d/regress"
		# valgrind also sees reads inside uninstrumented libraries (md4c).
		if [ $valgrind = yes ]; then
			run_prog "valgrind replay $d" "$LOGS/valgrind-fuzz-$d.log" \
			    valgrind -q --error-exitcode=1 --leak-check=full \
			    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
			    "$p" "tests/fuzz/$d/seeds" "tests/fuzz/$d/regress"
		fi
	done
	if [ -x "$BUILD/fuzz/bench_markdown" ]; then
		run_prog "bench_markdown (100 KB < 100 ms)" "$LOGS/bench_markdown.log" "$BUILD/fuzz/bench_markdown"
	fi
fi

if wanted db; then
	header "store tests on SQLite ($BUILD/tests/db)"
	for p in $(programs "$BUILD/tests/db"); do
		run_prog "$(basename "$p") sqlite" "$LOGS/db-$(basename "$p")-sqlite.log" \
		    env -u COLEAD_TEST_PG "$p"
	done
fi

# PostgreSQL: for the store tests, and left running for the HTTP tests.
if wanted pg || wanted http; then
	header "starting PostgreSQL (tests/pg.sh)"
	pg_starting=1
	run_child 180 "$ROOT/tests/pg.sh" start >"$RUNTMP/pg.env"
	pg_starting=
	if [ $rc = 0 ] && [ -s "$RUNTMP/pg.env" ]; then
		eval "$(cat "$RUNTMP/pg.env")"
		pg_dir=$COLEAD_PG_DIR
		echo "COLEAD_TEST_PG=$COLEAD_TEST_PG"
	else
		echo "PostgreSQL did not start: the PostgreSQL passes cannot run"
		fail "postgresql start (tests/pg.sh)"
		unset COLEAD_TEST_PG COLEAD_PG_DIR
	fi
fi

if wanted pg && [ -n "${COLEAD_TEST_PG:-}" ]; then
	header "store tests on PostgreSQL ($BUILD/tests/db)"
	for p in $(programs "$BUILD/tests/db"); do
		run_prog "$(basename "$p") postgresql" "$LOGS/db-$(basename "$p")-pg.log" "$p"
	done
fi

if wanted http; then
	header "HTTP tests (tests/http, COLEAD_BIN=$BUILD/colead)"
	if [ ! -x "$BUILD/colead" ]; then
		echo "$BUILD/colead is missing: build it first (make)"
		fail "http (no $BUILD/colead)"
	else
		COLEAD_BIN=$BUILD/colead run_node http 2 tests/http
	fi
fi
stop_pg
unset COLEAD_TEST_PG COLEAD_PG_DIR	# the browser tests run on SQLite

if wanted browser; then
	header "browser tests (tests/browser, Chromium)"
	if [ ! -x "$BUILD/colead" ]; then
		echo "$BUILD/colead is missing: build it first (make)"
		fail "browser (no $BUILD/colead)"
	else
		COLEAD_BIN=$BUILD/colead run_node browser 1 tests/browser
	fi
fi

header "summary"
echo "took $(( $(date +%s) - t_start ))s; logs in ${LOGS#$ROOT/}/, screenshots in tests/artifacts/"
if [ $failed -gt 0 ]; then
	echo "failed:"
	for f in "${failures[@]}"; do
		echo "  $f"
	done
fi
echo "tests: $passed passed, $failed failed"
[ $failed = 0 ]
exit
}
