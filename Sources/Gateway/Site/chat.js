// The customers' chat page: talks to /ws/chat (docs/WEBCHAT.md) through socket.js.
// Keeps the session and the transcript in localStorage, so a reload or a dropped connection
// resumes the same conversation, and resends messages the server has not acknowledged.

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

const page = {
  title: document.getElementById("title"),
  language: document.getElementById("language"),
  connection: document.getElementById("connection"),
  connectionText: document.getElementById("connection-text"),
  reconnect: document.getElementById("reconnect"),
  handoff: document.getElementById("handoff"),
  messages: document.getElementById("messages"),
  hint: document.getElementById("hint"),
  typing: document.getElementById("typing"),
  notice: document.getElementById("notice"),
  composer: document.getElementById("composer"),
  input: document.getElementById("message-input"),
};

const state = {
  language: initialLanguage(read(KEYS.language)),
  session: read(KEYS.session),
  /** Every message shown: {from: "bot"|"agent"|"customer", text, agent?, clientId?, status?, quickReplies?} */
  transcript: readTranscript(),
  welcomed: false,
  handoff: "",
  agent: null,
  connection: "connecting",
  retryIn: 0,
  typingTimer: null,
  retryTimer: null,
};

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
  try {
    const saved = JSON.parse(read(KEYS.transcript) || "[]");
    return Array.isArray(saved) ? saved.filter((entry) => entry && typeof entry.text === "string") : [];
  } catch (error) {
    return [];
  }
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
  switch (frame.type) {
    case "welcome":
      state.session = frame.session;
      write(KEYS.session, frame.session);
      state.welcomed = true;
      setHandoff("", null);
      sendPending();
      break;
    case "ack":
      acknowledged(frame.client_id);
      break;
    case "message":
      showTyping(false);
      add({
        from: frame.from === "agent" ? "agent" : "bot",
        text: String(frame.text || ""),
        agent: frame.from === "agent" ? state.agent : undefined,
        quickReplies: Array.isArray(frame.quick_replies) ? frame.quick_replies.filter((chip) => chip && chip.title) : [],
      });
      break;
    case "handoff":
      setHandoff(frame.status, frame.agent || null);
      break;
    case "error":
      refused(frame);
      break;
    default:
      break;
  }
}

function sendPending() {
  if (!state.welcomed) return;
  for (const entry of state.transcript) {
    if (entry.from === "customer" && entry.status === "pending") {
      socket.send({ type: "message", client_id: entry.clientId, text: entry.text });
    }
  }
}

function acknowledged(clientId) {
  const entry = state.transcript.find((candidate) => candidate.clientId === clientId);
  if (!entry || entry.status === "sent") return;
  entry.status = "sent";
  saveTranscript();
  const node = page.messages.querySelector(`[data-client-id="${CSS.escape(clientId)}"]`);
  if (node) {
    node.dataset.state = "sent";
    const status = node.querySelector(".pending");
    if (status) status.remove();
  }
  if (state.handoff === "" || state.handoff === "returned_to_bot") showTyping(true);
}

function refused(frame) {
  if (frame.code === "internal_error") {
    showNotice(text("failed"));
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(sendPending, 3000);
  } else {
    showNotice(frame.message || frame.code || "");
  }
}

function connectionChanged(name, detail) {
  if (name === "reconnecting") {
    state.retryIn = detail;
    state.welcomed = false;
  }
  if (name === "closed") state.welcomed = false;
  state.connection = name;
  renderConnection();
  if (name !== "open") showTyping(false);
}

// MARK: - What the customer does

function newClientId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return "c_" + Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function sendText(raw) {
  const value = raw.trim();
  if (!value) return false;
  if (value.length > MAX_LENGTH) {
    showNotice(text("tooLong"));
    return false;
  }
  hideNotice();
  removeQuickReplies();
  const entry = { from: "customer", text: value, clientId: newClientId(), status: "pending" };
  add(entry);
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
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    page.composer.requestSubmit();
  }
});

page.input.addEventListener("input", fitInput);

function fitInput() {
  page.input.style.height = "auto";
  page.input.style.height = Math.min(page.input.scrollHeight, 160) + "px";
}

page.language.addEventListener("click", () => {
  state.language = state.language === "pl" ? "en" : "pl";
  write(KEYS.language, state.language);
  renderTexts();
  page.language.focus();
});

page.reconnect.addEventListener("click", () => socket.retryNow());
window.addEventListener("offline", renderConnection);
window.addEventListener("online", renderConnection);

// MARK: - Showing it

function text(key, ...values) {
  const value = TEXTS[state.language][key];
  return typeof value === "function" ? value(...values) : value;
}

function add(entry) {
  state.transcript.push(entry);
  saveTranscript();
  page.hint.hidden = true;
  page.messages.append(messageNode(entry));
  scrollToEnd();
}

function messageNode(entry) {
  const node = document.createElement("div");
  node.className = `message ${entry.from}`;
  if (entry.from === "customer") {
    node.dataset.clientId = entry.clientId;
    node.dataset.state = entry.status === "sent" ? "sent" : "pending";
  }
  const author = document.createElement("span");
  author.className = entry.from === "agent" ? "author" : "author sr-only";
  author.textContent = authorName(entry) + ": ";
  const bubble = document.createElement("p");
  bubble.className = "text";
  bubble.textContent = entry.text;
  node.append(author, bubble);
  if (entry.from === "customer" && entry.status !== "sent") {
    const pending = document.createElement("span");
    pending.className = "pending";
    pending.textContent = text("pending");
    node.append(pending);
  }
  if (entry.quickReplies && entry.quickReplies.length > 0) node.append(quickRepliesNode(entry.quickReplies));
  return node;
}

function authorName(entry) {
  if (entry.from === "agent") return text("agent", entry.agent);
  return entry.from === "bot" ? text("bot") : text("you");
}

function quickRepliesNode(chips) {
  const group = document.createElement("div");
  group.className = "quick-replies";
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", text("quickReplies"));
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
  for (const entry of state.transcript) delete entry.quickReplies;
  for (const group of page.messages.querySelectorAll(".quick-replies")) group.remove();
}

function scrollToEnd() {
  page.messages.scrollTop = page.messages.scrollHeight;
}

function showTyping(shown) {
  clearTimeout(state.typingTimer);
  page.typing.hidden = !shown;
  if (shown) state.typingTimer = setTimeout(() => showTyping(false), TYPING_SECONDS * 1000);
}

function showNotice(message) {
  page.notice.textContent = message;
  page.notice.hidden = !message;
}

function hideNotice() {
  showNotice("");
}

function setHandoff(status, agent) {
  state.handoff = status || "";
  if (status === "agent_joined") state.agent = agent;
  if (status === "waiting" || status === "agent_joined") showTyping(false);
  renderHandoff();
}

function renderHandoff() {
  page.handoff.dataset.status = state.handoff;
  const words = {
    waiting: text("waiting"),
    agent_joined: text("agentJoined", state.agent),
    returned_to_bot: text("returnedToBot"),
  }[state.handoff];
  page.handoff.textContent = words || "";
  page.handoff.hidden = !words;
}

function renderConnection() {
  const offline = navigator.onLine === false && state.connection !== "open";
  const shown = offline ? "offline" : state.connection === "closed" ? "offline" : state.connection;
  page.connection.dataset.state = shown;
  page.connectionText.textContent = offline
    ? text("offline")
    : state.connection === "reconnecting"
      ? text("reconnecting", state.retryIn)
      : state.connection === "closed"
        ? text("closed")
        : text(state.connection);
  page.reconnect.hidden = state.connection !== "reconnecting";
}

function renderTexts() {
  document.documentElement.lang = state.language;
  document.title = text("title");
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = text(node.dataset.text);
  page.language.textContent = text("languageButton");
  page.language.setAttribute("aria-label", text("languageButtonLabel"));
  page.language.lang = text("languageButtonLang");
  page.messages.replaceChildren(page.hint, ...state.transcript.map(messageNode));
  page.hint.hidden = state.transcript.length > 0;
  renderConnection();
  renderHandoff();
  scrollToEnd();
}

renderTexts();
socket.start();
