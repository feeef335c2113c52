#!/usr/bin/env bash
# GET /api/analytics/misunderstood over MESSAGES customer messages the bot missed (40 ways to ask
# for a parcel with changing order numbers, case and punctuation, and word salad that groups
# little), as the dashboard calls it: the whole request over HTTP, reading the misses and grouping
# them included. Median of RUNS requests. See Benchmarks/README.md.
#
# Knobs (environment): MESSAGES (50000), RUNS (7), ORDERBOT (a built orderbot binary to use
# instead of a release build, e.g. .build/debug/orderbot).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
use_server_data "" misses

messages=${MESSAGES:-50000}
runs=${RUNS:-7}
if [[ -n ${ORDERBOT:-} ]]; then
    orderbot=$ORDERBOT
else
    build_release orderbot
    orderbot=$bin/orderbot
fi

port=$(free_port)
token=bench-admin-token
ORDERBOT_ADMIN_TOKEN=$token "$orderbot" serve --port "$port" --db "$data/misses.sqlite" 2>"$data/server.log" &
server_pid=$!
wait_until_healthy "$port" "$data/server.log"

say "writing $messages missed messages"
python3 - "$data/misses.sqlite" "$messages" <<'PY'
import random, sqlite3, sys
db, count = sqlite3.connect(sys.argv[1], timeout=30), int(sys.argv[2])
random.seed(22)
asks = ["kiedy dotrze mój pakunek", "co z moją przesyłką", "gdzie jest zamówienie nr", "czy paczka już wyszła",
        "ile jeszcze czekać na buty", "kurier nie przyjechał", "nie dostałem maila z numerem", "when will my parcel come"]
ends = ["", "?", "??", "!", " pilne", " proszę o info", " dzięki"]
salad = ["zz" + "".join(random.choice("abcdefghij") for _ in range(4)) for _ in range(3000)]
stamp = "2026-12-01T10:00:00.000Z"
db.execute("INSERT INTO customers (language, created_at) VALUES ('pl', ?)", (stamp,))
customer = db.execute("SELECT last_insert_rowid()").fetchone()[0]
db.execute("INSERT INTO conversations (customer_id, channel, external_id, language, created_at, updated_at) VALUES (?, 'web', 'bench', 'pl', ?, ?)",
           (customer, stamp, stamp))
conversation = db.execute("SELECT last_insert_rowid()").fetchone()[0]
rows = []
for i in range(count):
    if i % 10 == 9:
        text = " ".join(random.choice(salad) for _ in range(4))
    else:
        text = f"{random.choice(asks)} {random.randint(100000, 999999)}{random.choice(ends)}"
        text = text.upper() if random.random() < 0.2 else text
    rows.append((conversation, text, stamp))
db.executemany("INSERT INTO messages (conversation_id, direction, author, channel, text, intent, confidence, created_at) "
               "VALUES (?, 'in', 'customer', 'web', ?, 'out_of_scope', 0.9, ?)", rows)
db.commit()
PY

report="$out/misses-$(date -u +%Y%m%dT%H%M%SZ).txt"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
url="http://127.0.0.1:$port/api/analytics/misunderstood?limit=20"
curl -fs -H "Authorization: Bearer $token" "$url" >"$data/first.json"
{
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg), $orderbot"
    for _ in $(seq "$runs"); do
        curl -fs -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url"
    done >"$data/times"
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print("%s misses: %d groups, %d messages; largest %d" % (sys.argv[2], d["total_groups"], d["total_messages"], d["groups"][0]["count"]))' \
        "$data/first.json" "$messages"
    echo "GET /api/analytics/misunderstood: median $(median <"$data/times") s over $runs requests (all: $(tr '\n' ' ' <"$data/times"))"
} | tee "$report"
say "summary written to $report"
