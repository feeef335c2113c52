#!/usr/bin/env bash
# Builds the libFuzzer binary (every module instrumented, AddressSanitizer on) and runs each
# parser's target for a fixed number of executions, seeded from the test fixtures and Seeds/.
# Prints, per target, the executions, the time and what was found; crashing inputs are kept in
# .build-fuzz/findings/ (each one becomes a regression test in the suite).
#
#   Tests/Fuzz/run.sh                      # every target, 1,000,000 executions each
#   RUNS=20000 Tests/Fuzz/run.sh entities  # one target, a short run
#
# RUNS (executions per target, default 1000000), MAX_TOTAL_TIME (seconds per target, default
# 1800: a cap, not the goal), MAX_LEN (bytes per input, default 4096).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
runs=${RUNS:-1000000}
max_total_time=${MAX_TOTAL_TIME:-1800}
max_len=${MAX_LEN:-4096}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(messenger-payload voice-json twilio-form catalog-csv chat-frame agent-frame entities http-head)

.ci/install-system-packages
build=.build-fuzz
# lld: gold fails on the instrumented objects' debug information.
ORDERBOT_FUZZ=1 swift build -c release --build-path "$build" --product orderbot-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -use-ld=lld 2>&1 \
  | grep -v "Cannot export local symbol" | tail -3
binary=$build/release/orderbot-fuzz

# The seeds of each target: fixtures of the suite where they exist, Tests/Fuzz/Seeds otherwise.
seeds_of() {
  case "$1" in
    messenger-payload) ls Tests/GatewayTests/Fixtures/messenger/*.json Tests/CryptographyTests/Fixtures/messenger/* ;;
    voice-json) ls Tests/GatewayTests/Fixtures/voice/*.json ;;
    twilio-form) ls Tests/GatewayTests/Fixtures/voice/twilio_*.txt ;;
    catalog-csv) ls Tests/NLUTests/Fixtures/catalogs/*.csv Sources/Commerce/Resources/demo-catalog.csv ;;
    *) ls "Tests/Fuzz/Seeds/$1"/* ;;
  esac
}

findings=$build/findings
mkdir -p "$findings"
report=()
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target
  mkdir -p "$corpus"
  for seed in $(seeds_of "$target"); do cp "$seed" "$corpus/"; done
  log=$build/$target.log
  echo "== $target: $runs executions (at most ${max_total_time} s)"
  started=$(date +%s)
  set +e
  # Swift's backtracer reads the crashed stack in a way AddressSanitizer reports as a second error.
  ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no ORDERBOT_FUZZ_TARGET=$target "$binary" "$corpus" -runs="$runs" -max_total_time="$max_total_time" \
    -max_len="$max_len" -timeout=20 -rss_limit_mb=4096 -detect_leaks=0 -print_final_stats=1 \
    -artifact_prefix="$findings/$target-" >"$log" 2>&1
  status=$?
  set -e
  seconds=$(( $(date +%s) - started ))
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  found=$(ls "$findings" | grep -c "^$target-" || true)
  extra=$(grep -h '^http-head:' "$log" | tail -1 || true)
  line="$target: ${executions:-?} executions in ${seconds} s, coverage ${coverage:-?} edges, exit $status, findings $found ${extra:+($extra)}"
  echo "$line"
  [ "$status" -eq 0 ] || grep -E "ERROR|Fatal error|invariant|SUMMARY" "$log" | head -5
  report+=("$line")
done
echo "== summary"
printf '%s\n' "${report[@]}"
