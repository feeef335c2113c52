#!/usr/bin/env bash
# Latency of a voice turn under concurrent calls: the release server over HTTP, POST /webhooks/voice
# (gw.voice.transcript/v1) from voice_load.py, every call a whole phone order of its own caller.
# A new server on a new database per level and round. See Benchmarks/README.md.
#
# Knobs (environment): VOICE_LEVELS calls at once ("1 8 32 64"), VOICE_CALLS_PER_LEVEL calls
# measured per level (default 2 × level, at least 16), VOICE_ROUNDS (3), VOICE_WARMUP (1: one
# unmeasured call per line first; 0: none), VOICE_DB_DIR where the databases go (default: the
# scratch directory; /dev/shm takes the fsyncs out).
set -euo pipefail

VOICE_LEVELS=${VOICE_LEVELS:-"1 8 32 64"}
VOICE_CALLS_PER_LEVEL=${VOICE_CALLS_PER_LEVEL:-}
VOICE_ROUNDS=${VOICE_ROUNDS:-3}
VOICE_WARMUP=${VOICE_WARMUP:-1}
TOKEN=bench-token
STOCK=1000000

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

use_server_data "${VOICE_DB_DIR:-}" voice

install_tools() { need_commands curl:curl python3:python3; }

# The demo catalog with every variant's stock raised, so that no call's order is refused for stock
# however many calls a level plays (the demo has 0-40 of each). Imported before the server starts,
# the server then does not seed the demo itself.
write_catalog() { # file
    python3 - "$repo/Sources/Commerce/Resources/demo-catalog.csv" "$1" "$STOCK" <<'EOF'
import csv, sys
source, target, stock = sys.argv[1:]
with open(source, encoding="utf-8", newline="") as file:
    rows = list(csv.reader(file))
column = rows[0].index("stock")
for row in rows[1:]:
    row[column] = stock
with open(target, "w", encoding="utf-8", newline="") as file:
    csv.writer(file, lineterminator="\n").writerows(rows)
EOF
}

start_server() { # database port log
    "$bin/orderbot" import-catalog "$tmp/catalog.csv" --db "$1" >/dev/null
    ORDERBOT_VOICE_TOKEN=$TOKEN ORDERBOT_LOG=warning "$bin/orderbot" serve --port "$2" --db "$1" 2>"$3" &
    server_pid=$!
    wait_until_healthy "$2" "$3"
}

# Stops the server with SIGTERM; its exit status goes to server_rc.
stop_server() {
    server_rc=0
    kill -TERM "$server_pid"
    wait "$server_pid" || server_rc=$?
    server_pid=
}

calls_for() { # level
    if [[ -n $VOICE_CALLS_PER_LEVEL ]]; then
        echo "$VOICE_CALLS_PER_LEVEL"
    else
        echo $(($1 * 2 > 16 ? $1 * 2 : 16))
    fi
}

install_tools
build_release orderbot
write_catalog "$tmp/catalog.csv"

commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git -C "$repo" diff --quiet HEAD -- 2>/dev/null; then commit+=" + uncommitted changes"; fi
loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)
results="$tmp/results.jsonl"
warm_up_flag=()
if [[ $VOICE_WARMUP == 0 ]]; then warm_up_flag=(--no-warm-up); fi
first_number=0 # callers' numbers never repeat within a run
failures=()

for ((round = 1; round <= VOICE_ROUNDS; round++)); do
    for level in $VOICE_LEVELS; do
        calls=$(calls_for "$level")
        dir="$data/round-$round-level-$level"
        mkdir -p "$dir"
        port=$(free_port)
        say "round $round/$VOICE_ROUNDS: $level calls at once, $calls calls"
        start_server "$dir/orderbot.sqlite" "$port" "$dir/server.log"
        client_rc=0
        python3 "$bench/voice_load.py" run --url "http://127.0.0.1:$port" --token "$TOKEN" \
            --concurrency "$level" --calls "$calls" "${warm_up_flag[@]}" --first-number "$first_number" \
            --run-id "bench-r$round-c$level" --round "$round" --server-pid "$server_pid" \
            --results "$results" || client_rc=$?
        stop_server
        first_number=$((first_number + level + calls))
        if ((client_rc != 0)); then failures+=("round $round, $level at once: errors or orders not placed (above)"); fi
        if ((server_rc != 0)); then
            failures+=("round $round, $level at once: orderbot exited $server_rc on SIGTERM")
            cat "$dir/server.log" >&2
        fi
    done
done

report="$out/voice-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "POST /webhooks/voice: whole phone orders (10 turns each, 2 hypotheses a turn), calls at once per level"
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average before: $loadavg_before, commit $commit"
    echo "rounds $VOICE_ROUNDS; a new server and database per level and round (in $(df --output=fstype "$data" | tail -1)); warm-up call per line: $VOICE_WARMUP;"
    echo "1 turn in 10 posted twice (repeats: not in the latency columns, their own p50)"
    echo
    if [[ -s $results ]]; then python3 "$bench/voice_load.py" report "$results"; fi
    echo
    if ((${#failures[@]})); then printf 'FAILED: %s\n' "${failures[@]}"; else echo "every call placed its order and hung up; no errors; orderbot exited 0 on every SIGTERM"; fi
} | tee "$report"
say "summary written to $report"

((${#failures[@]} == 0))
