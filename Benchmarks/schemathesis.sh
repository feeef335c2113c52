#!/usr/bin/env bash
# The API against its own OpenAPI file: schemathesis (from PyPI, into .build/bench-venv) runs
# every check on every operation of GET /api/openapi.json of a live release server, with the admin
# token, a customer and an order in the database so the paths with ids have something to find.
# Nothing is asserted: the summary is printed and written to Benchmarks/out/schemathesis-<time>.txt.
#
# Knobs (environment): MAX_EXAMPLES per operation (100). The webhooks are left out (their bodies
# are signed; their own tests and fuzzing cover them). NUL bytes are not generated: a URL with
# `%00` anywhere is refused by libwebsockets' own URI check (4.1.6 closes the connection without an
# answer), before any of our code sees the request; Tests/Fuzz's http-head target sends them.
# Benchmarks/schemathesis.toml: the one check left out for one operation, and why.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

MAX_EXAMPLES=${MAX_EXAMPLES:-100}
TOKEN=schemathesis-admin-token

need_commands curl:curl
bench_venv schemathesis:schemathesis websockets:websockets

build_release orderbot
use_server_data "" schemathesis
port=$(free_port)
ORDERBOT_ADMIN_TOKEN=$TOKEN "$bin/orderbot" serve --port "$port" --db "$data/api.sqlite" --log warning 2>"$tmp/server.log" &
server_pid=$!
wait_until_healthy "$port" "$tmp/server.log"
# A web chat customer who orders a pair of shoes, so customers, conversations and orders have ids
# to find (the links of the OpenAPI file lead from one to the next).
"$venv/bin/python" - "$port" <<'PY'
import asyncio, json, sys
import websockets
MESSAGES = ["dzień dobry, chcę zamówić buty Sprint Lite", "rozmiar 41", "biały", "jedna para", "nie", "Kurier DPD",
            "ul. Kwiatowa 5/2, 50-123 Wrocław", "Marek Zając", "601 234 567, marek.zajac@example.pl", "za pobraniem", "tak"]
async def main():
    async with websockets.connect(f"ws://127.0.0.1:{sys.argv[1]}/ws/chat") as ws:
        await ws.send(json.dumps({"type": "hello", "language": "pl"}))
        await ws.recv()
        for index, text in enumerate(MESSAGES):
            await ws.send(json.dumps({"type": "message", "client_id": f"st-{index}", "text": text}))
            while json.loads(await ws.recv()).get("type") != "message":
                pass
asyncio.run(main())
PY

report="$out/schemathesis-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), schemathesis $("$venv/bin/schemathesis" --version | awk '{print $NF}'), $MAX_EXAMPLES examples per operation"
    "$venv/bin/schemathesis" --config-file "$(dirname "${BASH_SOURCE[0]}")/schemathesis.toml" run "http://127.0.0.1:$port/api/openapi.json" -H "Authorization: Bearer $TOKEN" \
        --max-examples "$MAX_EXAMPLES" --exclude-path-regex '^/webhooks' --generation-allow-x00 false 2>&1 \
        | sed -n '/^=* \(FAILURES\|ERRORS\|SUMMARY\)/,$p' || true
} | tee "$report"
echo "==> report: $report" >&2
