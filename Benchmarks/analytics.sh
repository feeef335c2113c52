#!/usr/bin/env bash
# The shop owner's summary over a large history: GET /api/analytics/summary of a release server
# whose database holds MESSAGES customer and bot messages (default 1,000,000) in conversations
# spread over 90 days on the three channels, with orders and escalations; the 30-day and the
# 90-day summary, each asked RUNS times (default 5), wall time by curl.
#
# The database is migrated by the server itself (a first start), then filled by SQL in one
# transaction (Python's sqlite3): 10 messages a conversation, half from the customer, a fifth of
# those misunderstood, a tenth of conversations placing an order, a twentieth handed over.
# Nothing is asserted: the numbers are printed and written to Benchmarks/out/analytics-<time>.txt.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

MESSAGES=${MESSAGES:-1000000}
RUNS=${RUNS:-5}
TOKEN=analytics-bench-token-0123456789

need_commands curl:curl python3:python3
build_release orderbot
use_server_data "${ANALYTICS_DB_DIR:-}" analytics
db="$data/analytics.sqlite"

start() {
    port=$(free_port)
    ORDERBOT_ADMIN_TOKEN=$TOKEN "$bin/orderbot" serve --port "$port" --db "$db" --log warning 2>"$tmp/server.log" &
    server_pid=$!
    wait_until_healthy "$port" "$tmp/server.log"
}
stop() { kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=; }

say "migrating an empty database"
start
stop
say "filling it with $MESSAGES messages"
python3 - "$db" "$MESSAGES" <<'PY'
import random, sqlite3, sys, datetime
db, total = sys.argv[1], int(sys.argv[2])
random.seed(2026)
con = sqlite3.connect(db)
con.execute("PRAGMA journal_mode=WAL")
start = datetime.datetime(2026, 9, 1)
intents = ["order_product", "order_status", "affirm", "deny", "greet", "delivery_info", "payment_info", "out_of_scope", "complaint"]
channels = ["messenger", "voice", "web"]
sku = con.execute("SELECT sku, product_id, price_minor FROM variants LIMIT 1").fetchone()
conversations = total // 10
stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S.000Z")
with con:
    for c in range(1, conversations + 1):
        at = start + datetime.timedelta(seconds=random.randrange(90 * 86400))
        channel = random.choice(channels)
        con.execute("INSERT INTO customers (id, language, created_at) VALUES (?, 'pl', ?)", (c, stamp(at)))
        step = random.choice([0, 0, 1, 2, 3, 4])
        con.execute("""INSERT INTO conversations (id, customer_id, channel, external_id, created_at, updated_at, order_step)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""", (c, c, channel, f"t-{c}", stamp(at), stamp(at), step))
        rows = []
        for i in range(10):
            t = stamp(at + datetime.timedelta(seconds=20 * i))
            if i % 2 == 0:
                intent = random.choice(intents)
                confidence = random.random() * 0.6 if random.random() < 0.2 else 0.6 + random.random() * 0.4
                rows.append((c, "in", "customer", channel, "gdzie jest moja paczka", intent, confidence, t))
            else:
                rows.append((c, "out", "bot", channel, "Zamówienie jest w drodze.", None, None, t))
        con.executemany("""INSERT INTO messages (conversation_id, direction, author, channel, text, intent, confidence, created_at)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", rows)
        if c % 20 == 0:
            con.execute("""INSERT INTO escalations (conversation_id, customer_id, reason, priority, summary, status, created_at)
                           VALUES (?, ?, 'customer_request', 30, 'prosi o konsultanta', 'open', ?)""", (c, c, stamp(at)))
        if c % 10 == 0:
            con.execute("UPDATE conversations SET order_step = 5 WHERE id = ?", (c,))
            con.execute("""INSERT INTO orders (number, customer_id, conversation_id, status, currency, items_minor, delivery_minor,
                           payment_fee_minor, total_minor, delivery_method, locker_code, payment_method, contact_name, created_at, updated_at)
                           VALUES (?, ?, ?, 'new', 'PLN', ?, 0, 0, ?, 'parcel_locker', 'WRO01M', 'blik', 'Klient', ?, ?)""",
                        (f"9{c:07d}", c, c, sku[2], sku[2], stamp(at), stamp(at)))
print(f"{con.execute('SELECT count(*) FROM messages').fetchone()[0]} messages in "
      f"{con.execute('SELECT count(*) FROM conversations').fetchone()[0]} conversations, "
      f"{con.execute('SELECT count(*) FROM orders').fetchone()[0]} orders")
con.close()
PY
start
report="$out/analytics-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $MESSAGES messages, server: release; wall ms per GET (curl), $RUNS runs"
    for range in "from=2026-10-01&to=2026-10-30:30 days" "from=2026-09-01&to=2026-11-29:90 days"; do
        query=${range%%:*}
        times=()
        for ((i = 0; i < RUNS; i++)); do
            times+=("$(curl -s -o "$tmp/summary.json" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" \
                "http://127.0.0.1:$port/api/analytics/summary?$query")")
        done
        python3 - "${range#*:}" "$tmp/summary.json" "${times[@]}" <<'PY'
import json, sys
label, path, times = sys.argv[1], sys.argv[2], sorted(float(t) * 1000 for t in sys.argv[3:])
summary = json.load(open(path))
print(f"{label:8} min {times[0]:7.1f} ms  median {times[len(times) // 2]:7.1f} ms  max {times[-1]:7.1f} ms"
      f"  ({summary['conversations']} conversations, {summary['misunderstood_messages']} misunderstood, "
      f"{summary['orders']['count']} orders)")
PY
    done
} | tee "$report"
echo "==> report: $report" >&2
