#!/usr/bin/env bash
# Fuzzes every target (or the ones named) at once for SECONDS, each into its local corpus
# work/TARGET (git-ignored, kept from run to run) seeded from the committed corpus/TARGET, then
# merges what they found into corpus/TARGET with libFuzzer's -merge=1, which adds only the
# files that bring something the committed corpus lacks, and prints one line per target.
#
#   ./run.sh SECONDS [TARGET...]
#
# Environment: FUZZ_FLAGS, more libFuzzer flags for the fuzzing runs (e.g. -max_len=4096);
# MERGE_FLAGS, for the merge (default -use_counters=0: edges alone, so that the committed
# corpus stays small; empty to merge over every feature); BUILD_FLAGS, for `cargo fuzz build`
# (default -s none, which builds on stable).
set -euo pipefail

usage() {
    echo "usage: $0 SECONDS [TARGET...]" >&2
    exit 2
}
[[ $# -ge 1 && $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || usage
seconds=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    targets=(session engine identifiers snapshot)
fi
for t in "${targets[@]}"; do
    [[ -d corpus/$t ]] || { echo "no target '$t' (no corpus/$t)" >&2; exit 2; }
done
read -r -a fuzz_flags <<< "${FUZZ_FLAGS:-}"
read -r -a merge_flags <<< "${MERGE_FLAGS--use_counters=0}"
read -r -a build_flags <<< "${BUILD_FLAGS:--s none}"

cargo fuzz build "${build_flags[@]}" >&2
triple=$(rustc -vV | sed -n 's/^host: //p')
bin=$here/target/$triple/release

# The cores shared out among the targets: each runs that many workers (at least one).
workers=$(( $(nproc) / ${#targets[@]} ))
(( workers >= 1 )) || workers=1

start=$(mktemp)
trap 'rm -f "$start"' EXIT
pids=()
for t in "${targets[@]}"; do
    mkdir -p "work/$t" "work/logs/$t" "artifacts/$t"
    rm -f "work/logs/$t"/fuzz-*.log
    # -jobs writes each worker's output to fuzz-N.log in the current directory.
    (
        cd "work/logs/$t"
        exec "$bin/$t" -jobs="$workers" -workers="$workers" -max_total_time="$seconds" \
            -artifact_prefix="$here/artifacts/$t/" "${fuzz_flags[@]}" \
            "$here/work/$t" "$here/corpus/$t" > run.log 2>&1
    ) &
    pids+=($!)
done
echo "fuzzing ${targets[*]} for ${seconds} s, $workers worker(s) each" >&2
for pid in "${pids[@]}"; do
    wait "$pid" || true # a crash ends its worker; it is counted below
done

printf '%-12s %12s %9s %13s %11s %8s\n' target executions exec/s "corpus files" "new edges" crashes
for t in "${targets[@]}"; do
    runs=0
    for log in "work/logs/$t"/fuzz-*.log; do
        [[ -f $log ]] || continue
        # "Done N runs" when the time ran out, else the last status line ("#N ...").
        n=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
        [[ -n $n ]] || n=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -1)
        runs=$(( runs + ${n:-0} ))
    done
    crashes=$(find "artifacts/$t" -type f -newer "$start" | wc -l)
    before=$(find "corpus/$t" -type f | wc -l)
    "$bin/$t" -merge=1 "${merge_flags[@]}" "corpus/$t" "work/$t" > "work/logs/$t/merge.log" 2>&1 || true
    after=$(find "corpus/$t" -type f | wc -l)
    edges=$(sed -n 's/^MERGE-OUTER: .* \([0-9]*\) new coverage edges$/\1/p' "work/logs/$t/merge.log" | tail -1)
    printf '%-12s %12d %9d %13s %11s %8d\n' "$t" "$runs" $(( runs / seconds )) \
        "$before +$(( after - before ))" "+${edges:-?}" "$crashes"
done
