#!/usr/bin/env bash
# The conversation engine in-process with persistence: messages a second and latency per message
# through ConversationEngine.handle from CONVERSATIONS concurrent conversations, and single-threaded
# handleNow, on a new SQLite file (WAL, the gateway's default durability) per phase. ROUNDS runs,
# each printed, then the medians. See Benchmarks/README.md.
#
# Knobs (environment): ROUNDS (3), DURATION seconds measured (10), WARMUP seconds (2),
# CONVERSATIONS (64), SYNC_DURATION seconds of handleNow (5), DURABILITY (full|normal; default:
# DatabaseConfiguration's). Arguments are passed on to engine-benchmark.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONVERSATIONS=${CONVERSATIONS:-64}
SYNC_DURATION=${SYNC_DURATION:-5}

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

build_release engine-benchmark

arguments=(--conversations "$CONVERSATIONS" --seconds "$DURATION" --warmup "$WARMUP" --sync-seconds "$SYNC_DURATION")
if [[ -n ${DURABILITY:-} ]]; then arguments+=(--durability "$DURABILITY"); fi
arguments+=("$@")

median() { sort -g | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= ROUNDS; r++)); do
    echo "==> round $r/$ROUNDS" >&2
    "$bin/engine-benchmark" "${arguments[@]}" >"$tmp/round-$r.txt"
done

report="$out/engine-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average before: $loadavg_before"
    # The description of the run (the same every round), then every round's table rows.
    sed -n '1,/^machine/p' "$tmp/round-1.txt"
    echo
    printf '%-6s %s\n' round "$(grep '^mode ' "$tmp/round-1.txt")"
    for ((r = 1; r <= ROUNDS; r++)); do
        grep -E '^handle(Now)?,' "$tmp/round-$r.txt" | while IFS= read -r row; do printf '%-6s %s\n' "$r" "$row"; done
    done
    for mode in 'handle,' 'handleNow,'; do
        rows=$(cat "$tmp"/round-*.txt | grep -F "$mode" | grep -E "^$mode")
        # Columns from the right: msg/s, p50, p99, max, orders (the label has spaces in it).
        rate=$(awk '{print $(NF-4)}' <<<"$rows" | median)
        p50=$(awk '{print $(NF-3)}' <<<"$rows" | median)
        p99=$(awk '{print $(NF-2)}' <<<"$rows" | median)
        label=$(head -1 <<<"$rows" | awk '{NF -= 7; print}')
        printf 'median %-32s %10.0f msg/s   p50 %.3f ms   p99 %.3f ms\n' "$label" "$rate" "$p50" "$p99"
    done
    grep '^mix measured' "$tmp"/round-*.txt | sed -E 's/^.*round-([0-9]+)\.txt:/round \1 /'
} | tee "$report"
echo "==> summary written to $report" >&2
