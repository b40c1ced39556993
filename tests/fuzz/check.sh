#!/usr/bin/env bash
# tests/fuzz/check.sh BUILD_DIR [SECONDS] — the CI fuzz step: every libFuzzer
# target of BUILD_DIR (configured with -Dfuzzing=true) runs for SECONDS
# (default 30) from its committed seed corpus. Any crash, sanitizer report,
# leak, timeout or out-of-memory fails the step; the reproducer is printed
# (kept in BUILD_DIR/fuzz-artifacts/, with a hex dump) and the end of the
# fuzzer's log. New corpus entries go to a temporary directory, never into
# the tree.
set -euo pipefail

build_dir=${1:?usage: tests/fuzz/check.sh BUILD_DIR [SECONDS]}
seconds=${2:-30}
here=$(dirname "$(readlink -f "$0")")
fuzz_bin=$(readlink -f "$build_dir")/tests/fuzz
[ -d "$fuzz_bin" ] || { echo "check.sh: no $fuzz_bin: configure $build_dir with -Dfuzzing=true" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Reproducers outlive the run, next to the build.
artifacts=$(readlink -f "$build_dir")/fuzz-artifacts
rm -rf "$artifacts"

# Every target has a seed corpus; a target without one, or a corpus without
# its target, is a mistake in the tree.
source "$here/targets.sh"

failed=()
for target in "${fuzz_targets[@]}"; do
    exe=$fuzz_bin/fuzz_$target
    [ -x "$exe" ] || { echo "check.sh: $exe was not built" >&2; failed+=("$target (not built)"); continue; }
    mkdir -p "$work/$target/corpus" "$artifacts/$target"
    log=$work/$target/log
    start=$SECONDS
    # -timeout: one input taking 10 s is a finding (the devserver answers
    # within its own timeouts). -rss_limit_mb: a bounded parser never needs
    # 2 GiB. Leak detection is libFuzzer's default with ASan; it is spelled
    # out so nobody turns it off by accident.
    if "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
            -print_final_stats=1 -dict="$here/$(target_dict "$target")" \
            -artifact_prefix="$artifacts/$target/" \
            "$work/$target/corpus" "$here/corpus/$target" >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        printf 'fuzz %-16s ok: %s executions in %ss\n' "$target" "${execs:-?}" $((SECONDS - start))
    else
        status=$?
        printf '\nfuzz %-16s FAILED (exit %s) after %ss; end of the log:\n' "$target" "$status" $((SECONDS - start))
        tail -n 60 "$log" | sed 's/^/    /'
        for artifact in "$artifacts/$target/"*; do
            [ -f "$artifact" ] || continue
            printf '  reproducer %s (%s bytes), first 512 bytes:\n' "$(basename "$artifact")" "$(stat -c %s "$artifact")"
            head -c 512 "$artifact" | od -A d -c | sed 's/^/    /'
            printf '  replay: %s %s\n' "$exe" "$artifact"
        done
        failed+=("$target")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    printf 'fuzz: %s target(s) failed: %s\n' "${#failed[@]}" "${failed[*]}" >&2
    exit 1
fi
printf 'fuzz: all %s targets ran %ss without a finding\n' "${#fuzz_targets[@]}" "$seconds"
