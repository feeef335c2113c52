#!/usr/bin/env bash
# The whole way: signed Messenger webhooks under wrk against a release server, then the turns.
#
#   Benchmarks/webhook.sh
#
# One distinct text message per POST (signed X-Hub-Signature-256, distinct message ids, SENDERS
# customers, texts like "gdzie jest moja paczka"), at each of CONNECTIONS for DURATION seconds:
#   - the acknowledgement rate and its latency (wrk: p50, p99);
#   - end to end: accepted messages ÷ seconds from the start until the engine has taken every
#     turn (orderbot_engine_turns_total on /metrics);
#   - CPU microseconds per message (the server's user + system time over the run);
#   - back-pressure: the inbox's peak depth and lag (orderbot_inbox_depth, _oldest_age_seconds);
#   - the writer's group commits and the writes in them (orderbot_database_group_*_total);
#   - GET /healthz of the same server in the same run, and its resident memory after it all
#     (VmRSS) and at its peak (VmHWM).
# Environment: CONNECTIONS (default "32 256"), DURATION (default 10), SENDERS (default 5000),
# MESSAGES (requests prepared per level, default 150000), WEBHOOK_DB_DIR (e.g. /dev/shm).
# Nothing is asserted: the numbers are printed and written to Benchmarks/out/webhook-<time>.txt.
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-"32 256"}
DURATION=${DURATION:-10}
SENDERS=${SENDERS:-5000}
MESSAGES=${MESSAGES:-150000}
SECRET=bench-app-secret

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
use_server_data "${WEBHOOK_DB_DIR:-}" webhook
need_commands wrk:wrk curl:curl python3:python3
build_release orderbot

# Requests: one "signature<TAB>body" line each, read by the wrk script.
prepare() { # level file
    python3 - "$1" "$2" "$MESSAGES" "$SENDERS" "$SECRET" <<'PY'
import hashlib, hmac, json, sys
level, path, count, senders, secret = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5].encode()
texts = ["gdzie jest moja paczka", "dzień dobry", "ile kosztuje dostawa?", "chcę zwrócić buty", "jakie macie godziny otwarcia",
         "czy macie Aero Run w rozmiarze 42?", "dziękuję", "jak mogę zapłacić?"]
with open(path, "w") as out:
    for i in range(count):
        body = json.dumps({"object": "page", "entry": [{"id": "1000000000000001", "time": 1718010600000 + i, "messaging": [{
            "sender": {"id": str(4000000000000000 + i % senders)}, "recipient": {"id": "1000000000000001"},
            "timestamp": 1718010600000 + i, "message": {"mid": f"m_bench_{level}_{i}", "text": texts[i % len(texts)]}}]}]},
            separators=(",", ":"), ensure_ascii=False)
        signature = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
        out.write(f"sha256={signature}\t{body}\n")
PY
}

cat >"$tmp/webhook.lua" <<'LUA'
local lines = {}
local index = 0
function init(args)
    for line in io.lines(args[1]) do
        local tab = line:find("\t", 1, true)
        lines[#lines + 1] = wrk.format("POST", "/webhooks/messenger",
            {["Content-Type"] = "application/json", ["X-Hub-Signature-256"] = line:sub(1, tab - 1)}, line:sub(tab + 1))
    end
end
function request()
    index = index + 1
    if index > #lines then index = 1 end
    return lines[index]
end
LUA

metric() { # port name → the sum of the metric's samples
    curl -s "http://127.0.0.1:$1/metrics" | awk -v name="$2" '$1 == name || index($1, name "{") == 1 { sum += $2 } END { printf "%d\n", sum }'
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

report="$out/webhook-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "wrk -t1, ${DURATION}s per level, $SENDERS senders, one signed event per POST; server: release, durability full"
    printf '%-6s %10s %9s %9s %11s %12s %12s %10s %13s\n' conns "acks/s" "p50 ms" "p99 ms" "e2e msg/s" "cpu µs/msg" "healthz/s" "ratio" "RSS/peak MiB"
    for level in $CONNECTIONS; do
        say "preparing $MESSAGES requests for $level connections"
        prepare "$level" "$tmp/requests.txt"
        port=$(free_port)
        rm -f "$data/webhook.sqlite"*
        ORDERBOT_MESSENGER_APP_SECRET=$SECRET ORDERBOT_LOG=warning \
            "$bin/orderbot" serve --port "$port" --db "$data/webhook.sqlite" 2>"$tmp/server.log" &
        server_pid=$!
        wait_until_healthy "$port" "$tmp/server.log"
        turns_before=$(metric "$port" orderbot_engine_turns_total)
        ticks_before=$(cpu_ticks "$server_pid")
        start=$(date +%s.%N)
        say "$level connections, ${DURATION}s"
        # Back-pressure: the inbox's depth and lag, sampled every 0.2 s until every turn is taken.
        ( while sleep 0.2; do
              curl -s "http://127.0.0.1:$port/metrics" | awk '
                  index($1, "orderbot_inbox_depth{") == 1 { d = $2 } index($1, "orderbot_inbox_oldest_age_seconds{") == 1 { a = $2 }
                  END { print d + 0, a + 0 }'
          done >"$tmp/backlog.txt" ) &
        sampler_pid=$!
        wrk -t1 -c"$level" -d"${DURATION}s" --latency -s "$tmp/webhook.lua" "http://127.0.0.1:$port" -- "$tmp/requests.txt" >"$tmp/wrk.txt"
        accepted=$(awk '/requests in/ { print $1 }' "$tmp/wrk.txt")
        (( accepted > MESSAGES )) && accepted=$MESSAGES
        # Wait until the engine has taken every accepted message (or stops making progress).
        last=-1; still=0
        while :; do
            turns=$(( $(metric "$port" orderbot_engine_turns_total) - turns_before ))
            (( turns >= accepted )) && break
            if (( turns == last )); then still=$((still + 1)); else still=0; fi
            (( still >= 50 )) && break
            last=$turns
            sleep 0.1
        done
        done_at=$(date +%s.%N)
        kill "$sampler_pid" 2>/dev/null; wait "$sampler_pid" 2>/dev/null || true
        ticks_after=$(cpu_ticks "$server_pid")
        commits=$(metric "$port" orderbot_database_group_commits_total)
        grouped=$(metric "$port" orderbot_database_group_writes_total)
        wrk -t1 -c"$level" -d3s --latency "http://127.0.0.1:$port/healthz" >"$tmp/healthz.txt"
        rss=$(awk '/^VmRSS/ { rss = $2 } /^VmHWM/ { peak = $2 } END { printf "%.0f/%.0f", rss / 1024, peak / 1024 }' "/proc/$server_pid/status")
        kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=
        acks=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$tmp/wrk.txt")
        healthz=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$tmp/healthz.txt")
        to_ms() { awk -v q="$1" '$1 == q { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } printf "%.2f", v }' "$2"; }
        e2e=$(awk -v n="$turns" -v a="$start" -v b="$done_at" 'BEGIN { printf "%.0f", n / (b - a) }')
        cpu=$(awk -v t="$((ticks_after - ticks_before))" -v n="$turns" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", n ? t / hz * 1e6 / n : 0 }')
        ratio=$(awk -v a="$acks" -v h="$healthz" 'BEGIN { printf "%.3f", h ? a / h : 0 }')
        printf '%-6s %10s %9s %9s %11s %12s %12s %10s %13s\n' "$level" "$acks" "$(to_ms 50% "$tmp/wrk.txt")" \
            "$(to_ms 99% "$tmp/wrk.txt")" "$e2e" "$cpu" "$healthz" "$ratio" "$rss"
        echo "       accepted $accepted, turns taken $turns; non-2xx: $(awk '/Non-2xx/ { print $NF }' "$tmp/wrk.txt")"
        echo "       group commits: $commits for $grouped writes ($(awk -v w="$grouped" -v c="$commits" 'BEGIN { printf "%.1f", c ? w / c : 0 }') a commit)"
        echo "       inbox backlog: peak depth $(awk '$1 > m { m = $1 } END { print m + 0 }' "$tmp/backlog.txt"), peak lag $(awk '$2 > m { m = $2 } END { printf "%.2f", m }' "$tmp/backlog.txt") s"
    done
} | tee "$report"
say "report: $report"
