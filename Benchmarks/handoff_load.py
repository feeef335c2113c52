#!/usr/bin/env python3
"""Load client of Benchmarks/handoff.sh: web chat customers and agents' consoles at once.

`run` connects AGENTS consoles (`/ws/agent`) and SESSIONS web chat sessions (`/ws/chat`) to a
running orderbot, plays every session (K questions the bot answers; HANDOFFS of them then ask for
a person, talk to the agent who wins the claim and come back to the bot), checks every frame on
the way (nothing lost, nothing twice, order kept, the bot silent while a person has the
conversation, no error frames but a lost claim's) and appends one JSON line of figures and
problems to --results. `check` reads the database after the server stopped and compares it
with what `run` sent. `report` prints the table of such lines. One asyncio loop; needs the PyPI
package `websockets` (13 or later). See Benchmarks/README.md.
"""

import argparse
import asyncio
import collections
import json
import os
import re
import sqlite3
import statistics
import sys
import time

from server_probe import scrape, server_cpu_seconds

FAQ = [
    "jakie macie godziny otwarcia?",
    "ile kosztuje dostawa?",
    "jakie formy płatności?",
    "dzień dobry",
    "czy wysyłacie za granicę?",
    "ile trwa dostawa?",
    "gdzie jest wasz sklep?",
    "jak się z wami skontaktować?",
    "dziękuję",
]
ASK_FOR_PERSON = "chcę rozmawiać z konsultantem"
CUSTOMER_NUMBERED = "wiadomość {}"
AGENT_NUMBERED = "odpowiedź {}"
CUSTOMER_NUMBER = re.compile(r"^wiadomość (\d+)$")
AGENT_NUMBER = re.compile(r"^odpowiedź (\d+)$")
TAKEN = re.compile(r"Escalation (\d+) is ")

# The server drops a socket with more than 64 frames received and not yet handled
# (ServerConfiguration.webSocketReceiveQueueMessages); an agent's console keeps at most this many
# requests whose effect it has not seen yet (a claim's answer, a reply reaching the customer, a
# resolve's answer), and a customer sends at most this many numbered messages in a row.
WINDOW = 32
LATENCIES = [
    ("ack", "customer message → ack"),
    ("bot_reply", "customer message → bot reply"),
    ("to_agent", "customer message → agent's customer_message"),
    ("to_customer", "agent send → customer's message{from:agent}"),
    ("claim", "claim → assigned"),
]


class Timeout(Exception):
    pass


class Run:
    """Everything the customers and agents of one run share: settings, figures and problems."""

    def __init__(self, arguments):
        self.arguments = arguments
        self.problems = []
        self.kinds = collections.Counter()
        self.latency = {key: [] for key, _ in LATENCIES}
        self.customers_by_conversation = {}
        self.customer_sent = {}  # (conversation, n) -> perf_counter at send of "wiadomość n"
        self.agent_sent = {}  # (conversation, n) -> (perf_counter at send of "odpowiedź n", agent)
        self.winner = {}  # escalation -> agent name
        self.claims_won = 0
        self.claims_lost = 0
        self.claims_too_late = 0
        self.stale_queue_frames = 0
        self.queue_frames_behind_answers = 0
        self.bot_messages = 0
        self.agents = []
        self.stop = asyncio.Event()

    def problem(self, kind, text):
        """A check failed: `kind` for the summary, `text` with the details."""
        self.problems.append(f"[{kind}] {text}")
        self.kinds[kind] += 1
        if self.kinds[kind] <= 5:
            print(f"PROBLEM ({kind}): {text}", file=sys.stderr, flush=True)


class Endpoint:
    """One WebSocket: a reader task handing every frame to `on_frame`, and waiting for a
    condition to come true with a time limit."""

    def __init__(self, run, label):
        self.run = run
        self.label = label
        self.ws = None
        self.changed = asyncio.Event()
        self.frames = 0
        self.stage = "connecting"
        self.closed = None

    async def connect(self, url):
        self.ws = await connect(url, compression=None, max_size=1 << 24, open_timeout=60, ping_interval=None)

    async def read(self):
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                self.frames += 1
                try:
                    frame = json.loads(raw)
                except ValueError:
                    self.run.problem("unexpected frame", f"{self.label}: a frame that is not JSON: {raw[:200]!r}")
                    continue
                try:
                    self.on_frame(frame, now)
                except Exception as error:  # a bug in this client must show, not hang the run
                    self.run.problem("client bug", f"{self.label}: client error on {str(frame)[:200]}: {error!r}")
                self.changed.set()
        except Exception as error:
            self.closed = repr(error)
        else:
            self.closed = f"closed {self.ws.close_code} {self.ws.close_reason!r}"
        if not self.run.stop.is_set():
            self.run.problem("socket closed by the server",
                             f"{self.label}: the server closed the socket during the run ({self.closed}), "
                             f"at {self.stage}")
        self.changed.set()

    async def until(self, condition, what, timeout=None):
        self.stage = what
        deadline = time.perf_counter() + (timeout or self.run.arguments.step_timeout)
        while not condition():
            if self.closed is not None and not self.run.stop.is_set():
                raise Timeout(f"{self.label}: socket closed while waiting for {what}")
            left = deadline - time.perf_counter()
            if left <= 0:
                seconds = timeout or self.run.arguments.step_timeout
                raise Timeout(f"{self.label}: nothing for {seconds:.0f} s while waiting for {what}")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                pass

    async def send(self, frame):
        await self.ws.send(json.dumps(frame, ensure_ascii=False))


class Customer(Endpoint):
    """A web chat page: hello, K questions one after another, then (a handoff session) a person."""

    def __init__(self, run, index, handoff):
        super().__init__(run, f"session {index}")
        self.index = index
        self.handoff = handoff
        self.conversation = None
        self.sent = {}  # client id -> (kind, perf_counter, text)
        self.acks = collections.Counter()
        self.unacked = collections.deque()
        self.last_sent = None
        self.replies = collections.Counter()  # client id -> bot messages after its ack
        self.statuses = []  # handoff statuses in arrival order
        self.statuses_reported = False
        self.early_reported = False
        self.agent_numbers = []  # n of every "odpowiedź n" received, in order
        self.agent = None  # the Agent holding the conversation
        self.next_id = 0
        self.done = False

    def on_frame(self, frame, now):
        run, kind = self.run, frame.get("type")
        if kind == "welcome":
            if self.conversation is not None:
                run.problem("unexpected frame", f"{self.label}: a second welcome")
            self.conversation = frame.get("conversation_id")
            self.label = f"session {self.index} (conversation {self.conversation})"
            run.customers_by_conversation[self.conversation] = self
        elif kind == "ack":
            client_id = frame.get("client_id")
            if client_id not in self.sent:
                run.problem("unexpected frame", f"{self.label}: ack for a message never sent: {client_id!r}")
                return
            self.acks[client_id] += 1
            if self.acks[client_id] > 1:
                run.problem("duplicated",
                            f"{self.label}: message {client_id} acknowledged {self.acks[client_id]} times")
                return
            if self.unacked and self.unacked[0] != client_id:
                run.problem("reordered",
                            f"{self.label}: ack for {client_id} before the ack for {self.unacked[0]} (sent earlier)")
            if client_id in self.unacked:
                self.unacked.remove(client_id)
            run.latency["ack"].append(now - self.sent[client_id][1])
        elif kind == "message" and frame.get("from") == "bot":
            # A reply answers the last message sent: in bot mode the next leaves only after it.
            run.bot_messages += 1
            turn = self.last_sent
            if turn is None:
                run.problem("unexpected frame",
                            f"{self.label}: a bot message before any message was sent: {frame.get('text')!r}")
                return
            sent_kind, sent_at, text = self.sent[turn]
            if self.acks[turn] == 0:
                run.problem("bot reply before the ack of its message",
                            f"{self.label}: the bot's reply to {turn} {text!r} arrived before its ack")
            if sent_kind == "human":
                run.problem("bot spoke while a person had the conversation",
                            f"{self.label}: the bot answered {text!r}, sent while a person had the conversation: "
                            f"{frame.get('text')!r}")
            if self.replies[turn] == 0:
                run.latency["bot_reply"].append(now - sent_at)
            self.replies[turn] += 1
        elif kind == "message" and frame.get("from") == "agent":
            text = frame.get("text", "")
            match = AGENT_NUMBER.match(text)
            if not match:
                run.problem("unexpected frame", f"{self.label}: an agent message not sent by this run: {text!r}")
                return
            number = int(match.group(1))
            expected = len(self.agent_numbers) + 1
            if number != expected:
                run.problem("reordered or lost",
                            f"{self.label}: agent message {number} arrived when {expected} was due "
                            f"(received so far: {self.agent_numbers})")
            out_of_place = "agent_joined" not in self.statuses or "returned_to_bot" in self.statuses
            if out_of_place and not self.early_reported:
                self.early_reported = True  # once per session: the first reply out of place says it
                if "returned_to_bot" in self.statuses:
                    run.problem("handoff{returned_to_bot} before the agent's last replies",
                                f"{self.label}: handoff{{returned_to_bot}} arrived before the agent's messages "
                                f"{number}..{run.arguments.human} (the hand-back overtook the replies sent before it)")
                else:
                    run.problem("agent message before handoff{agent_joined}",
                                f"{self.label}: agent message {number} arrived with handoff statuses {self.statuses}")
            self.agent_numbers.append(number)
            sent = run.agent_sent.get((self.conversation, number))
            if sent is None:
                run.problem("unexpected frame",
                            f"{self.label}: agent message {number} that no agent sent to this conversation")
            elif sent[0] is not None:
                run.latency["to_customer"].append(now - sent[0])
                sent[1].settled()
                run.agent_sent[(self.conversation, number)] = (None, sent[1])
            else:
                run.problem("duplicated", f"{self.label}: agent message {number} received twice")
            if len(self.agent_numbers) == run.arguments.human and self.agent:
                self.agent.replies_delivered(self.conversation)
        elif kind == "message":
            run.problem("unexpected frame", f"{self.label}: a message from {frame.get('from')!r}: {str(frame)[:200]}")
        elif kind == "handoff":
            status = frame.get("status")
            self.statuses.append(status)
            expected = ["waiting", "agent_joined", "returned_to_bot"][: len(self.statuses)]
            if (not self.handoff or self.statuses != expected) and not self.statuses_reported:
                self.statuses_reported = True  # once per session: the rest follows from the first
                run.problem("handoff statuses out of order",
                            f"{self.label}: handoff statuses {self.statuses}, "
                            f"expected {expected if self.handoff else 'none'}")
        elif kind == "error":
            run.problem("error frame", f"{self.label}: error {frame.get('code')}: {frame.get('message')}")
        else:
            run.problem("unexpected frame", f"{self.label}: unexpected frame {str(frame)[:200]}")

    async def say(self, text, kind):
        self.next_id += 1
        client_id = f"c{self.index}-{self.next_id}"
        now = time.perf_counter()
        self.sent[client_id] = (kind, now, text)
        self.last_sent = client_id
        self.unacked.append(client_id)
        await self.send({"type": "message", "client_id": client_id, "text": text})
        return client_id

    async def ask(self, text):
        """A question in bot mode: the next only after its ack and the bot's first reply."""
        client_id = await self.say(text, "bot")
        await self.until(lambda: self.replies[client_id] > 0, f"ack and bot reply to {client_id} {text!r}")

    async def play(self, start):
        run, arguments = self.run, self.run.arguments
        await start.wait()
        await self.send({"type": "hello", "language": "pl"})
        await self.until(lambda: self.conversation is not None, "welcome")
        for k in range(arguments.messages):
            await self.ask(FAQ[(self.index + k) % len(FAQ)])
        if self.handoff:
            client_id = await self.say(ASK_FOR_PERSON, "escalate")
            await self.until(lambda: self.replies[client_id] > 0 and "waiting" in self.statuses,
                             "the bot's reply and handoff{waiting}")
            await self.until(lambda: "agent_joined" in self.statuses, "handoff{agent_joined}",
                             timeout=arguments.queue_timeout)
            for n in range(1, arguments.human + 1):
                client_id = await self.say(CUSTOMER_NUMBERED.format(n), "human")
                run.customer_sent[(self.conversation, n)] = self.sent[client_id][1]
            await self.until(lambda: not self.unacked, "acks of the numbered messages")
            await self.until(lambda: len(self.agent_numbers) >= arguments.human, "the agent's numbered replies")
            await self.until(lambda: "returned_to_bot" in self.statuses, "handoff{returned_to_bot}")
            await self.ask(FAQ[(self.index + arguments.messages) % len(FAQ)])
        self.stage = "done"
        self.done = True

    def final_checks(self):
        run, arguments = self.run, self.run.arguments
        for client_id, (kind, _, text) in self.sent.items():
            if self.acks[client_id] == 0:  # twice was reported when it happened
                run.problem("lost", f"{self.label}: {client_id} {text!r} never acknowledged")
            if kind in ("bot", "escalate") and self.replies[client_id] == 0:
                run.problem("lost", f"{self.label}: no bot reply to {client_id} {text!r}")
        if self.handoff:
            if self.agent_numbers != list(range(1, arguments.human + 1)):
                run.problem("lost or reordered", f"{self.label}: agent messages received {self.agent_numbers}")
            if self.statuses != ["waiting", "agent_joined", "returned_to_bot"] and not self.statuses_reported:
                run.problem("handoff statuses out of order", f"{self.label}: handoff statuses {self.statuses}")
        elif self.statuses or self.agent_numbers:
            run.problem("unexpected frame",
                        f"{self.label}: handoff {self.statuses}, agent messages {self.agent_numbers} without a handoff")

    def expected_messages(self):
        """What the database must hold for this conversation: every message sent, by author."""
        agent = sum(1 for conversation, _ in self.run.agent_sent if conversation == self.conversation)
        return {"customer": len(self.sent), "agent": agent, "handoff": self.handoff}


class Pending:
    """One request of a console whose effect is awaited; frees its slot in the window once."""

    def __init__(self, agent):
        self.agent = agent
        self.open = True

    def settled(self):
        if self.open:
            self.open = False
            self.agent.window.release()


class Held:
    def __init__(self, escalation, conversation):
        self.escalation = escalation
        self.conversation = conversation
        self.numbers = []
        self.resolving = False


class Agent(Endpoint):
    """A console: signs in, claims what the queue offers while it has room, relays nothing itself
    but answers each customer after their numbered messages, then hands back to the bot."""

    def __init__(self, run, name, token):
        super().__init__(run, f"agent {name}")
        self.name = name
        self.token = token
        self.ready = False
        self.queue = None
        self.queue_frames = 0
        self.attempted = set()
        self.taken = set()  # escalations a queue frame on this socket has shown assigned
        self.answered = set()  # escalations this socket's claims were answered for (assigned, already_claimed…)
        self.claims = {}  # escalation -> (perf_counter, Pending)
        self.held = {}  # escalation -> Held
        self.by_conversation = {}
        self.resolves = {}  # escalation -> Pending
        self.confirmed = set()  # (conversation, reply number) the server answered `sent` for
        self.outgoing = asyncio.Queue()
        self.window = asyncio.Semaphore(WINDOW)
        self.writer = None
        self.resolved = 0

    async def sign_in(self):
        self.writer = asyncio.create_task(self.write())
        await self.send({"type": "auth", "token": self.token})
        await self.until(lambda: self.ready and self.queue is not None, "ready and queue")

    async def write(self):
        """Sends the console's requests in order, at most WINDOW unsettled at once. A claim that
        waited for room is dropped if the latest queue no longer lists its item open (an agent
        does not click on an item gone from the screen)."""
        while True:
            frame, pending, on_sent = await self.outgoing.get()
            await self.window.acquire()
            if frame["type"] == "claim" and not self.listed_open(frame["escalation_id"]):
                self.claims.pop(frame["escalation_id"], None)
                self.attempted.discard(frame["escalation_id"])  # claimed again if a later queue lists it open
                self.window.release()
                self.claim_what_fits()
                continue
            if on_sent:
                on_sent(time.perf_counter(), pending)
            await self.send(frame)

    def listed_open(self, escalation):
        return any(item.get("escalation_id") == escalation and item.get("status") == "open"
                   for item in self.queue or [])

    def request(self, frame, on_sent=None):
        pending = Pending(self)
        self.outgoing.put_nowait((frame, pending, on_sent))
        return pending

    def on_frame(self, frame, now):
        run, kind = self.run, frame.get("type")
        if kind == "ready":
            self.ready = True
        elif kind == "queue":
            self.queue = frame.get("items", [])
            self.queue_frames += 1
            reopened, older = [], []
            for item in self.queue:
                escalation = item.get("escalation_id")
                if item.get("status") == "open" and escalation in self.taken:
                    reopened.append(escalation)
                elif item.get("status") == "open" and escalation in self.answered:
                    older.append(escalation)
                elif item.get("status") != "open":
                    self.taken.add(escalation)
            if reopened:
                # An earlier queue frame on this very socket showed them assigned, and no claim is
                # ever given back in this run: a queue frame read earlier was sent after a newer one.
                run.stale_queue_frames += 1
                run.problem("queue frames out of order",
                            f"{self.label}: queue frame {self.queue_frames} lists escalations {reopened} open, after "
                            "an earlier queue frame on this socket showed them assigned")
            if older:
                # Read before a claim of theirs was decided, sent after this console got its answer:
                # the queue is read and sent apart from the claims' answers; the next frame is right.
                run.queue_frames_behind_answers += 1
            self.claim_what_fits()
        elif kind == "assigned":
            escalation, conversation = frame.get("escalation_id"), frame.get("conversation_id")
            claim = self.claims.pop(escalation, None)
            if claim is None:
                run.problem("claims", f"{self.label}: assigned {escalation} without a claim in flight")
                return
            claim[1].settled()
            self.answered.add(escalation)
            run.latency["claim"].append(now - claim[0])
            run.claims_won += 1
            if escalation in run.winner:
                run.problem("claims",
                            f"{self.label}: assigned escalation {escalation}, "
                            f"already assigned to {run.winner[escalation]}")
            run.winner[escalation] = self.name
            customer = run.customers_by_conversation.get(conversation)
            if customer is None or not customer.handoff:
                run.problem("claims",
                            f"{self.label}: assigned conversation {conversation}, not one that asked for a person")
                return
            asked = [entry for entry in frame.get("history", [])
                     if entry.get("conversation_id") == conversation and entry.get("author") == "customer"]
            if len(asked) != run.arguments.messages + 1 or asked[-1].get("text") != ASK_FOR_PERSON:
                run.problem("history incomplete",
                            f"{self.label}: the history of conversation {conversation} has {len(asked)} customer "
                            f"messages, the last {asked[-1].get('text') if asked else None!r}; expected "
                            f"{run.arguments.messages + 1}, the last {ASK_FOR_PERSON!r}")
            customer.agent = self
            held = Held(escalation, conversation)
            self.held[escalation] = held
            self.by_conversation[conversation] = held
        elif kind == "customer_message":
            conversation = frame.get("conversation_id")
            held = self.by_conversation.get(conversation)
            if held is None:
                run.problem("unexpected frame",
                            f"{self.label}: customer_message of conversation {conversation}, which it does not hold")
                return
            if frame.get("channel") != "web":
                run.problem("unexpected frame", f"{self.label}: customer_message with channel {frame.get('channel')!r}")
            match = CUSTOMER_NUMBER.match(frame.get("text", ""))
            if not match:
                run.problem("unexpected frame",
                            f"{self.label}: customer_message {frame.get('text')!r} in conversation {conversation}")
                return
            number = int(match.group(1))
            if number != len(held.numbers) + 1:
                run.problem("reordered or lost",
                            f"{self.label}: customer message {number} of conversation {conversation} arrived when "
                            f"{len(held.numbers) + 1} was due (received so far: {held.numbers})")
            if number in held.numbers:
                run.problem("duplicated",
                            f"{self.label}: customer message {number} of conversation {conversation} received twice")
            held.numbers.append(number)
            sent = run.customer_sent.get((conversation, number))
            if sent is not None:
                run.latency["to_agent"].append(now - sent)
            if len(held.numbers) == run.arguments.human:
                self.answer(held)
        elif kind == "sent":
            # The server's confirmation that a reply is stored: one for each reply this agent sent.
            match = AGENT_NUMBER.match(frame.get("text", ""))
            key = (frame.get("conversation_id"), int(match.group(1)) if match else None)
            if key not in run.agent_sent:
                run.problem("unexpected frame", f"{self.label}: sent for a reply never sent: {str(frame)[:200]}")
            elif key in self.confirmed:
                run.problem("duplicated", f"{self.label}: sent twice for reply {key[1]} of conversation {key[0]}")
            self.confirmed.add(key)
        elif kind == "resolved":
            escalation = frame.get("escalation_id")
            pending = self.resolves.pop(escalation, None)
            if pending is None:
                run.problem("unexpected frame", f"{self.label}: resolved {escalation}, not asked")
                return
            pending.settled()
            held = self.held.pop(escalation, None)
            if held:
                self.by_conversation.pop(held.conversation, None)
            self.resolved += 1
            self.claim_what_fits()
        elif kind == "error":
            code, message = frame.get("code"), frame.get("message", "")
            taken = TAKEN.match(message)
            escalation = int(taken.group(1)) if taken else None
            if code == "already_claimed" and escalation in self.claims:
                self.claims.pop(escalation)[1].settled()
                self.answered.add(escalation)
                run.claims_lost += 1
                self.claim_what_fits()
            elif code == "escalation_resolved" and self.claims.get(escalation, (None,))[0] is not None:
                # The claim left when the latest queue here still listed the item open, and it was
                # claimed and resolved before the claim was read: the answer a late claim gets.
                self.claims.pop(escalation)[1].settled()
                self.answered.add(escalation)
                run.claims_too_late += 1
                self.claim_what_fits()
            else:
                run.problem("error frame", f"{self.label}: error {code}: {message}")
        else:
            run.problem("unexpected frame", f"{self.label}: unexpected frame {str(frame)[:200]}")

    def claim_what_fits(self):
        """Claims open items of the last queue it has not tried, most urgent first, while it holds
        fewer than --capacity conversations (claims in flight included). Every console sees the
        same queue, so several claim the same item: one gets `assigned`, the others
        `error{already_claimed}`."""
        room = self.run.arguments.capacity - len(self.held) - len(self.claims)
        for item in self.queue or []:
            if room <= 0:
                break
            escalation = item.get("escalation_id")
            if item.get("status") != "open" or escalation in self.attempted:
                continue
            self.attempted.add(escalation)
            room -= 1
            pending = self.request({"type": "claim", "escalation_id": escalation},
                                   on_sent=lambda at, pending, e=escalation: self.claims.__setitem__(e, (at, pending)))
            self.claims[escalation] = (None, pending)

    def answer(self, held):
        """The numbered replies, one after another without waiting; then the hand-back, at once
        (`--resolve at-once`) or once the customer has them all (`--resolve after-delivery`)."""
        for n in range(1, self.run.arguments.human + 1):
            def sent(at, pending, key=(held.conversation, n)):
                self.run.agent_sent[key] = (at, pending)
            self.request({"type": "send", "conversation_id": held.conversation, "text": AGENT_NUMBERED.format(n)},
                         on_sent=sent)
        if self.run.arguments.resolve == "at-once":
            self.resolve(held)

    def replies_delivered(self, conversation):
        held = self.by_conversation.get(conversation)
        if held and self.run.arguments.resolve == "after-delivery":
            self.resolve(held)

    def resolve(self, held):
        if held.resolving:
            return
        held.resolving = True
        self.resolves[held.escalation] = self.request(
            {"type": "resolve", "escalation_id": held.escalation, "return_to_bot": True})


def server_memory(pid):
    """(VmRSS, VmHWM) in MiB: now and the peak of the process's life."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS"), values.get("VmHWM")


METRIC_PREFIXES = ("orderbot_escalation", "orderbot_agent", "orderbot_webchat")


async def play(arguments):
    run = Run(arguments)
    base = f"ws://{arguments.host}:{arguments.port}"
    tokens = [line.split() for line in open(arguments.agents) if line.strip()]
    agents = [Agent(run, name, token) for name, token in tokens]
    run.agents = agents
    handoff_every = set(range(arguments.handoffs))
    # Spread the sessions that ask for a person over the run (every n-th), not the first ones.
    if arguments.handoffs:
        step = arguments.sessions / arguments.handoffs
        handoff_every = {int(i * step) for i in range(arguments.handoffs)}
    customers = [Customer(run, index, index in handoff_every) for index in range(arguments.sessions)]
    readers = []

    # Consoles first, signed in; then every chat socket open; then every session starts at once.
    await asyncio.gather(*(agent.connect(base + "/ws/agent") for agent in agents))
    readers += [asyncio.create_task(agent.read()) for agent in agents]
    await asyncio.gather(*(agent.sign_in() for agent in agents))
    opened = time.perf_counter()
    await asyncio.gather(*(customer.connect(base + "/ws/chat") for customer in customers))
    readers += [asyncio.create_task(customer.read()) for customer in customers]
    connect_seconds = time.perf_counter() - opened

    _, metrics_before = scrape(arguments.host, arguments.port)
    cpu_before = server_cpu_seconds(arguments.server_pid)
    client_before = os.times()
    start = asyncio.Event()
    games = [asyncio.create_task(customer.play(start)) for customer in customers]
    started = time.perf_counter()
    start.set()
    outcomes = await asyncio.gather(*games, return_exceptions=True)
    seconds = time.perf_counter() - started
    for customer, outcome in zip(customers, outcomes):
        if isinstance(outcome, Timeout):
            run.problem("hang",
                        f"{outcome} (frames received {customer.frames}; statuses {customer.statuses}; agent messages "
                        f"{customer.agent_numbers}; unacked {list(customer.unacked)})")
        elif isinstance(outcome, BaseException):
            run.problem("client bug", f"{customer.label}: client error {outcome!r}")

    # Quiet now: every hand-back answered, every console's last queue empty.
    for agent in agents:
        try:
            await agent.until(lambda: not agent.resolves and not agent.claims, "answers to its resolves and claims",
                              timeout=10)
        except Timeout as timeout:
            run.problem("hang", f"{timeout}: resolves {sorted(agent.resolves)}, claims {sorted(agent.claims)}")
        try:
            await agent.until(lambda: not agent.queue, "an empty queue", timeout=5)
        except Timeout:
            run.problem("stale queue at the end",
                        f"{agent.label}: its last queue frame (of {agent.queue_frames}) still lists "
                        f"{[(i.get('escalation_id'), i.get('status')) for i in agent.queue][:8]} "
                        "after every escalation was resolved")
    await asyncio.sleep(0.2)  # anything late (a duplicate) would arrive now
    client_after = os.times()
    try:
        cpu_after = server_cpu_seconds(arguments.server_pid)
        rss, peak_rss = server_memory(arguments.server_pid)
        metrics_text, metrics_after = scrape(arguments.host, arguments.port)
    except OSError as error:
        run.problem("server gone", f"the server is not there at the end of the run: {error!r}")
        cpu_after, rss, peak_rss, metrics_text, metrics_after = cpu_before, None, None, "", dict(metrics_before)

    run.stop.set()
    for customer in customers:
        customer.final_checks()
    unconfirmed = set(run.agent_sent) - set().union(*(agent.confirmed for agent in agents))
    if unconfirmed:
        run.problem("lost", f"{len(unconfirmed)} agent replies never got sent{{…}}, e.g. {sorted(unconfirmed)[:5]}")
    await asyncio.gather(*(endpoint.ws.close() for endpoint in agents + customers if endpoint.ws),
                         return_exceptions=True)
    for task in readers + [agent.writer for agent in agents if agent.writer]:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)

    customer_messages = sum(len(customer.sent) for customer in customers)
    agent_messages = sum(1 for value in run.agent_sent.values() if value is not None)
    check_metrics(run, metrics_before, metrics_after, customers, customer_messages, agent_messages)
    figures = {
        "round": arguments.round, "sessions": len(customers), "agents": len(agents), "handoffs": arguments.handoffs,
        "customer_messages": customer_messages, "agent_messages": agent_messages, "seconds": seconds,
        "connect_seconds": connect_seconds, "bot_messages": run.bot_messages,
        "claims_won": run.claims_won, "claims_lost": run.claims_lost, "claims_too_late": run.claims_too_late,
        "stale_queue_frames": run.stale_queue_frames,
        "queue_frames_behind_answers": run.queue_frames_behind_answers,
        "latency": {key: summary(values) for key, values in run.latency.items()},
        "server_cpu_s": cpu_after - cpu_before,
        "client_cpu_s": (client_after.user + client_after.system) - (client_before.user + client_before.system),
        "server_rss_mib": rss, "server_peak_rss_mib": peak_rss,
        "metrics": [line for line in metrics_text.splitlines()
                    if line.startswith(METRIC_PREFIXES) and "_bucket{" not in line],
        "problems": run.problems, "problem_kinds": dict(run.kinds),
    }
    expected = {str(customer.conversation): customer.expected_messages()
                for customer in customers if customer.conversation}
    return figures, expected


def check_metrics(run, before, after, customers, customer_messages, agent_messages):
    """What the server counted over the run against what the client saw."""
    def delta(name):
        return after.get(name, 0) - before.get(name, 0)
    handoffs = sum(customer.handoff for customer in customers)
    expectations = [
        ('orderbot_webchat_messages_total{result="handled"}', customer_messages),
        ('orderbot_webchat_messages_total{result="repeated"}', 0),
        ('orderbot_webchat_messages_total{result="failed"}', 0),
        ("orderbot_escalation_claims_total", handoffs),
        ('orderbot_escalations_queued_total{reason="customer_request"}', handoffs),
        ('orderbot_agent_messages_total{channel="web"}', agent_messages),
        ('orderbot_agent_requests_refused_total{code="already_claimed"}', run.claims_lost),
        ('orderbot_agent_requests_refused_total{code="escalation_resolved"}', run.claims_too_late),
    ]
    # Counted only where the server has them (docs/WEBCHAT.md): every reply pushed once.
    if 'orderbot_webchat_replies_pushed_total{from="bot"}' in after:
        expectations += [('orderbot_webchat_replies_pushed_total{from="bot"}', run.bot_messages),
                         ('orderbot_webchat_replies_pushed_total{from="agent"}', agent_messages)]
    for name, expected in expectations:
        if delta(name) != expected:
            run.problem("metrics", f"metrics: {name} went up by {delta(name):.0f} during the run, expected {expected}")
    for name in after:
        if name.startswith(("orderbot_webchat_frames_refused_total", "orderbot_agent_requests_refused_total")) \
                and 'code="already_claimed"' not in name and 'code="escalation_resolved"' not in name and delta(name):
            run.problem("metrics", f"metrics: {name} went up by {delta(name):.0f}")
    connected = (("orderbot_agents_connected", len(run.agents)), ("orderbot_webchat_sockets", len(customers)))
    for name, expected in connected:
        if after.get(name) != expected:
            run.problem("metrics", f"metrics: {name} is {after.get(name)}, expected {expected} (all still connected)")


def summary(values):
    ordered = sorted(values)
    if not ordered:
        return {"n": 0, "p50": 0, "p90": 0, "p99": 0, "max": 0}
    def rank(p):
        return 1000 * ordered[max(1, -(-len(ordered) * p // 100)) - 1]
    return {"n": len(ordered), "p50": rank(50), "p90": rank(90), "p99": rank(99), "max": 1000 * ordered[-1]}


def run_command(arguments):
    if arguments.human > WINDOW:
        print(f"--human {arguments.human}: at most {WINDOW} (the server keeps 64 unhandled frames per socket)",
              file=sys.stderr)
        return 2
    if arguments.handoffs > arguments.sessions:
        print("--handoffs cannot exceed --sessions", file=sys.stderr)
        return 2
    figures, expected = asyncio.run(asyncio.wait_for(play(arguments), arguments.run_timeout))
    with open(arguments.results, "a") as results:
        results.write(json.dumps(figures, ensure_ascii=False) + "\n")
    with open(arguments.expected, "w") as file:
        json.dump(expected, file)
    return 0 if not figures["problems"] else 1


def check_command(arguments):
    """The database after the server stopped: exactly the messages sent, in order; nothing left
    in the web outbox; every escalation handed back to the bot."""
    expected = json.load(open(arguments.expected))
    problems = []
    database = sqlite3.connect(f"file:{arguments.db}?mode=ro", uri=True)
    stored = collections.defaultdict(lambda: collections.defaultdict(list))
    for conversation, author, text in database.execute(
            "SELECT m.conversation_id, m.author, m.text FROM messages m "
            "JOIN conversations c ON c.id = m.conversation_id "
            "WHERE c.channel = 'web' ORDER BY m.id"):
        stored[str(conversation)][author].append(text)
    for conversation, want in expected.items():
        have = stored.get(conversation, {})
        for author in ("customer", "agent"):
            if len(have.get(author, [])) != want[author]:
                problems.append(f"[database] conversation {conversation} holds {len(have.get(author, []))} {author} "
                                f"messages, {want[author]} were sent")
        for author, pattern in (("customer", CUSTOMER_NUMBER), ("agent", AGENT_NUMBER)):
            numbers = [int(m.group(1)) for m in map(pattern.match, have.get(author, [])) if m]
            if numbers != sorted(numbers) or len(set(numbers)) != len(numbers):
                problems.append(f"[database] conversation {conversation}: {author} numbered messages stored "
                                f"in the order {numbers}")
    extra = sorted(set(stored) - set(expected), key=int)
    if extra:
        problems.append(f"[database] web conversations nobody in this run started: {extra[:10]}")
    pending = database.execute("SELECT count(*) FROM outbox WHERE channel = 'web' AND status <> 'sent'").fetchone()[0]
    if pending:
        problems.append(f"[database] {pending} web outbox rows not sent")
    handoffs = sum(1 for want in expected.values() if want["handoff"])
    escalations = database.execute(
        "SELECT count(*), sum(status = 'resolved' AND resolution = 'returned_to_bot') FROM escalations").fetchone()
    if escalations[0] != handoffs or (escalations[1] or 0) != handoffs:
        problems.append(f"[database] {escalations[0]} escalations, {escalations[1] or 0} returned to the bot; "
                        f"{handoffs} sessions asked for a person")
    database.close()
    for problem in problems[:20]:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    with open(arguments.results, "a") as results:
        results.write(json.dumps({"round": arguments.round, "database_problems": problems}, ensure_ascii=False) + "\n")
    return 0 if not problems else 1


def report_command(arguments):
    lines = [json.loads(line) for line in open(arguments.results) if line.strip()]
    rows = [line for line in lines if "sessions" in line]
    database = {line["round"]: line["database_problems"] for line in lines if "database_problems" in line}
    if not rows:
        print("no results")
        return 1
    print("{:<6} {:>8} {:>6} {:>9} {:>10} {:>11} {:>8} {:>7} {:>7} {:>12} {:>8} {:>8} {:>9} {:>8}".format(
        "round", "sessions", "agents", "handoffs", "cust. msgs", "agent msgs", "seconds", "msg/s", "bot msgs",
        "claims", "srv CPU", "cli CPU", "peak RSS", "problems"))
    row_format = ("{:<6} {:>8} {:>6} {:>9} {:>10} {:>11} {:>8.2f} {:>7.0f} {:>7} {:>12} {:>7.2f}s {:>7.2f}s "
                  "{:>6.1f}MiB {:>8}")
    for row in rows:
        problems = len(row["problems"]) + len(database.get(row["round"], []))
        print(row_format.format(
            row["round"], row["sessions"], row["agents"], row["handoffs"], row["customer_messages"],
            row["agent_messages"], row["seconds"], rate(row), row["bot_messages"],
            claims(row), row["server_cpu_s"], row["client_cpu_s"],
            row["server_peak_rss_mib"] or 0, problems))
    if len(rows) > 1:
        median = lambda key: statistics.median(row[key] for row in rows)
        print(row_format.format(
            "median", rows[0]["sessions"], rows[0]["agents"], rows[0]["handoffs"], int(median("customer_messages")),
            int(median("agent_messages")), median("seconds"), statistics.median(rate(row) for row in rows),
            int(median("bot_messages")),
            "/".join(str(int(median(key))) for key in ("claims_won", "claims_lost", "claims_too_late")),
            median("server_cpu_s"), median("client_cpu_s"), median("server_peak_rss_mib"),
            sum(len(row["problems"]) + len(database.get(row["round"], [])) for row in rows)))
    print(f"(before the clock: {rows[0]['agents']} consoles signed in, then {rows[0]['sessions']} chat sockets "
          f"opened at once in {statistics.median(row['connect_seconds'] for row in rows):.2f} s, median)")
    print()
    print("latency, ms (nearest rank){}".format(
        "; median rows: the median of the rounds' figures" if len(rows) > 1 else ""))
    print("{:<6} {:<46} {:>6} {:>8} {:>8} {:>8} {:>8}".format("round", "from → to", "n", "p50", "p90", "p99", "max"))
    latency_format = "{:<6} {:<46} {:>6} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f}"
    for key, title in LATENCIES:
        for row in rows:
            figures = row["latency"][key]
            print(latency_format.format(row["round"], title, figures["n"], figures["p50"], figures["p90"],
                                        figures["p99"], figures["max"]))
        if len(rows) > 1:
            of = [row["latency"][key] for row in rows]
            print(latency_format.format("median", title, int(statistics.median(f["n"] for f in of)),
                                        *(statistics.median(f[p] for f in of) for p in ("p50", "p90", "p99", "max"))))
    print()
    print(f"GET /metrics at the end of round {rows[-1]['round']} (escalation, agent and web chat lines; "
          "histogram buckets left out):")
    for line in rows[-1]["metrics"]:
        print(f"  {line}")
    print()
    print("claims: won (assigned) / lost to another agent (error already_claimed) / sent while the console's latest")
    print("queue still listed the item open but read after it was resolved (error escalation_resolved)")
    print("queue frames that listed open an item this console's claim had already been answered for (read before")
    print("the claim was decided, sent after its answer; the next frame corrects it), per round: "
          f"{[row.get('queue_frames_behind_answers', 0) for row in rows]}")
    print()
    print("checks (the database after SIGTERM included):")
    for row in rows:
        problems = row["problems"] + database.get(row["round"], [])
        kinds = collections.Counter(row.get("problem_kinds", {}))
        if database.get(row["round"]):
            kinds["database"] += len(database[row["round"]])
        if not problems:
            print(f"  round {row['round']}: all passed")
            continue
        print(f"  round {row['round']}: FAILED, "
              + "; ".join(f"{kind} ×{count}" for kind, count in kinds.most_common()))
        shown = collections.Counter()
        for problem in problems:  # the first two of each kind
            kind = problem[1:problem.index("]")] if problem.startswith("[") else ""
            shown[kind] += 1
            if shown[kind] <= 2:
                print(f"    {problem}")
    return 0


def claims(row):
    """won/already_claimed/escalation_resolved"""
    return f"{row['claims_won']}/{row['claims_lost']}/{row.get('claims_too_late', 0)}"


def rate(row):
    return (row["customer_messages"] + row["agent_messages"]) / row["seconds"] if row["seconds"] else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("run", help="play the sessions and agents against a running orderbot")
    load.add_argument("--host", default="127.0.0.1")
    load.add_argument("--port", type=int, required=True)
    load.add_argument("--agents", required=True, help="file of 'name token' lines, one per console")
    load.add_argument("--sessions", type=int, default=200, help="web chat sessions at once")
    load.add_argument("--messages", type=int, default=10, help="questions to the bot per session (K)")
    load.add_argument("--handoffs", type=int, default=40, help="sessions that then ask for a person")
    load.add_argument("--human", type=int, default=10, help="numbered messages each way with the agent (J)")
    load.add_argument("--capacity", type=int, default=4, help="conversations an agent holds at once")
    load.add_argument("--resolve", choices=("at-once", "after-delivery"), default="at-once",
                      help="the agent resolves right after its replies, or once the customer has them all")
    load.add_argument("--step-timeout", type=float, default=30, help="seconds any awaited frame may take")
    load.add_argument("--queue-timeout", type=float, default=60, help="seconds a customer may wait for an agent")
    load.add_argument("--run-timeout", type=float, default=600, help="seconds the whole run may take")
    load.add_argument("--round", type=int, default=1)
    load.add_argument("--server-pid", type=int, required=True)
    load.add_argument("--results", required=True, help="file to append the JSON result line to")
    load.add_argument("--expected", required=True, help="file to write the messages expected per conversation to")
    check = commands.add_parser("check", help="check the database of a stopped server against a run")
    check.add_argument("--db", required=True)
    check.add_argument("--expected", required=True)
    check.add_argument("--round", type=int, default=1)
    check.add_argument("--results", required=True)
    table = commands.add_parser("report", help="print the table of a results file")
    table.add_argument("results")
    arguments = parser.parse_args()
    if arguments.command == "run":
        return run_command(arguments)
    if arguments.command == "check":
        return check_command(arguments)
    return report_command(arguments)


if __name__ == "__main__":
    if sys.argv[1:2] == ["run"]:
        try:
            from websockets.asyncio.client import connect
        except ImportError:
            try:
                from websockets import connect  # before 13: the legacy client, the same arguments
            except ImportError:
                sys.exit("handoff_load.py needs the PyPI package websockets: pip install 'websockets>=13'")
    sys.exit(main())
