#!/usr/bin/env bash
# make fuzz: builds every libFuzzer target in Fuzz/ (see Fuzz/README.md) with -sanitize=fuzzer,address in its own
# build folder, seeds its corpus (scripts/fuzz-seeds.py) and runs it for FUZZ_SECONDS, one target after another.
#
#   FUZZ_SECONDS=600 bash scripts/fuzz.sh                 # every target, 10 minutes each (the default)
#   FUZZ_TARGETS="YAMLLoader JSONReader" bash scripts/fuzz.sh
#
# Corpora grow in .build-fuzz/corpus/<Target> from run to run; a crash, a timeout (10 s) or running out of memory
# (2 GB) leaves its input in .build-fuzz/findings/<Target>/ and makes the script exit 1 after the other targets.
# Each target's last line of figures (executions per second, cov:, ft:) is printed in a table at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-600}
targets=${FUZZ_TARGETS:-"JSONReader YAMLLoader PolicyParser SimulateInput ConditionEvaluator SigV4Authorization SimulatorRequests MockHTTP"}
scratch=.build-fuzz

# SwiftPM links with gold, which fails on libFuzzer's objects ("internal error in format_file_lineno"): link with
# the toolchain's lld instead, through a toolset file.
swiftc=$(command -v swiftc)
lld="$(dirname "$(readlink -f "$swiftc")")/ld.lld"
if [ ! -x "$lld" ]; then
    lld=$(command -v ld.lld || true)
fi
if [ -z "$lld" ] || [ ! -x "$lld" ]; then
    echo "error: ld.lld not found next to swiftc or on PATH; it ships with the Swift toolchain" >&2
    exit 2
fi
mkdir -p "$scratch/logs"
printf '{ "schemaVersion": "1.0", "linker": { "path": "%s" } }\n' "$lld" > "$scratch/toolset.json"

export TRUSTFLOW_FUZZ=1
build() {
    swift build -c release --scratch-path "$scratch" --toolset "$scratch/toolset.json" \
        -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address --product "Fuzz$1"
}

python3 scripts/fuzz-seeds.py "$scratch/corpus"

failed=()
summary=()
for target in $targets; do
    echo "== Fuzz$target: building"
    build "$target"
    mkdir -p "$scratch/corpus/$target" "$scratch/findings/$target"
    case $target in
        JSONReader | PolicyParser | SimulateInput | YAMLLoader) max_len=16384 ;;
        *) max_len=4096 ;;
    esac
    # MockHTTP: SwiftNIO allocates per-thread state (the embedded event loop's, the byte buffer allocator's) that
    # outlives a run, so libFuzzer would look for leaks after every input (ten times slower) and find none; memory
    # stays flat over thousands of runs (the rss column of its log), which is what a long-running mock needs.
    extra=()
    [ "$target" = MockHTTP ] && extra=(-detect_leaks=0)
    echo "== Fuzz$target: running for ${seconds}s"
    log="$scratch/logs/$target.log"
    status=0
    "$scratch/release/Fuzz$target" "$scratch/corpus/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" -print_final_stats=1 "${extra[@]}" \
        -artifact_prefix="$scratch/findings/$target/" > "$log" 2>&1 || status=$?
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    rate=$(grep -E '^stat::average_exec_per_sec' "$log" | awk '{print $2}' || true)
    cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | awk '{print $2}' || true)
    ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | awk '{print $2}' || true)
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}' || true)
    findings=$(find "$scratch/findings/$target" -type f | wc -l)
    if [ "$status" -ne 0 ]; then
        failed+=("$target")
        echo "!! Fuzz$target stopped with status $status; see $log and $scratch/findings/$target/" >&2
        grep -E 'ERROR|Fatal error|Precondition failed|==[0-9]+==' "$log" | head -5 >&2 || true
    fi
    summary+=("$(printf '%-20s %10s %8s %8s %10s %8s' "$target" "${runs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$findings")")
done

echo
printf '%-20s %10s %8s %8s %10s %8s\n' "target" "runs" "exec/s" "cov" "ft" "findings"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
