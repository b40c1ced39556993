#!/usr/bin/env bash
# tests/fuzz/campaign.sh BUILD_DIR WORK_DIR SECONDS [TARGET...] — a long
# fuzzing campaign: each target (default: all) runs SECONDS in libFuzzer's
# fork mode, which keeps going after a crash, timeout or OOM and stores each
# one. WORK_DIR (outside the tree) keeps, per target, the growing corpus
# (started from, and merged with, the committed seeds), the findings and the
# log, so a campaign can be resumed by running it again. At the end a table
# gives executions, coverage and findings per target.
#
# Environment: FUZZ_JOBS (default 1) parallel fuzzing processes per target.
# Minimise a campaign's corpus into new seeds by hand, with
#   fuzz_X -merge=1 tests/fuzz/corpus/X WORK_DIR/X/corpus
# and commit only a handful of small, telling files.
set -euo pipefail

usage='usage: tests/fuzz/campaign.sh BUILD_DIR WORK_DIR SECONDS [TARGET...]'
build_dir=${1:?$usage}
work=${2:?$usage}
seconds=${3:?$usage}
shift 3
here=$(dirname "$(readlink -f "$0")")
fuzz_bin=$(readlink -f "$build_dir")/tests/fuzz
source "$here/targets.sh"
[ $# -gt 0 ] && fuzz_targets=("$@")
[ -d "$fuzz_bin" ] || { echo "campaign.sh: no $fuzz_bin: configure $build_dir with -Dfuzzing=true" >&2; exit 2; }
case $(readlink -f "$work")/ in
    "$(readlink -f "$here/../..")"/*) echo "campaign.sh: keep WORK_DIR outside the source tree" >&2; exit 2 ;;
esac

summary=()
for target in "${fuzz_targets[@]}"; do
    exe=$fuzz_bin/fuzz_$target
    [ -x "$exe" ] || { echo "campaign.sh: $exe was not built" >&2; exit 2; }
    dir=$(readlink -f "$work")/$target
    mkdir -p "$dir/corpus" "$dir/findings"
    log=$dir/log.$(date -u +%Y%m%dT%H%M%SZ)
    echo "campaign: $target for ${seconds}s, log $log"
    # The committed seeds join the corpus first (only what adds coverage).
    "$exe" -merge=1 "$dir/corpus" "$here/corpus/$target" >"$log.merge" 2>&1 || true
    "$exe" -fork="${FUZZ_JOBS:-1}" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
        -dict="$here/$(target_dict "$target")" -artifact_prefix="$dir/findings/" \
        "$dir/corpus" >"$log" 2>&1 || true
    # Fork mode reports "#<execs>: cov: .. ft: .. corp: .. exec/s: .. oom/timeout/crash: a/b/c".
    last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -n 1)
    execs=$(sed -nE 's/^#([0-9]+):.*/\1/p' <<<"$last")
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
    otc=$(sed -nE 's#.*oom/timeout/crash: ([0-9/]+).*#\1#p' <<<"$last")
    findings=$(find "$dir/findings" -type f | wc -l)
    summary+=("$(printf '%-16s %12s %8s %18s %9s' "$target" "${execs:-?}" "${cov:-?}" "${otc:-?}" "$findings")")
    if [ "$findings" -gt 0 ]; then
        # Findings grouped by what the report says first (addresses and pids
        # cut), so one defect found 50 times reads as one line.
        for f in "$dir/findings"/*; do
            report=$("$exe" -timeout=10 -rss_limit_mb=2048 "$f" 2>&1 || true)
            sig=$(grep -m1 -E 'ERROR: |runtime error|violated|terminate called' <<<"$report" |
                  sed -E 's/==[0-9]+==//; s/0x[0-9a-f]+//g; s/(pc|bp|sp) +//g' || true)
            printf '%s\t%s\n' "${sig:-(does not reproduce alone)}" "$(basename "$f")"
        done | sort | awk -F'\t' '{n[$1]++; ex[$1]=$2} END {for (s in n) printf "  %4d x %s (e.g. %s)\n", n[s], s, ex[s]}'
    fi
done

printf '\n%-16s %12s %8s %18s %9s\n' target executions cov oom/timeout/crash findings
printf '%s\n' "${summary[@]}"
