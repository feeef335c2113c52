#!/usr/bin/env bash
# The understanding's speed: training time and single-threaded classification throughput
# (with entities) in-process, then `orderbot classify` end to end on 10,000 lines with its peak
# memory. See Benchmarks/README.md.
#
# Knobs (environment): SECONDS_PER_RUN (5).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

build_release nlu-benchmark orderbot

report="$out/nlu-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    "$bin/nlu-benchmark" --seconds "${SECONDS_PER_RUN:-5}"

    # 10,000 varied lines: the training examples, repeated and numbered so none repeats exactly.
    "$bin/orderbot" export-intents | python3 -c '
import json, sys
texts = [json.loads(line)["text"] for line in sys.stdin]
for i in range(10000):
    print(texts[i % len(texts)] + (" " + str(i) if i >= len(texts) else ""))
' >"$tmp/lines.txt"
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$bin/orderbot" classify <"$tmp/lines.txt" >"$tmp/out.jsonl"
    read -r seconds kilobytes <"$tmp/time"
    lines=$(wc -l <"$tmp/out.jsonl")
    echo "orderbot classify      $lines lines in $seconds s wall (training included), peak RSS $((kilobytes / 1024)) MiB"
} | tee "$report"
echo "==> summary written to $report" >&2
