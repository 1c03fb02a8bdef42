#!/bin/sh
# deps.sh - install what colead's build and tests need on Debian 12: the
# Debian packages (compilers, C libraries, PostgreSQL, Chromium, wrk, nginx,
# valgrind) and the npm packages in package-lock.json.  Run by `make deps`,
# `make test` and `make run`.  When everything is present it only looks
# (one dpkg-query, one file-time check) and touches no network.  It never
# removes or upgrades anything, and as a non-root user it only says what is
# missing and how to install it.
set -eu

cd "$(dirname "$0")/.."

PKGS="build-essential gcc clang make pkg-config libmicrohttpd-dev
libsqlite3-dev sqlite3 libpq-dev postgresql libsodium-dev libjansson-dev
libmd4c-dev libmd4c-html0-dev libxml2-dev libxml2-utils zlib1g-dev
libcmocka-dev libcurl4-openssl-dev libcsv-dev libical-dev libxlsxwriter-dev
libqrencode-dev chromium wrk nginx-light default-jre-headless valgrind
libclang-rt-14-dev curl tzdata"

# Node may come from elsewhere (nvm, a tarball): only ask Debian for it
# when there is no `node` at all.
if ! command -v node >/dev/null 2>&1; then
	PKGS="$PKGS nodejs npm"
fi

say() {
	printf 'deps: %s\n' "$*"
}

# Which of $PKGS are not installed?  One dpkg-query for all of them;
# packages dpkg has never heard of print nothing, so they count as missing.
installed=$(dpkg-query -W -f='${Package} ${Status}\n' $PKGS 2>/dev/null |
    awk '$NF == "installed" && $(NF-1) == "ok" { print $1 }') || true
missing=
for p in $PKGS; do
	case " $(echo $installed) " in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done
missing=${missing# }

did=
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		say "missing Debian packages: $missing"
		say "install them as root with:"
		say "  apt-get update && apt-get install -y --no-install-recommends $missing"
		exit 1
	fi
	say "installing $missing"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $missing >/dev/null
	did="installed $(echo "$missing" | wc -w) Debian package(s)"
fi

# npm packages: install when node_modules is absent or older than the lock.
if [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
	command -v npm >/dev/null 2>&1 ||
	    { say "npm is missing: install it (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error >/dev/null
	did="${did:+$did, }ran npm ci"
fi

say "${did:-all present}"
