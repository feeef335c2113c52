// The customers' chat page: talks to /ws/chat (docs/WEBCHAT.md) through socket.js.
// Keeps the session and the transcript in localStorage, so a reload or a dropped connection
// resumes the same conversation, and resends messages the server has not acknowledged yet
// (with the same client_id, which the server handles once).

import { ReconnectingSocket } from "./socket.js";
import { TEXTS, initialLanguage } from "./chat-texts.js";

const KEYS = {
  session: "orderbot.chat.session",
  language: "orderbot.chat.language",
  transcript: "orderbot.chat.transcript",
};
const MAX_KEPT = 200;
const MAX_LENGTH = 4000;
const TYPING_SECONDS = 8;
/** After an `internal_error`, pending messages are sent again after this pause, doubling up to the most. */
const RETRY_FIRST_SECONDS = 5;
const RETRY_MOST_SECONDS = 60;
/** How long after `welcome` a `handoff` frame may still come before the bot is taken to have the conversation. */
const HANDOFF_GRACE_MS = 1500;
/** Closer than this to the bottom, the conversation follows new messages. */
const FOLLOW_PIXELS = 80;
const HANDOFF_STATUSES = ["waiting", "agent_joined", "returned_to_bot"];

const page = {
  language: document.getElementById("language"),
  connection: document.getElementById("connection"),
  connectionText: document.getElementById("connection-text"),
  reconnect: document.getElementById("reconnect"),
  handoff: document.getElementById("handoff"),
  messages: document.getElementById("messages"),
  hint: document.getElementById("hint"),
  typing: document.getElementById("typing"),
  notice: document.getElementById("notice"),
  noticeText: document.getElementById("notice-text"),
  noticeRetry: document.getElementById("notice-retry"),
  composer: document.getElementById("composer"),
  input: document.getElementById("message-input"),
};

const state = {
  language: initialLanguage(read(KEYS.language)),
  session: read(KEYS.session),
  /** Every message shown, oldest first: {from: "bot"|"agent"|"customer", text, agent?, clientId?, status?, quickReplies?} */
  transcript: readTranscript(),
  /** True between `welcome` and the socket's end: messages may be sent. */
  welcomed: false,
  /** "" (the bot), "waiting", "agent_joined" or "returned_to_bot". */
  handoff: "",
  agent: null,
  handoffTimer: null,
  connection: "connecting",
  retryIn: 0,
  typingTimer: null,
  /** The notice shown: {key, retry} or null. */
  notice: null,
  retryTimer: null,
  retryDelay: RETRY_FIRST_SECONDS,
  /** The conversation is scrolled to its end (or close): it follows new messages and keeps its end in view when it shrinks. */
  pinned: true,
};

/** The element of each message entry. */
const nodes = new WeakMap();

const socket = new ReconnectingSocket("ws/chat", {
  onOpen: sayHello,
  onFrame: receive,
  onState: connectionChanged,
});

// MARK: - Storage

function read(key) {
  try {
    return window.localStorage.getItem(key);
  } catch (error) {
    return null;
  }
}

function write(key, value) {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch (error) {
    // Storage may be off (private mode, a sandboxed frame): the page still works, without resuming.
  }
}

function readTranscript() {
  let saved;
  try {
    saved = JSON.parse(read(KEYS.transcript) || "[]");
  } catch (error) {
    return [];
  }
  if (!Array.isArray(saved)) return [];
  return saved.filter((entry) => {
    if (!entry || typeof entry !== "object" || typeof entry.text !== "string") return false;
    if (entry.from === "customer") return typeof entry.clientId === "string" && entry.clientId !== "";
    return entry.from === "bot" || entry.from === "agent";
  });
}

function saveTranscript() {
  state.transcript = state.transcript.slice(-MAX_KEPT);
  write(KEYS.transcript, JSON.stringify(state.transcript));
}

// MARK: - The socket

function sayHello() {
  state.welcomed = false;
  const hello = { type: "hello", language: state.language };
  if (state.session) hello.session = state.session;
  socket.send(hello);
}

function receive(frame) {
  if (frame.type !== "welcome" && frame.type !== "handoff") settleHandoff();
  switch (frame.type) {
    case "welcome":
      welcomed(frame);
      break;
    case "ack":
      acknowledged(String(frame.client_id || ""));
      break;
    case "message":
      replied(frame);
      break;
    case "handoff":
      clearTimeout(state.handoffTimer);
      state.handoffTimer = null;
      if (HANDOFF_STATUSES.includes(frame.status)) setHandoff(frame.status, typeof frame.agent === "string" ? frame.agent : null);
      break;
    case "error":
      refused(frame);
      break;
    default:
      break;
  }
}

function welcomed(frame) {
  if (typeof frame.session === "string" && frame.session !== "") {
    state.session = frame.session;
    write(KEYS.session, frame.session);
  }
  state.welcomed = true;
  // The server follows `welcome` with `handoff` when a person (or the queue) has the conversation.
  // Without one, the bot has it again; wait a moment before saying so, so the status does not flicker.
  clearTimeout(state.handoffTimer);
  state.handoffTimer = setTimeout(settleHandoff, HANDOFF_GRACE_MS);
  renderPendingLabels();
  sendPending();
}

/** No `handoff` came right after `welcome`: the bot has the conversation. */
function settleHandoff() {
  if (state.handoffTimer === null) return;
  clearTimeout(state.handoffTimer);
  state.handoffTimer = null;
  if (state.handoff === "waiting" || state.handoff === "agent_joined") setHandoff("", null);
}

function sendPending() {
  if (!state.welcomed) return;
  for (const entry of state.transcript) {
    if (entry.from === "customer" && entry.status !== "sent") {
      socket.send({ type: "message", client_id: entry.clientId, text: entry.text });
    }
  }
}

function acknowledged(clientId) {
  const entry = state.transcript.find((candidate) => candidate.from === "customer" && candidate.clientId === clientId);
  if (state.notice && state.notice.key === "failed") {
    // The server handles messages again. Error frames do not say which message failed: keep
    // retrying while any other message waits, else the failure is over.
    const waiting = state.transcript.some(
      (candidate) => candidate.from === "customer" && candidate.status !== "sent" && candidate !== entry,
    );
    if (waiting) {
      scheduleResend();
    } else {
      clearTimeout(state.retryTimer);
      state.retryDelay = RETRY_FIRST_SECONDS;
      hideNotice();
    }
  }
  if (!entry || entry.status === "sent") return;
  entry.status = "sent";
  saveTranscript();
  const node = nodes.get(entry);
  if (node) {
    node.dataset.state = "sent";
    const label = node.querySelector(".pending");
    if (label) label.remove();
  }
  if (state.handoff === "" || state.handoff === "returned_to_bot") showTyping(true);
}

function replied(frame) {
  if (typeof frame.text !== "string") return;
  const from = frame.from === "agent" ? "agent" : "bot";
  showTyping(false);
  const chips = Array.isArray(frame.quick_replies)
    ? frame.quick_replies
        .filter((chip) => chip && typeof chip.title === "string" && chip.title.trim() !== "")
        .map((chip) => ({ title: chip.title }))
    : [];
  // Only the newest set of quick replies stays.
  if (chips.length > 0) removeQuickReplies();
  const entry = { from, text: frame.text };
  if (from === "agent" && state.agent) entry.agent = state.agent;
  if (chips.length > 0) entry.quickReplies = chips;
  add(entry);
}

function refused(frame) {
  switch (frame.code) {
    case "internal_error":
      // The message that failed stays pending: it goes again after a pause, at once from the
      // notice's button, and after any reconnect.
      showNotice("failed", true);
      scheduleResend();
      break;
    case "hello_required":
    case "already_started":
      break;
    default:
      showNotice("refused", false);
      break;
  }
}

function scheduleResend() {
  clearTimeout(state.retryTimer);
  const delay = state.retryDelay;
  state.retryDelay = Math.min(RETRY_MOST_SECONDS, state.retryDelay * 2);
  state.retryTimer = setTimeout(sendPending, delay * 1000);
}

function connectionChanged(name, detail) {
  if (name === "reconnecting") state.retryIn = detail;
  if (name !== "open") {
    state.welcomed = false;
    showTyping(false);
  }
  state.connection = name;
  renderConnection();
  renderPendingLabels();
}

// MARK: - What the customer does

function newClientId() {
  const bytes = new Uint8Array(16);
  if (window.crypto && window.crypto.getRandomValues) {
    window.crypto.getRandomValues(bytes);
  } else {
    for (let index = 0; index < bytes.length; index += 1) bytes[index] = Math.floor(Math.random() * 256);
  }
  return "c_" + Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Sends `raw` as the customer's message; false when there is nothing to send. */
function sendText(raw) {
  const value = raw.trim();
  if (!value) return false;
  if (value.length > MAX_LENGTH) {
    showNotice("tooLong", false, value.length);
    return false;
  }
  if (state.notice && state.notice.key !== "failed") hideNotice();
  removeQuickReplies();
  const entry = { from: "customer", text: value, clientId: newClientId(), status: "pending" };
  add(entry, true);
  if (state.welcomed) socket.send({ type: "message", client_id: entry.clientId, text: entry.text });
  return true;
}

page.composer.addEventListener("submit", (event) => {
  event.preventDefault();
  if (sendText(page.input.value)) {
    page.input.value = "";
    fitInput();
  }
  page.input.focus();
});

page.input.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  if (typeof page.composer.requestSubmit === "function") page.composer.requestSubmit();
  else page.composer.dispatchEvent(new Event("submit", { cancelable: true }));
});

page.input.addEventListener("input", () => {
  fitInput();
  if (state.notice && state.notice.key === "tooLong" && page.input.value.trim().length <= MAX_LENGTH) hideNotice();
});

/** Grows the box with its text, up to the height CSS allows (max-height). */
function fitInput() {
  page.input.style.height = "auto";
  if (page.input.value !== "") page.input.style.height = page.input.scrollHeight + 2 + "px";
}

page.language.addEventListener("click", () => {
  state.language = state.language === "pl" ? "en" : "pl";
  write(KEYS.language, state.language);
  renderTexts();
});

page.reconnect.addEventListener("click", () => {
  page.input.focus();
  socket.retryNow();
});

page.noticeRetry.addEventListener("click", () => {
  page.input.focus();
  clearTimeout(state.retryTimer);
  if (state.welcomed) sendPending();
  else socket.retryNow();
});

window.addEventListener("offline", renderConnection);
window.addEventListener("online", renderConnection);
document.addEventListener("visibilitychange", () => {
  // A phone waking up: try at once rather than after the pause.
  if (document.visibilityState === "visible" && state.connection === "reconnecting") socket.retryNow();
});

// MARK: - Showing it

function text(key, ...values) {
  const value = TEXTS[state.language][key];
  return typeof value === "function" ? value(...values) : value;
}

function add(entry, own = false) {
  const follow = own || state.pinned;
  state.transcript.push(entry);
  saveTranscript();
  page.hint.hidden = true;
  page.messages.append(messageNode(entry));
  // The page shows what it keeps: the oldest go (a removal, which the log does not announce).
  const shown = page.messages.querySelectorAll(".message");
  for (let index = 0; index < shown.length - MAX_KEPT; index += 1) shown[index].remove();
  if (follow) scrollToEnd();
}

function messageNode(entry) {
  const node = document.createElement("div");
  node.className = `message ${entry.from}`;
  if (entry.from === "customer") {
    node.dataset.clientId = entry.clientId;
    node.dataset.state = entry.status === "sent" ? "sent" : "pending";
  }
  const author = document.createElement("span");
  author.className = entry.from === "customer" ? "author sr-only" : "author";
  const bubble = document.createElement("p");
  bubble.className = "text";
  bubble.textContent = entry.text;
  node.append(author, bubble);
  if (entry.from === "customer" && entry.status !== "sent") {
    const pending = document.createElement("span");
    pending.className = "pending";
    node.append(pending);
  }
  if (entry.quickReplies && entry.quickReplies.length > 0) node.append(quickRepliesNode(entry.quickReplies));
  nodes.set(entry, node);
  renderMessageTexts(node, entry);
  return node;
}

/** The words of a message's own labels (who wrote it, "sending…"), in the page's language. */
function renderMessageTexts(node, entry) {
  const author = node.querySelector(".author");
  const colon = document.createElement("span");
  colon.className = "sr-only";
  colon.textContent = ": ";
  author.replaceChildren(authorName(entry), colon);
  const pending = node.querySelector(".pending");
  if (pending) pending.textContent = pendingLabel();
  const group = node.querySelector(".quick-replies");
  if (group) group.setAttribute("aria-label", text("quickReplies"));
}

function authorName(entry) {
  if (entry.from === "agent") return text("agent", entry.agent);
  return entry.from === "bot" ? text("bot") : text("you");
}

function pendingLabel() {
  return state.welcomed ? text("pending") : text("waitingForConnection");
}

function renderPendingLabels() {
  for (const label of page.messages.querySelectorAll(".message.customer .pending")) label.textContent = pendingLabel();
}

function quickRepliesNode(chips) {
  const group = document.createElement("div");
  group.className = "quick-replies";
  group.setAttribute("role", "group");
  for (const chip of chips) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "quick-reply";
    button.textContent = chip.title;
    button.addEventListener("click", () => {
      sendText(chip.title);
      page.input.focus();
    });
    group.append(button);
  }
  return group;
}

function removeQuickReplies() {
  let changed = false;
  for (const entry of state.transcript) {
    if (entry.quickReplies) {
      delete entry.quickReplies;
      changed = true;
    }
  }
  if (changed) saveTranscript();
  for (const group of page.messages.querySelectorAll(".quick-replies")) group.remove();
}

function isNearBottom() {
  const box = page.messages;
  return box.scrollHeight - box.scrollTop - box.clientHeight < FOLLOW_PIXELS;
}

function scrollToEnd() {
  page.messages.scrollTop = page.messages.scrollHeight;
  state.pinned = true;
}

page.messages.addEventListener("scroll", () => {
  state.pinned = isNearBottom();
}, { passive: true });

// The handoff bar, the typing line, a notice or a growing input take room from the conversation:
// keep its newest message in view.
if (typeof ResizeObserver === "function") {
  new ResizeObserver(() => {
    if (state.pinned) scrollToEnd();
  }).observe(page.messages);
}

function showTyping(shown) {
  clearTimeout(state.typingTimer);
  if (page.typing.hidden === !shown) {
    if (shown) state.typingTimer = setTimeout(() => showTyping(false), TYPING_SECONDS * 1000);
    return;
  }
  page.typing.hidden = !shown;
  if (shown) state.typingTimer = setTimeout(() => showTyping(false), TYPING_SECONDS * 1000);
}

function showNotice(key, retry, ...values) {
  state.notice = { key, retry, values };
  renderNotice();
}

function hideNotice() {
  if (state.notice === null) return;
  const hadFocus = page.notice.contains(document.activeElement);
  state.notice = null;
  renderNotice();
  if (hadFocus) page.input.focus();
}

function renderNotice() {
  const notice = state.notice;
  page.noticeText.textContent = notice ? text(notice.key, ...notice.values) : "";
  page.noticeRetry.hidden = !(notice && notice.retry);
  page.notice.classList.toggle("shown", notice !== null);
}

function setHandoff(status, agent) {
  state.handoff = status;
  if (status === "agent_joined" && agent) state.agent = agent;
  if (status === "waiting" || status === "agent_joined") showTyping(false);
  renderHandoff();
}

function renderHandoff() {
  const words = {
    waiting: () => text("waiting"),
    agent_joined: () => text("agentJoined", state.agent),
    returned_to_bot: () => text("returnedToBot"),
  }[state.handoff];
  page.handoff.dataset.status = state.handoff;
  page.handoff.textContent = words ? words() : "";
}

function renderConnection() {
  const offline = navigator.onLine === false && state.connection !== "open";
  let shown = state.connection === "closed" ? "offline" : state.connection;
  let words = state.connection === "reconnecting" ? text("reconnecting", state.retryIn) : text(state.connection);
  if (offline) {
    shown = "offline";
    words = text("offline");
  }
  page.connection.dataset.state = shown;
  if (page.connectionText.textContent !== words) page.connectionText.textContent = words;
  const hide = state.connection !== "reconnecting";
  if (hide && document.activeElement === page.reconnect) page.input.focus();
  page.reconnect.hidden = hide;
}

function renderTexts() {
  document.documentElement.lang = state.language;
  document.title = text("title");
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = text(node.dataset.text);
  page.language.textContent = text("languageButton");
  page.language.lang = text("languageButtonLang");
  for (const entry of state.transcript) {
    const node = nodes.get(entry);
    if (node) renderMessageTexts(node, entry);
  }
  renderConnection();
  renderHandoff();
  renderNotice();
}

// MARK: - Start

page.messages.append(...state.transcript.map(messageNode));
page.hint.hidden = state.transcript.length > 0;
renderTexts();
scrollToEnd();
socket.start();
