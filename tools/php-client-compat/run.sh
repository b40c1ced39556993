#!/bin/sh
# Runs php-client's integration suite, unchanged, against this repository's
# PHP binding and letts-devserver (issue 17 §3: the binding is a drop-in).
#
#   tools/php-client-compat/run.sh PATH_TO_PHP_CLIENT [BUILD_DIR] [-- PHPUNIT_ARGS...]
#
# BUILD_DIR (default: <repo>/build) must hold src/libletts.so.0.1.0,
# src/letts-devserver and tools/letts_ffi.h. php-client's tests/ are copied
# into a temporary directory whose vendor/autoload.php is support/autoload.php
# (the binding, plus the two stand-ins below), tools/dugdale is a wrapper
# that starts letts-devserver, and phpunit runs as $LETTS_TEST_USER (default
# nobody): one test relies on a 0500 directory being unwritable, which root
# ignores. Exits non-zero unless every test ran and passed (a skipped or
# incomplete test is a failure).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 PATH_TO_PHP_CLIENT [BUILD_DIR] [-- PHPUNIT_ARGS...]" >&2; exit 2; }
client=$(cd "$1" && pwd); shift
build="$repo/build"
if [ $# -ge 1 ] && [ "$1" != "--" ]; then build=$(cd "$1" && pwd); shift; fi
[ $# -ge 1 ] && [ "$1" = "--" ] && shift
user=${LETTS_TEST_USER:-nobody}

for f in src/libletts.so.0.1.0 src/letts-devserver tools/letts_ffi.h; do
    [ -e "$build/$f" ] || { echo "$build/$f is missing: build it first (ninja -C $build)" >&2; exit 2; }
done
[ -d "$client/tests/Integration" ] || { echo "$client/tests/Integration not found" >&2; exit 2; }

work=$(mktemp -d /tmp/php-client-compat.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
cp -R "$client/tests" "$work/tests"
mkdir -p "$work/vendor" "$work/tools"
sed -e "s|@REPO@|$repo|g" -e "s|@LIBRARY@|$build/src/libletts.so.0.1.0|g" \
    -e "s|@FFI_HEADER@|$build/tools/letts_ffi.h|g" -e "s|@SUPPORT@|$here|g" \
    "$here/autoload.php.in" > "$work/vendor/autoload.php"
# php-client's fixtures start `tools/dugdale -config <yaml>`.
printf '#!/bin/sh\n[ "$1" = -config ] && shift\nexec %s --config "$@"\n' "$build/src/letts-devserver" > "$work/tools/dugdale"
chmod 0755 "$work/tools/dugdale"
# PHPUnit 9 (Debian's) reads this; php-client's phpunit.xml.dist is for 11.
cat > "$work/phpunit.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<phpunit bootstrap="vendor/autoload.php" beStrictAboutOutputDuringTests="true"
         failOnRisky="true" failOnWarning="true" failOnIncomplete="true" failOnSkipped="true"
         cacheResult="false" colors="false">
    <testsuites>
        <testsuite name="integration"><directory>tests/Integration</directory></testsuite>
    </testsuites>
</phpunit>
XML
chmod -R a+rX "$work"
cd "$work"
if [ "$(id -u)" = 0 ]; then
    chown -R "$user" "$work"
    exec_as="runuser -u $user --"
else
    exec_as=""
fi
set +e
$exec_as env HOME="$work" TMPDIR=/tmp phpunit -c "$work/phpunit.xml" "$@"
rc=$?
exit $rc
