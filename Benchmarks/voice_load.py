#!/usr/bin/env python3
"""Load client of Benchmarks/voice.sh: concurrent phone calls against POST /webhooks/voice.

`run` plays CALLS whole phone orders, CONCURRENCY at a time, against a running orderbot and
appends one JSON line of results to --results; `report` prints the table of such lines.
Standard library only. See Benchmarks/README.md.
"""

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse

from server_probe import scrape, server_cpu_seconds

SHOP_LINE = "+48221234567"

# Aero Run comes in these sizes and colours (Sources/Commerce/Resources/demo-catalog.csv); voice.sh
# imports that catalog with every variant's stock raised, so no order is refused for stock.
SIZES = ["trzydzieści osiem", "trzydzieści dziewięć", "czterdzieści", "czterdzieści jeden",
         "czterdzieści dwa", "czterdzieści trzy", "czterdzieści cztery", "czterdzieści pięć"]
# (what the recogniser heard best, a slightly different second hypothesis)
COLOURS = [("białe", "biały"), ("czarne", "czarny"), ("niebieskie", "niebieski")]
QUANTITIES = [("dwie pary", "dwie parę"), ("jedną parę", "jedna para"), ("trzy pary", "trzy para")]
NAMES = [("Jan Kowalski", "jan kowalsky"), ("Anna Nowak", "anna nowak"), ("Piotr Wiśniewski", "piotr wiśniewsky"),
         ("Katarzyna Wójcik", "katarzyna wójcik"), ("Tomasz Lewandowski", "tomasz lewandowsky")]
LOCKERS = [("WRO01M", "w r o zero jeden m"), ("KRA02A", "k r a zero dwa a"), ("WAW15M", "w a w piętnaście m"),
           ("POZ03N", "p o z zero trzy n")]

PLACED = "złożone"  # in the reply to "tak": "Zamówienie numer … zostało złożone."
ORDER_TURN = 9
TURNS_PER_CALL = 10


def script(index):
    """The turns of call `index`: (seq, best hypothesis, second hypothesis), a whole order by voice."""
    size = SIZES[index % len(SIZES)]
    colour = COLOURS[index % len(COLOURS)]
    quantity = QUANTITIES[index // len(COLOURS) % len(QUANTITIES)]
    name = NAMES[index % len(NAMES)]
    locker = LOCKERS[index % len(LOCKERS)]
    turns = [
        (f"dzień dobry chcę zamówić buty aero run rozmiar {size}",
         f"dzień dobry chcę zamówić buty aero ran rozmiar {size}"),
        colour,
        quantity,
        ("nie", "nie nic"),
        ("do paczkomatu", "paczkomat"),
        locker,
        name,
        ("blik", "blick"),
        ("tak", "tak potwierdzam"),
        ("nie dziękuję", "nie dziękuje"),
    ]
    assert len(turns) == TURNS_PER_CALL
    return [(seq, best, second) for seq, (best, second) in enumerate(turns, start=1)]


def phone(number):
    """600000000 + n as a Polish mobile number written as callers' platforms often send it."""
    digits = f"{600_000_000 + number:09d}"
    return f"+48 {digits[0:3]} {digits[3:6]} {digits[6:9]}"


def body(call_id, caller, seq, best, second):
    return json.dumps({
        "schema": "gw.voice.transcript/v1", "call_id": call_id, "from": caller, "to": SHOP_LINE, "seq": seq,
        "is_final": True, "language": "pl-PL",
        "alternatives": [{"transcript": best, "confidence": 0.9}, {"transcript": second, "confidence": None}],
        "end_reason": "silence",
    }, ensure_ascii=False).encode("utf-8")


class Caller:
    """One phone line of the platform: a keep-alive connection, calls played one after another."""

    def __init__(self, host, port, token):
        self.host, self.port = host, port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connection = None

    def post(self, payload):
        """(status, body bytes, seconds from sending to the whole response read); status 0 when
        the connection failed (it is then reopened for the next request)."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        started = time.perf_counter()
        try:
            self.connection.request("POST", "/webhooks/voice", payload, self.headers)
            response = self.connection.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - started
            if response.will_close:
                self.close()
            return response.status, data, elapsed
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return 0, str(error).encode(), time.perf_counter() - started

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Tally:
    """What the callers saw, gathered under a lock (appends are rare next to the HTTP work)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.repeat_latencies = []
        self.errors = []
        self.orders = 0
        self.hangups = 0
        self.failed_calls = []

    def error(self, message):
        with self.lock:
            self.errors.append(message)


def says(reply):
    return " ".join(action.get("text", "") for action in reply["actions"] if action.get("type") == "say")


def play(caller, index, number, run_id, tally, measured):
    """Plays call `index` to the end; the caller waits for each reply before speaking again. One
    turn in ten (a different one each call) is posted twice with the same seq, as a platform
    retrying a webhook does: the second answer must be the first one again, byte for byte."""
    call_id = f"{run_id}-call-{index}"
    line = phone(number)
    repeated_seq = index % TURNS_PER_CALL + 1
    transcript = []
    placed = hung_up = False
    latencies, repeats = [], []
    for seq, best, second in script(index):
        payload = body(call_id, line, seq, best, second)
        status, data, elapsed = caller.post(payload)
        reply = None
        if status == 200:
            try:
                reply = json.loads(data)
            except ValueError:
                pass
        if not isinstance(reply, dict) or not reply.get("actions") or reply.get("in_reply_to_seq") != seq:
            tally.error(f"{call_id} seq {seq}: HTTP {status}: {data[:200]!r}")
            transcript.append((best, f"<HTTP {status}>"))
            break
        latencies.append(elapsed)
        transcript.append((best, says(reply)))
        if seq == ORDER_TURN and PLACED in says(reply):
            placed = True
        if seq == TURNS_PER_CALL and reply["actions"][-1].get("type") == "hangup":
            hung_up = True
        if seq == repeated_seq:
            status, again, elapsed = caller.post(payload)
            if status != 200 or again != data:
                tally.error(f"{call_id} seq {seq} repeated: HTTP {status}, reply differs: {again[:200]!r}")
            else:
                repeats.append(elapsed)
    if not measured:
        return
    with tally.lock:
        tally.latencies.extend(latencies)
        tally.repeat_latencies.extend(repeats)
        tally.orders += placed
        tally.hangups += hung_up
        if not (placed and hung_up):
            tally.failed_calls.append((call_id, line, transcript))


SERVER_SERIES = {
    # name in the report: (count sample, sum sample)
    "voice_turn": ("orderbot_voice_turn_seconds_count", "orderbot_voice_turn_seconds_sum"),
    "engine_turn": ("orderbot_turn_seconds_count", "orderbot_turn_seconds_sum"),
    "http_voice": ('orderbot_http_request_duration_seconds_count{route="/webhooks/voice"}',
                   'orderbot_http_request_duration_seconds_sum{route="/webhooks/voice"}'),
}
SERVER_COUNTERS = {
    "orders_placed": "orderbot_orders_placed_total",
    "repeated": 'orderbot_voice_turns_total{outcome="repeated"}',
    "hangup": 'orderbot_voice_turns_total{outcome="hangup"}',
    "transfer": 'orderbot_voice_turns_total{outcome="transfer"}',
    "choice_first": 'orderbot_voice_hypothesis_choice_total{choice="first"}',
    "choice_other": 'orderbot_voice_hypothesis_choice_total{choice="other"}',
}


def server_view(before, after):
    """What the server counted between two scrapes: histogram counts and sums, and counters."""
    view = {}
    for name, (count, total) in SERVER_SERIES.items():
        if count in after:
            view[name] = {"count": after[count] - before.get(count, 0), "sum": after[total] - before.get(total, 0)}
    for name, sample in SERVER_COUNTERS.items():
        view[name] = after.get(sample, 0) - before.get(sample, 0)
    return view


def run(arguments):
    url = urllib.parse.urlsplit(arguments.url)
    host, port = url.hostname, url.port or 80
    concurrency, calls = arguments.concurrency, arguments.calls
    warm_up = concurrency if arguments.warm_up else 0
    callers = [Caller(host, port, arguments.token) for _ in range(concurrency)]
    tally = Tally()
    warm_tally = Tally()
    next_call = iter(range(warm_up, warm_up + calls))
    next_lock = threading.Lock()
    warmed = threading.Barrier(concurrency + 1)
    go = threading.Barrier(concurrency + 1)

    def line(worker):
        caller = callers[worker]
        try:
            if warm_up:
                play(caller, worker, arguments.first_number + worker, arguments.run_id, warm_tally, measured=False)
            warmed.wait()
            go.wait()
            while True:
                with next_lock:
                    index = next(next_call, None)
                if index is None:
                    break
                play(caller, index, arguments.first_number + index, arguments.run_id, tally, measured=True)
        except Exception as error:  # a bug here must not leave the other lines waiting forever
            if not isinstance(error, threading.BrokenBarrierError):
                tally.error(f"line {worker}: {error!r}")
            warmed.abort()
            go.abort()
        finally:
            caller.close()

    threads = [threading.Thread(target=line, args=(worker,), daemon=True) for worker in range(concurrency)]
    for thread in threads:
        thread.start()
    try:
        warmed.wait()
        _, before = scrape(host, port)
        cpu_before = server_cpu_seconds(arguments.server_pid)
        client_before = os.times()
        go.wait()
    except threading.BrokenBarrierError:
        for thread in threads:
            thread.join()
        print(f"the load stopped early: {(warm_tally.errors + tally.errors)[:3]}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    client_after = os.times()
    cpu_after = server_cpu_seconds(arguments.server_pid)
    _, after = scrape(host, port)

    latencies = sorted(tally.latencies)
    view = server_view(before, after)
    result = {
        "round": arguments.round, "concurrency": concurrency, "calls": calls, "turns": len(latencies),
        "repeats": len(tally.repeat_latencies), "seconds": seconds,
        "p50_ms": percentile(latencies, 50), "p90_ms": percentile(latencies, 90),
        "p99_ms": percentile(latencies, 99), "max_ms": 1000 * latencies[-1] if latencies else 0,
        "repeat_p50_ms": percentile(sorted(tally.repeat_latencies), 50),
        "orders": tally.orders, "hangups": tally.hangups, "errors": len(tally.errors) + len(warm_tally.errors),
        "failed_calls": len(tally.failed_calls), "warm_up_calls": warm_up,
        "server_cpu_s": None if cpu_before is None else cpu_after - cpu_before,
        "client_cpu_s": (client_after.user + client_after.system) - (client_before.user + client_before.system),
        "server": view,
    }
    with open(arguments.results, "a") as results:
        results.write(json.dumps(result) + "\n")
    for message in (warm_tally.errors + tally.errors)[:10]:
        print(f"error: {message}", file=sys.stderr)
    for call_id, caller_line, transcript in tally.failed_calls[:3]:
        print(f"call {call_id} ({caller_line}) placed no order or did not hang up:", file=sys.stderr)
        for said, answer in transcript:
            print(f"  > {said}\n  < {answer}", file=sys.stderr)
    if view.get("orders_placed") != tally.orders:
        print(f"the server counted {view.get('orders_placed')} orders placed, the callers heard {tally.orders}",
              file=sys.stderr)
    ok = not tally.errors and not warm_tally.errors and not tally.failed_calls and view.get("orders_placed") == calls
    return 0 if ok else 1


def percentile(ordered, p):
    """Nearest rank, in milliseconds."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * p // 100))
    return 1000 * ordered[int(rank) - 1]


def report(arguments):
    rows = [json.loads(line) for path in arguments.files for line in open(path) if line.strip()]
    header = ("round", "calls at once", "calls", "turns", "seconds", "turns/s", "p50 ms", "p90 ms", "p99 ms",
              "max ms", "orders", "errors", "repeats", "rep p50 ms")
    print("{:<6} {:>13} {:>6} {:>6} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7} {:>6} {:>7} {:>10}".format(*header))
    row_format = "{:<6} {:>13} {:>6} {:>6} {:>8.2f} {:>8.0f} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f} {:>7} {:>6} {:>7} {:>10.2f}"
    for row in rows:
        print(row_format.format(row["round"], row["concurrency"], row["calls"], row["turns"], row["seconds"],
                                row["turns"] / row["seconds"], row["p50_ms"], row["p90_ms"], row["p99_ms"],
                                row["max_ms"], row["orders"], row["errors"], row["repeats"], row["repeat_p50_ms"]))
    levels = sorted({row["concurrency"] for row in rows})
    if max(row["round"] for row in rows) > 1:
        for level in levels:
            of = [row for row in rows if row["concurrency"] == level]
            median = {key: statistics.median(row[key] for row in of)
                      for key in ("seconds", "p50_ms", "p90_ms", "p99_ms", "max_ms", "repeat_p50_ms")}
            rate = statistics.median(row["turns"] / row["seconds"] for row in of)
            print(row_format.format("median", level, sum(r["calls"] for r in of), sum(r["turns"] for r in of),
                                    median["seconds"], rate, median["p50_ms"], median["p90_ms"], median["p99_ms"],
                                    median["max_ms"], sum(r["orders"] for r in of), sum(r["errors"] for r in of),
                                    sum(r["repeats"] for r in of), median["repeat_p50_ms"]))
    print()
    print("Server side, same measured window (GET /metrics before and after; mean = sum / count):")
    print("{:<6} {:>13} {:>22} {:>22} {:>22} {:>7} {:>9} {:>12} {:>8} {:>8}".format(
        "round", "calls at once", "http /webhooks/voice", "orderbot_voice_turn", "orderbot_turn (engine)",
        "orders", "repeated", "2nd hyp.", "srv CPU", "cli CPU"))
    for row in rows:
        server = row["server"]
        print("{:<6} {:>13} {:>22} {:>22} {:>22} {:>7.0f} {:>9.0f} {:>12} {:>7.2f}s {:>7.2f}s".format(
            row["round"], row["concurrency"], histogram(server.get("http_voice")),
            histogram(server.get("voice_turn")), histogram(server.get("engine_turn")), server["orders_placed"],
            server["repeated"], f"{server['choice_other']:.0f}/{server['choice_first'] + server['choice_other']:.0f}",
            row["server_cpu_s"] or 0, row["client_cpu_s"]))
    return 0


def histogram(series):
    """"count / sum s / mean ms" of a histogram, or "absent"."""
    if not series:
        return "absent"
    mean = 1000 * series["sum"] / series["count"] if series["count"] else 0
    return f"{series['count']:.0f} {series['sum']:.2f}s {mean:.2f}ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("run", help="play calls against a running orderbot")
    load.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    load.add_argument("--token", required=True, help="ORDERBOT_VOICE_TOKEN of the server")
    load.add_argument("--concurrency", type=int, required=True, help="calls in progress at once")
    load.add_argument("--calls", type=int, required=True, help="calls measured")
    load.add_argument("--no-warm-up", dest="warm_up", action="store_false",
                      help="skip the unmeasured warm-up call on every line")
    load.add_argument("--first-number", type=int, default=0, help="callers are +48 600 000 000 + this and up")
    load.add_argument("--run-id", default=f"bench-{os.getpid()}", help="prefix of the call ids")
    load.add_argument("--round", type=int, default=1, help="round number, for the report")
    load.add_argument("--server-pid", type=int, help="the server's pid, to read its CPU time from /proc")
    load.add_argument("--results", required=True, help="file to append the JSON result line to")
    table = commands.add_parser("report", help="print the table of result files")
    table.add_argument("files", nargs="+")
    arguments = parser.parse_args()
    return run(arguments) if arguments.command == "run" else report(arguments)


if __name__ == "__main__":
    sys.exit(main())
