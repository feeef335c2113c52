#!/usr/bin/env bash
# The web pages under wrk: GET / (the chat page), GET /agent, the console's largest module, and a
# revalidation answered 304; GET /healthz beside them as the floor of this stack. All are answered
# from memory on the I/O thread. See Benchmarks/README.md.
#
# Knobs (environment): ROUNDS (3), DURATION seconds per run (5), CONNECTIONS (32).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}

need_commands wrk:wrk curl:curl
build_release orderbot
use_server_data "" pages

port=$(free_port)
"$bin/orderbot" serve --port "$port" --db "$data/pages.sqlite" --log warning 2>"$tmp/server.log" &
server_pid=$!
wait_until_healthy "$port" "$tmp/server.log"

base="http://127.0.0.1:$port"
module=$(curl -fs "$base/agent" | grep -o 'static/[0-9a-f]*/agent.js' | head -1)
tag=$(curl -fsI "$base/" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }')
[[ -n $module && -n $tag ]] || { echo "pages.sh: the server's pages are missing" >&2; exit 1; }

# One wrk run: prints requests/s, p50 and p99 latency in ms.
measure() { # url [header]
    local args=(-t 2 -c "$CONNECTIONS" -d "${DURATION}s" --latency)
    [[ -n ${2:-} ]] && args+=(-H "$2")
    wrk "${args[@]}" "$1" | awk '
        /Requests\/sec/ { rps = $2 }
        /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        END { printf "%.0f %.2f %.2f\n", rps, ms(p50), ms(p99) }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

say "wrk: $ROUNDS rounds of ${DURATION}s, $CONNECTIONS connections (summary also in $out/pages.txt)"
exec > >(tee "$out/pages.txt")
printf "%-34s %8s %10s %10s %10s\n" "request" "bytes" "req/s" "p50 ms" "p99 ms"
while IFS='|' read -r name url header; do
    bytes=$(curl -fs ${header:+-H "$header"} "$url" | wc -c)
    : >"$tmp/runs"
    for ((round = 0; round < ROUNDS; round++)); do measure "$url" "$header" >>"$tmp/runs"; done
    printf "%-34s %8s %10s %10s %10s\n" "$name" "$bytes" \
        "$(cut -d' ' -f1 "$tmp/runs" | median)" "$(cut -d' ' -f2 "$tmp/runs" | median)" "$(cut -d' ' -f3 "$tmp/runs" | median)"
done <<ROWS
GET /healthz|$base/healthz|
GET / (chat page)|$base/|
GET /agent (console)|$base/agent|
GET /$module|$base/$module|
GET / with If-None-Match (304)|$base/|If-None-Match: $tag
ROWS
