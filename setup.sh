#!/usr/bin/env bash
# setup.sh — one command from a fresh Debian checkout to a working libletts.
#
#   ./setup.sh demo                 install what is missing, build, run the demo
#   ./setup.sh test [ARGS...]       install what is missing, build, run every test
#                                   (ARGS go to `meson test`, e.g. --suite abi)
#   ./setup.sh --help
#
# Environment:
#   BUILD_DIR    build directory (default: build)
#   MESON_ARGS   extra `meson setup` arguments, e.g. for a sanitizer build:
#                BUILD_DIR=build-asan MESON_ARGS="-Db_sanitize=address,undefined -Db_lundef=false"
#
# Safe to run again and again: installed packages are left alone and an
# existing build directory is reconfigured, not recreated.
set -euo pipefail

# Everything (meson, the demo's paths) is relative to the repository root.
cd "$(dirname "$(readlink -f "$0")")"

BUILD_DIR=${BUILD_DIR:-build}
# MESON_ARGS is a word list on purpose (several -D options in one variable).
read -r -a meson_args <<< "${MESON_ARGS:-}"

# Debian packages the build and the test suites need (DESIGN.md,
# "Dependencies"). Nothing is vendored or downloaded at build time, so this
# list is the whole story.
packages=(
    libcurl4-openssl-dev libcjson-dev libyaml-dev libssl-dev   # libletts itself
    libmicrohttpd-dev                                          # letts-devserver
    libcmocka-dev                                              # C unit tests
    meson ninja-build pkg-config g++ python3                   # the build
    php8.2-cli php8.2-curl phpunit                             # PHP binding (FFI) and its tests (curl: php-client's proxy tests)
    golang-go                                                  # Go binding
    clang libclang-rt-14-dev valgrind                          # .ci/run: clang build, fuzzers, memcheck
    doxygen                                                    # the HTML reference (ninja -C build docs)
)

# Rust binding (bindings/rust, meson suite `rust`): cargo, rustc, clippy.
# A rustup toolchain (~/.cargo/bin) is used when there is one; otherwise
# Debian's (Rust 1.63, the oldest the workspace is written for).
if ! command -v cargo >/dev/null 2>&1 && [ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then
    packages+=(cargo rustc rust-clippy)
fi

usage() {
    cat <<'EOF'
usage: ./setup.sh demo | test [MESON_TEST_ARGS...] | --help

  demo   install missing Debian packages, build, and run the main job:
         build/examples/c/letts-demo (an embedded letts-devserver runs the
         example mission "progress", dispatched and followed by the client),
         then the same with the command-line client: a letts-devserver with
         the example missions, its letts.yaml, `letts run` with its progress
         bar and result, and `letts ctl missions list`
  test   install missing Debian packages, build, and run the whole test suite
         (meson test -C build --print-errorlogs [MESON_TEST_ARGS...])

Missing packages are installed with apt-get when run as root; otherwise the
exact `sudo apt-get install ...` command is printed and nothing else happens.

Environment: BUILD_DIR (default "build"), MESON_ARGS (extra meson setup args).
EOF
}

say() { printf '==> %s\n' "$*"; }
die() { printf 'setup.sh: error: %s\n' "$*" >&2; exit 1; }

install_missing_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "not a Debian system (no dpkg-query): make sure these are installed: ${packages[*]}"
        return
    fi

    local missing=() pkg
    for pkg in "${packages[@]}"; do
        # "install ok installed" is the only state in which the files are there.
        if ! dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -qx 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "all ${#packages[@]} required Debian packages are installed"
        return
    fi

    say "missing Debian packages: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        printf 'setup.sh: not running as root, so not installing. Run:\n\n' >&2
        printf '    sudo apt-get install -y --no-install-recommends %s\n\n' "${missing[*]}" >&2
        printf 'then run ./setup.sh again.\n' >&2
        exit 1
    fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

build() {
    if [ -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
        say "reconfiguring $BUILD_DIR${MESON_ARGS:+ ($MESON_ARGS)}"
        meson setup --reconfigure "$BUILD_DIR" "${meson_args[@]}"
    else
        say "configuring $BUILD_DIR${MESON_ARGS:+ ($MESON_ARGS)}"
        meson setup "$BUILD_DIR" "${meson_args[@]}"
    fi
    say "building $BUILD_DIR"
    ninja -C "$BUILD_DIR"
}

# The main job with the `letts` command: a letts-devserver child with the
# example missions, the letts.yaml it prints, one `letts run` (progress bar
# on a terminal, the result on stdout), then `letts ctl missions list`.
cli_demo() {
    # Globals, not locals: the EXIT trap runs after this function returns.
    local dir letts
    dir=$(mktemp -d)
    cli_demo_dir=$dir
    letts="$BUILD_DIR/src/cli/letts"
    "$BUILD_DIR/src/letts-devserver" --mission-dir "$BUILD_DIR/examples/c/missions" \
        > "$dir/devserver.out" 2> "$dir/devserver.err" &
    cli_demo_pid=$!
    # Stop exactly the devserver started here, whatever happens below.
    trap 'kill "$cli_demo_pid" 2>/dev/null; wait "$cli_demo_pid" 2>/dev/null; rm -rf "$cli_demo_dir"' EXIT
    local tries=0
    until grep -q 'concurrency:' "$dir/devserver.out"; do
        kill -0 "$cli_demo_pid" 2>/dev/null || die "letts-devserver did not start: $(cat "$dir/devserver.err")"
        tries=$((tries + 1))
        [ "$tries" -lt 100 ] || die "letts-devserver printed no letts.yaml within 10 s"
        sleep 0.1
    done
    sed -n '/^dugdales:/,$p' "$dir/devserver.out" > "$dir/letts.yaml"
    chmod 600 "$dir/letts.yaml"
    say "letts.yaml of the devserver ($dir/letts.yaml):"
    cat "$dir/letts.yaml"
    say "letts run --mission interruptible --input '{\"seconds\":4}'"
    "$letts" --config "$dir/letts.yaml" run --mission interruptible --input '{"seconds":4}'
    say "letts run --mission progress --input '{\"steps\":3}'"
    "$letts" --config "$dir/letts.yaml" run --mission progress --input '{"steps":3}'
    say "letts ctl missions list"
    "$letts" --config "$dir/letts.yaml" ctl missions list
}

command=${1:-}
case "$command" in
    demo)
        [ $# -eq 1 ] || die "'demo' takes no arguments (see --help)"
        install_missing_packages
        build
        say "running the demo: $BUILD_DIR/examples/c/letts-demo"
        "$BUILD_DIR/examples/c/letts-demo"
        cli_demo
        ;;
    test)
        shift
        install_missing_packages
        build
        say "running the tests: meson test -C $BUILD_DIR --print-errorlogs $*"
        meson test -C "$BUILD_DIR" --print-errorlogs "$@"
        ;;
    -h|--help|help)
        usage
        ;;
    "")
        usage >&2
        exit 2
        ;;
    *)
        printf "setup.sh: unknown command '%s'\n\n" "$command" >&2
        usage >&2
        exit 2
        ;;
esac
