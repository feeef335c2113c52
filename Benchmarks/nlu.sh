#!/usr/bin/env bash
# The understanding's speed: training time and single-threaded classification throughput
# (with entities) in-process, then `orderbot classify` end to end on 10,000 lines with its peak
# memory. See Benchmarks/README.md.
#
# Knobs (environment): SECONDS_PER_RUN (5).
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench")
out="$bench/out"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "==> building (release)" >&2
(cd "$repo" && swift build -c release --product nlu-benchmark && swift build -c release --product orderbot) >&2
bin=$(cd "$repo" && swift build -c release --show-bin-path)

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
