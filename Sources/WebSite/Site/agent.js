// The agents' console (GET /agent): signs in over /ws/agent with a token, shows the live queue,
// claims escalations, shows the whole customer story and record, sends replies, corrects the
// classifier (label) and hands conversations back to the bot or closes them. Protocol:
// docs/HANDOFF.md, "The console".

import { ReconnectingSocket } from "./socket.js";
import { Texts, pickLanguage } from "./agent-i18n.js";
import { el, formatDuration } from "./agent-format.js";
import {
  customerName,
  customerRecordElements,
  dividerElement,
  messageElement,
  queueItemElement,
  setIntent,
} from "./agent-views.js";

const TOKEN_KEY = "orderbot.agent.token";
const OPEN_KEY = "orderbot.agent.open";
const MAX_TEXT = 4000;

const texts = new Texts(pickLanguage());
const t = (key, params) => texts.t(key, params);
const byId = (id) => document.getElementById(id);

const dom = {
  connection: byId("connection"),
  connectionText: byId("connection-text"),
  reconnect: byId("reconnect"),
  agentBox: byId("agent-box"),
  agentName: byId("agent-name"),
  signout: byId("signout"),
  langSwitch: byId("lang-switch"),
  error: byId("error"),
  errorText: byId("error-text"),
  errorDismiss: byId("error-dismiss"),
  layout: byId("layout"),
  signinView: byId("signin-view"),
  signin: byId("signin"),
  token: byId("token"),
  signinError: byId("signin-error"),
  console: byId("console"),
  queueHeading: byId("queue-heading"),
  queueCounts: byId("queue-counts"),
  queueOffline: byId("queue-offline-note"),
  queue: byId("queue"),
  queueMore: byId("queue-more"),
  conversation: byId("conversation"),
  conversationHeading: byId("conversation-heading"),
  conversationMeta: byId("conversation-meta"),
  conversationStatus: byId("conversation-status"),
  conversationPlaceholder: byId("conversation-placeholder"),
  conversationBody: byId("conversation-body"),
  history: byId("history"),
  voiceNote: byId("voice-note"),
  reply: byId("reply"),
  replyText: byId("reply-text"),
  replySend: byId("reply-send"),
  replyOffline: byId("reply-offline-note"),
  resolveActions: byId("resolve-actions"),
  legend: byId("conversation-legend"),
  resolveBot: byId("resolve-bot"),
  resolveClose: byId("resolve-close"),
  customer: byId("customer"),
  customerPlaceholder: byId("customer-placeholder"),
  customerBody: byId("customer-body"),
};

const state = {
  token: null,
  socket: null,
  /** `ready` came on the socket open now. */
  ready: false,
  /** Signed in at least once since the token was given: a drop is a reconnect. */
  everReady: false,
  focusQueueOnReady: false,
  agent: "",
  queue: [],
  // How many there are in all: the server sends a page of each status (queue_more asks for more).
  queueTotals: { open: 0, assigned: 0, hasMore: false },
  queueLoaded: false,
  queueAt: 0,
  /** Conversations of mine with a customer message I have not opened yet. */
  unread: new Set(),
  /** Escalations with a claim on its way. */
  claiming: new Set(),
  /** The open conversation: escalationId, conversationId, channel, customer, maxMessageId. */
  open: null,
  /** An escalation to claim again after the next `ready` (reconnect, reload). */
  restoreId: null,
  /** Requests waiting for their answer, oldest first (the server answers in order). */
  requests: [],
  /** My replies not confirmed by `sent`: localId, conversationId, text, status, node, maxMessageId, reason. */
  outbox: [],
  nextLocalId: 1,
  drafts: new Map(),
  /** Message ids with a label on its way. */
  labelling: new Set(),
  resolving: false,
  lastErrorCode: null,
};

// MARK: - Static texts and language

function applyStaticTexts() {
  document.documentElement.lang = texts.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-aria]")) node.setAttribute("aria-label", t(node.dataset.i18nAria));
  const other = texts.lang === "en" ? "pl" : "en";
  const params = new URLSearchParams(window.location.search);
  params.set("lang", other);
  dom.langSwitch.setAttribute("href", `?${params.toString()}`);
  dom.langSwitch.setAttribute("lang", other);
  updateTitle();
}

function updateTitle() {
  const waiting = state.queueTotals.open;
  const unread = state.unread.size;
  const count = waiting + unread;
  document.title = count > 0 && state.ready ? `(${count}) ${t("page.title")}` : t("page.title");
}

// MARK: - Connection state

function live() {
  return state.ready && state.socket !== null && state.socket.isOpen;
}

function setConnection(name, text, { retry = false, idle = false } = {}) {
  dom.connection.dataset.state = name;
  dom.connection.classList.toggle("idle", idle);
  dom.connectionText.textContent = text;
  const hadFocus = document.activeElement === dom.reconnect;
  dom.reconnect.hidden = !retry;
  if (hadFocus && !retry) (dom.console.hidden ? dom.token : dom.queueHeading).focus();
  updateControls();
}

function connect() {
  if (state.socket) state.socket.stop();
  state.ready = false;
  const socket = new ReconnectingSocket("ws/agent", {
    onOpen: () => {
      if (state.socket !== socket) return;
      state.lastErrorCode = null;
      socket.send({ type: "auth", token: state.token });
      if (state.everReady) setConnection("reconnecting", t("conn.authenticating"), { retry: true });
      else setConnection("connecting", t("conn.authenticating"));
    },
    onFrame: (frame) => {
      if (state.socket === socket) handleFrame(frame);
    },
    onState: (name, detail) => {
      if (state.socket === socket) socketState(name, detail);
    },
  });
  state.socket = socket;
  socket.start();
}

function socketState(name, detail) {
  switch (name) {
    case "connecting":
      if (state.everReady) setConnection("reconnecting", t("conn.retrying"), { retry: true });
      else setConnection("connecting", t("conn.connecting"));
      break;
    case "open":
      break;
    case "reconnecting":
      dropped();
      if (navigator.onLine === false) setConnection("offline", t("conn.offline"), { retry: true });
      else setConnection("reconnecting", t("conn.reconnecting", { s: detail ?? 1 }), { retry: true });
      break;
    case "closed":
      dropped();
      if (detail === 4401 || detail === 4403) refused(detail);
      else setConnection("offline", t("conn.signedout"));
      break;
    default:
      break;
  }
}

/** The socket went away: nothing in flight will be answered. */
function dropped() {
  state.ready = false;
  state.requests = [];
  state.claiming.clear();
  state.labelling.clear();
  state.resolving = false;
  for (const entry of state.outbox) {
    if (entry.status === "pending") {
      entry.status = "unconfirmed";
      updateOutboxNode(entry);
    }
  }
  for (const button of dom.history.querySelectorAll("button.apply-label")) button.textContent = t("msg.apply");
  if (state.open) state.restoreId = state.open.escalationId;
  if (state.queueLoaded) renderQueue();
  updateTitle();
}

/** The token was refused (4401) or the agent disabled (4403): back to the sign-in form. */
function refused(closeCode) {
  const code = state.lastErrorCode;
  state.socket = null;
  forgetSession();
  showSignin();
  dom.signinError.textContent = closeCode === 4403 || code === "agent_disabled"
    ? t("signin.disabled")
    : code === "auth_timeout" ? t("signin.timeout") : t("signin.unauthorized");
  setConnection("offline", t("conn.notSignedIn"), { idle: true });
  dom.token.focus();
}

// MARK: - Sign-in and sign-out

function showSignin() {
  dom.layout.dataset.view = "signin";
  dom.signinView.hidden = false;
  dom.console.hidden = true;
  dom.customer.hidden = true;
  dom.agentBox.hidden = true;
  dom.signout.hidden = true;
}

function showConsole() {
  dom.layout.dataset.view = "console";
  dom.signinView.hidden = true;
  dom.console.hidden = false;
  dom.customer.hidden = false;
  dom.signout.hidden = false;
}

function signIn(token) {
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  state.everReady = false;
  state.focusQueueOnReady = true;
  dom.signinError.textContent = "";
  connect();
}

/** Forgets the token, the open conversation and everything shown. */
function forgetSession() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(OPEN_KEY);
  state.token = null;
  state.ready = false;
  state.everReady = false;
  state.agent = "";
  state.queue = [];
  state.queueTotals = { open: 0, assigned: 0, hasMore: false };
  state.queueLoaded = false;
  state.unread.clear();
  state.claiming.clear();
  state.requests = [];
  state.outbox = [];
  state.drafts.clear();
  state.labelling.clear();
  state.resolving = false;
  state.restoreId = null;
  clearConversation();
  setConversationStatus("");
  dom.agentName.textContent = "";
  dom.queue.replaceChildren();
  dom.queueCounts.textContent = "";
  dom.queueMore.hidden = true;
  hideError();
  updateTitle();
}

function signOut() {
  const socket = state.socket;
  state.socket = null;
  if (socket) socket.stop();
  forgetSession();
  dom.signinError.textContent = "";
  showSignin();
  setConnection("offline", t("conn.notSignedIn"), { idle: true });
  dom.token.value = "";
  dom.token.focus();
}

// MARK: - Requests and their answers

/** Sends a request frame and remembers what it was; false when not connected. */
function request(frame, entry) {
  if (!live() || !state.socket.send(frame)) return false;
  state.requests.push(entry);
  return true;
}

function takeRequest(matches) {
  const index = state.requests.findIndex(matches);
  if (index < 0) return null;
  return state.requests.splice(index, 1)[0];
}

const ERROR_KINDS = {
  already_claimed: ["claim", "resolve"],
  escalation_resolved: ["claim", "resolve"],
  unknown_escalation: ["claim", "resolve"],
  not_assigned: ["send", "link"],
  unknown_customer: ["link"],
  channel_unavailable: ["send"],
  unknown_intent: ["label"],
};

/** The request an error answers: the oldest of the kinds that can get that code. */
function takeErrorRequest(code) {
  const kinds = ERROR_KINDS[code];
  if (kinds) return takeRequest((entry) => kinds.includes(entry.kind));
  return state.requests.length > 0 ? state.requests.shift() : null;
}

function handleFrame(frame) {
  switch (frame.type) {
    case "ready": return onReady(frame);
    case "queue": return onQueue(frame);
    case "assigned": return onAssigned(frame);
    case "sent": return onSent(frame);
    case "customer_message": return onCustomerMessage(frame);
    case "labelled": return onLabelled(frame);
    case "resolved": return onResolved(frame);
    case "customer_linked": return onCustomerLinked(frame);
    case "error": return onError(frame);
    default: return undefined;
  }
}

function onReady(frame) {
  state.ready = true;
  state.agent = (frame.agent && frame.agent.name) || "";
  state.everReady = true;
  dom.agentName.textContent = state.agent;
  dom.agentBox.hidden = false;
  dom.signinError.textContent = "";
  dom.token.value = "";
  showConsole();
  setConnection("open", t("conn.open"));
  if (state.focusQueueOnReady) {
    state.focusQueueOnReady = false;
    dom.queueHeading.focus();
  }
  const restore = state.restoreId ?? (state.open ? state.open.escalationId : null);
  if (restore !== null) claim(restore, { restore: true });
  updateControls();
}

function onQueue(frame) {
  state.queue = Array.isArray(frame.items) ? frame.items : [];
  const openShown = state.queue.filter((item) => item.status === "open").length;
  state.queueTotals = {
    open: Number.isInteger(frame.open_total) ? frame.open_total : openShown,
    assigned: Number.isInteger(frame.assigned_total) ? frame.assigned_total : state.queue.length - openShown,
    hasMore: frame.has_more === true,
  };
  state.queueLoaded = true;
  state.queueAt = Date.now();
  const mine = new Set(state.queue.filter((item) => item.status === "assigned" && item.agent === state.agent).map((item) => item.conversation_id));
  for (const id of [...state.unread]) if (!mine.has(id)) state.unread.delete(id);
  renderQueue();
  checkOpenAgainstQueue();
  updateTitle();
}

function onAssigned(frame) {
  const id = frame.escalation_id;
  const entry = takeRequest((request) => request.kind === "claim" && request.escalationId === id);
  state.claiming.delete(id);
  const previous = state.open;
  if (previous && previous.conversationId !== frame.conversation_id) {
    state.drafts.set(previous.conversationId, dom.replyText.value);
  }
  const sameConversation = previous !== null && previous.conversationId === frame.conversation_id;
  const customer = frame.customer || {};
  const history = Array.isArray(frame.history) ? frame.history : [];
  const summary = (customer.conversations || []).find((conversation) => conversation.id === frame.conversation_id);
  const item = state.queue.find((queued) => queued.escalation_id === id);
  const lastOwn = [...history].reverse().find((message) => message.conversation_id === frame.conversation_id);
  state.open = {
    escalationId: id,
    conversationId: frame.conversation_id,
    channel: (summary && summary.channel) || (item && item.channel) || (lastOwn && lastOwn.channel) || "web",
    customer,
    maxMessageId: 0,
  };
  state.restoreId = null;
  sessionStorage.setItem(OPEN_KEY, String(id));
  state.unread.delete(frame.conversation_id);
  if (!sameConversation) dom.replyText.value = state.drafts.get(frame.conversation_id) || "";
  setConversationStatus("");
  renderConversation(history);
  renderCustomer();
  renderQueue();
  updateTitle();
  updateControls();
  const focused = document.activeElement;
  const userAsked = entry !== null && !entry.restore;
  if (userAsked || !focused || focused === document.body) dom.replyText.focus();
}

function onSent(frame) {
  const request = takeRequest((entry) => entry.kind === "send" && entry.conversationId === frame.conversation_id);
  let entry = request && state.outbox.includes(request.outbox) ? request.outbox : null;
  if (!entry) entry = state.outbox.find((candidate) => candidate.conversationId === frame.conversation_id && candidate.status === "pending") || null;
  if (entry) {
    state.outbox.splice(state.outbox.indexOf(entry), 1);
    entry.status = "sent";
    entry.node.dataset.messageId = String(frame.message_id);
    if (typeof frame.text === "string") entry.node.querySelector(".text").textContent = frame.text;
    updateOutboxNode(entry);
  } else if (state.open && state.open.conversationId === frame.conversation_id && !historyHas(frame.message_id)) {
    appendMessage({
      message_id: frame.message_id,
      conversation_id: frame.conversation_id,
      channel: state.open.channel,
      author: "agent",
      text: frame.text,
      created_at: new Date().toISOString(),
    });
  }
  if (state.open && state.open.conversationId === frame.conversation_id) {
    state.open.maxMessageId = Math.max(state.open.maxMessageId, Number(frame.message_id) || 0);
  }
}

function onCustomerMessage(frame) {
  if (state.open && state.open.conversationId === frame.conversation_id) {
    if (!historyHas(frame.message_id)) {
      appendMessage({
        message_id: frame.message_id,
        conversation_id: frame.conversation_id,
        channel: frame.channel || state.open.channel,
        author: "customer",
        text: frame.text,
        intent: frame.intent || null,
        confidence: typeof frame.confidence === "number" ? frame.confidence : null,
        created_at: new Date().toISOString(),
      });
      state.open.maxMessageId = Math.max(state.open.maxMessageId, Number(frame.message_id) || 0);
    }
    return;
  }
  state.unread.add(frame.conversation_id);
  renderQueue();
  updateTitle();
}

function onLabelled(frame) {
  takeRequest((entry) => entry.kind === "label" && entry.messageId === frame.message_id);
  state.labelling.delete(frame.message_id);
  const node = messageNode(frame.message_id);
  if (node) {
    setIntent(node, texts, frame.intent, null);
    const button = node.querySelector("button.apply-label");
    if (button) button.textContent = t("msg.apply");
    const status = node.querySelector(".label-status");
    if (status) {
      status.classList.remove("failed");
      status.textContent = t("msg.labelled", { intent: texts.word("intent", frame.intent) });
    }
    node.classList.add("labelled");
  }
  updateControls();
  keepHistoryAtEnd();
}

function onResolved(frame) {
  takeRequest((entry) => entry.kind === "resolve" && entry.escalationId === frame.escalation_id);
  state.resolving = false;
  if (state.open && state.open.escalationId === frame.escalation_id) {
    const key = frame.return_to_bot ? "conv.returnedToBot" : "conv.closed";
    closeConversation(t(key, { e: frame.escalation_id }), "ok");
    dom.queueHeading.focus();
  }
  updateControls();
}

function onCustomerLinked(frame) {
  takeRequest((entry) => entry.kind === "link" && entry.conversationId === frame.conversation_id);
  if (state.open && state.open.conversationId === frame.conversation_id) {
    setConversationStatus(t("link.done", { n: frame.customer_id }), "ok");
  }
}

function onError(frame) {
  const code = typeof frame.code === "string" ? frame.code : "";
  state.lastErrorCode = code;
  if (!state.ready && (code === "unauthorized" || code === "auth_timeout")) return; // 4401 follows
  if (code === "agent_disabled") return; // 4403 follows
  const human = texts.error(code, frame.message);
  const entry = takeErrorRequest(code);
  if (entry) {
    switch (entry.kind) {
      case "claim":
        state.claiming.delete(entry.escalationId);
        if (entry.restore) {
          if (state.open && state.open.escalationId === entry.escalationId) {
            closeConversation(t("conv.restoreFailed", { e: entry.escalationId, reason: human }), "warning");
          } else {
            state.restoreId = null;
            sessionStorage.removeItem(OPEN_KEY);
            setConversationStatus(t("conv.restoreFailed", { e: entry.escalationId, reason: human }), "warning");
          }
          renderQueue();
          updateControls();
          return;
        }
        renderQueue();
        break;
      case "send":
        if (entry.outbox && state.outbox.includes(entry.outbox)) {
          entry.outbox.status = "failed";
          entry.outbox.reason = human;
          updateOutboxNode(entry.outbox);
        }
        break;
      case "label": {
        state.labelling.delete(entry.messageId);
        const node = messageNode(entry.messageId);
        if (node) {
          const button = node.querySelector("button.apply-label");
          if (button) button.textContent = t("msg.apply");
          const status = node.querySelector(".label-status");
          if (status) {
            status.classList.add("failed");
            status.textContent = t("msg.labelFailed", { reason: human });
          }
        }
        keepHistoryAtEnd();
        break;
      }
      case "resolve":
        state.resolving = false;
        break;
      case "link": {
        const status = dom.customerBody.querySelector(".link-status");
        if (status) status.textContent = human;
        break;
      }
      default:
        break;
    }
  }
  showError(human);
  updateControls();
}

// MARK: - Errors

function showError(text) {
  dom.errorText.textContent = text;
  dom.error.hidden = false;
}

function hideError() {
  dom.errorText.textContent = "";
  dom.error.hidden = true;
}

// MARK: - Queue

function waitingNow(item) {
  return (Number(item.waiting_seconds) || 0) + (Date.now() - state.queueAt) / 1000;
}

function renderQueue() {
  const focused = document.activeElement;
  let refocus = null;
  if (focused && dom.queue.contains(focused) && focused.dataset.escalationId) refocus = focused.dataset.escalationId;

  const nodes = state.queue.map((item) => {
    const mine = item.status === "assigned" && item.agent === state.agent;
    return queueItemElement(item, {
      texts,
      me: state.agent,
      unread: mine && state.unread.has(item.conversation_id),
      current: state.open !== null && state.open.escalationId === item.escalation_id,
      claiming: state.claiming.has(item.escalation_id),
      waiting: waitingNow(item),
    });
  });
  if (nodes.length === 0) {
    nodes.push(el("li", { className: "queue-empty", text: state.queueLoaded ? t("queue.empty") : t("conn.connecting") }));
  }
  dom.queue.replaceChildren(...nodes);

  const { open, assigned, hasMore } = state.queueTotals;
  dom.queueCounts.textContent = state.queueLoaded ? t("queue.counts", { open, assigned }) : "";
  dom.queueMore.hidden = !(state.queueLoaded && hasMore);
  dom.queueMore.textContent = t("queue.more", { shown: state.queue.length, total: open + assigned });
  updateQueueButtons();

  if (refocus !== null) {
    const again = dom.queue.querySelector(`button[data-escalation-id="${CSS.escape(refocus)}"]`);
    if (again && !again.disabled) again.focus();
    else dom.queueHeading.focus();
  }
}

function updateQueueButtons() {
  const on = live();
  for (const button of dom.queue.querySelectorAll("button.claim, button.open")) {
    const id = Number(button.dataset.escalationId);
    button.disabled = !on || state.claiming.has(id);
    describedBy(button, "queue-offline-note", !on);
  }
  dom.queueMore.disabled = !on;
}

function tickWaiting() {
  if (!state.queueLoaded) return;
  const items = new Map(state.queue.map((item) => [String(item.escalation_id), item]));
  for (const span of dom.queue.querySelectorAll(".waiting")) {
    const item = items.get(span.dataset.escalationId);
    if (item) span.textContent = t("queue.waiting", { t: formatDuration(waitingNow(item)) });
  }
}

function claim(escalationId, { restore = false } = {}) {
  const sent = request({ type: "claim", escalation_id: escalationId }, { kind: "claim", escalationId, restore });
  if (!sent) return;
  state.claiming.add(escalationId);
  if (state.queueLoaded) renderQueue();
}

/** After a new queue: tells the agent when the open escalation left them. */
function checkOpenAgainstQueue() {
  if (!state.open || !state.ready) return;
  const id = state.open.escalationId;
  if (state.claiming.has(id) || state.resolving) return;
  const item = state.queue.find((queued) => queued.escalation_id === id);
  if (!item) {
    closeConversation(t("conv.goneElsewhere", { e: id }), "warning");
    return;
  }
  if (item.status === "open") setConversationStatus(t("conv.released", { e: id }), "warning");
  else if (item.agent !== state.agent) setConversationStatus(t("conv.takenBy", { e: id, agent: item.agent || "?" }), "warning");
  else if (dom.conversationStatus.classList.contains("warning")) setConversationStatus("");
}

// MARK: - Conversation

function setConversationStatus(text, tone = "ok") {
  dom.conversationStatus.textContent = text;
  dom.conversationStatus.classList.toggle("warning", tone === "warning");
}

function messageContext() {
  return { texts, openConversationId: state.open ? state.open.conversationId : null, agentName: state.agent };
}

function messageNode(messageId) {
  return dom.history.querySelector(`.message[data-message-id="${CSS.escape(String(messageId))}"]`);
}

function historyHas(messageId) {
  return messageId !== undefined && messageId !== null && messageNode(messageId) !== null;
}

function lastConversationInHistory() {
  const messages = dom.history.querySelectorAll(".message");
  const last = messages[messages.length - 1];
  return last ? Number(last.dataset.conversationId) : null;
}

function renderConversation(history) {
  const open = state.open;
  dom.conversation.dataset.escalationId = String(open.escalationId);
  dom.conversation.dataset.conversationId = String(open.conversationId);
  dom.conversationPlaceholder.hidden = true;
  dom.conversationBody.hidden = false;
  dom.resolveActions.hidden = false;
  dom.conversationHeading.textContent = t("conv.headingWith", {
    name: customerName(texts, open.customer.name, open.customer.id),
  });
  dom.conversationMeta.textContent = t("conv.meta", {
    e: open.escalationId,
    c: open.conversationId,
    channel: texts.word("channel", open.channel),
  });
  dom.voiceNote.hidden = open.channel !== "voice";

  const sorted = [...history].sort((a, b) => {
    const byTime = String(a.created_at).localeCompare(String(b.created_at));
    return byTime !== 0 ? byTime : (Number(a.message_id) || 0) - (Number(b.message_id) || 0);
  });
  open.maxMessageId = sorted.reduce((max, message) => Math.max(max, Number(message.message_id) || 0), 0);

  dom.history.setAttribute("aria-busy", "true");
  const context = messageContext();
  dom.legend.hidden = !sorted.some((message) => message.conversation_id !== open.conversationId);
  const fragment = document.createDocumentFragment();
  let previous = null;
  for (const message of sorted) {
    if (message.conversation_id !== previous) {
      fragment.append(dividerElement(texts, message.conversation_id, message.channel, message.conversation_id === open.conversationId));
      previous = message.conversation_id;
    }
    fragment.append(messageElement(message, context));
  }
  dom.history.replaceChildren(fragment);

  // My replies not confirmed yet: stored already (then the history has them), or not.
  const matched = new Set();
  for (const entry of [...state.outbox]) {
    if (entry.conversationId !== open.conversationId) continue;
    if (entry.status === "pending" || entry.status === "unconfirmed") {
      const stored = sorted.find((message) => message.author === "agent"
        && message.conversation_id === entry.conversationId
        && (Number(message.message_id) || 0) > entry.maxMessageId
        && message.text === entry.text
        && !matched.has(message.message_id));
      if (stored) {
        // Shown from the history now; a `sent` still on its way finds it there.
        matched.add(stored.message_id);
        state.outbox.splice(state.outbox.indexOf(entry), 1);
        continue;
      }
    }
    if (entry.status === "unconfirmed") {
      // Not in the stored history: it never reached the server.
      entry.status = "failed";
      entry.reason = null;
    }
    if (entry.node) {
      if (lastConversationInHistory() !== entry.conversationId) {
        dom.history.append(dividerElement(texts, entry.conversationId, open.channel, true));
      }
      dom.history.append(entry.node);
      updateOutboxNode(entry);
    }
  }
  if (sorted.length === 0 && !dom.history.querySelector(".message")) {
    dom.history.append(el("p", { className: "history-empty muted", text: t("conv.empty") }));
  }
  dom.history.removeAttribute("aria-busy");
  scrollHistoryToEnd();
}

/** Whether the history is scrolled to its end (then it stays there as messages come). */
let historyAtEnd = true;

function historyNearEnd() {
  return dom.history.scrollHeight - dom.history.scrollTop - dom.history.clientHeight < 48;
}

function scrollHistoryToEnd() {
  dom.history.scrollTop = dom.history.scrollHeight;
  historyAtEnd = true;
}

/** After the history or its box changed: back to the end if the agent was reading there. */
function keepHistoryAtEnd() {
  if (historyAtEnd) scrollHistoryToEnd();
}

/** Appends one message (or a reply of mine) at the end of the history. */
function appendNode(node, conversationId, channel, { scroll = false } = {}) {
  const empty = dom.history.querySelector(".history-empty");
  if (empty) empty.remove();
  if (lastConversationInHistory() !== conversationId) {
    dom.history.append(dividerElement(texts, conversationId, channel, state.open && conversationId === state.open.conversationId));
  }
  dom.history.append(node);
  if (scroll) scrollHistoryToEnd();
  else keepHistoryAtEnd();
}

function appendMessage(message) {
  appendNode(messageElement(message, messageContext()), message.conversation_id, message.channel);
  updateControls();
}

function clearConversation() {
  state.open = null;
  delete dom.conversation.dataset.escalationId;
  delete dom.conversation.dataset.conversationId;
  dom.conversationBody.hidden = true;
  dom.resolveActions.hidden = true;
  dom.legend.hidden = true;
  dom.conversationPlaceholder.hidden = false;
  dom.conversationHeading.textContent = t("conv.heading");
  dom.conversationMeta.textContent = "";
  dom.history.replaceChildren();
  dom.replyText.value = "";
  dom.voiceNote.hidden = true;
  dom.customerBody.replaceChildren();
  dom.customerBody.hidden = true;
  dom.customerPlaceholder.hidden = false;
}

function closeConversation(message, tone) {
  const hadFocus = dom.conversationBody.contains(document.activeElement);
  if (state.open) {
    const conversationId = state.open.conversationId;
    state.drafts.delete(conversationId);
    state.outbox = state.outbox.filter((entry) => entry.conversationId !== conversationId);
  }
  state.restoreId = null;
  sessionStorage.removeItem(OPEN_KEY);
  clearConversation();
  setConversationStatus(message, tone);
  renderQueue();
  updateControls();
  if (hadFocus) dom.queueHeading.focus();
}

// MARK: - Replies

function outboxNode(entry) {
  const node = messageElement({
    conversation_id: entry.conversationId,
    channel: state.open ? state.open.channel : "web",
    author: "agent",
    text: entry.text,
    created_at: new Date().toISOString(),
  }, messageContext());
  node.dataset.localId = String(entry.localId);
  node.append(el("span", { className: "send-status" }));
  return node;
}

function updateOutboxNode(entry) {
  const node = entry.node;
  if (!node) return;
  node.classList.toggle("pending", entry.status === "pending");
  node.classList.toggle("failed", entry.status === "failed" || entry.status === "unconfirmed");
  node.classList.toggle("sent", entry.status === "sent");
  const status = node.querySelector(".send-status");
  const failed = entry.status === "failed" || entry.status === "unconfirmed";
  if (status) {
    status.classList.toggle("failed", failed);
    if (entry.status === "pending") status.textContent = t("msg.pending");
    else if (entry.status === "sent") status.textContent = t("msg.sent");
    else if (entry.status === "failed") status.textContent = entry.reason ? t("msg.failed", { reason: entry.reason }) : t("msg.lost");
    else status.textContent = t("msg.unconfirmed");
  }
  let retry = node.querySelector("button.retry");
  if (failed && !retry) {
    retry = el("button", {
      type: "button",
      className: "button small secondary retry",
      dataset: { localId: entry.localId },
      text: t("msg.retry"),
    });
    node.append(retry);
  } else if (!failed && retry) {
    retry.remove();
    retry = null;
  }
  if (retry) retry.disabled = !live();
  keepHistoryAtEnd();
}

function sendReply() {
  if (!state.open) return;
  const text = dom.replyText.value.trim();
  if (!text) return;
  if (text.length > MAX_TEXT) {
    showError(t("reply.tooLong", { n: text.length }));
    return;
  }
  if (!live()) return;
  const entry = {
    localId: state.nextLocalId++,
    conversationId: state.open.conversationId,
    text,
    status: "pending",
    maxMessageId: state.open.maxMessageId,
    node: null,
    reason: "",
  };
  const sent = request({ type: "send", conversation_id: entry.conversationId, text }, { kind: "send", conversationId: entry.conversationId, outbox: entry });
  if (!sent) return;
  entry.node = outboxNode(entry);
  state.outbox.push(entry);
  appendNode(entry.node, entry.conversationId, state.open.channel, { scroll: true });
  updateOutboxNode(entry);
  dom.replyText.value = "";
  state.drafts.delete(entry.conversationId);
}

function retryReply(localId) {
  const entry = state.outbox.find((candidate) => candidate.localId === localId);
  if (!entry || !state.open || entry.conversationId !== state.open.conversationId) return;
  const sent = request({ type: "send", conversation_id: entry.conversationId, text: entry.text }, { kind: "send", conversationId: entry.conversationId, outbox: entry });
  if (!sent) return;
  entry.status = "pending";
  entry.reason = "";
  entry.maxMessageId = state.open.maxMessageId;
  const hadFocus = entry.node.contains(document.activeElement);
  appendNode(entry.node, entry.conversationId, state.open.channel, { scroll: true });
  updateOutboxNode(entry);
  if (hadFocus) dom.replyText.focus();
}

// MARK: - Labels and resolving

function applyLabel(button) {
  const node = button.closest(".message");
  const select = node && node.querySelector("select.intent-select");
  if (!select || !select.value) return;
  const messageId = Number(button.dataset.messageId);
  const sent = request({ type: "label", message_id: messageId, intent: select.value }, { kind: "label", messageId });
  if (!sent) return;
  state.labelling.add(messageId);
  button.textContent = t("msg.applying");
  const status = node.querySelector(".label-status");
  if (status) {
    status.classList.remove("failed");
    status.textContent = "";
  }
  updateControls();
}

function resolve(returnToBot) {
  if (!state.open || state.resolving) return;
  const escalationId = state.open.escalationId;
  const sent = request({ type: "resolve", escalation_id: escalationId, return_to_bot: returnToBot }, { kind: "resolve", escalationId });
  if (!sent) return;
  state.resolving = true;
  updateControls();
}

// MARK: - Customer record

/** The agent links the open conversation's customer with the record whose number they typed. */
function linkCustomer(form) {
  if (!state.open) return;
  const input = form.querySelector("input.link-customer-id");
  const status = form.querySelector(".link-status");
  const own = state.open.customer ? state.open.customer.id : null;
  const value = input ? input.value.trim() : "";
  if (!/^[0-9]{1,18}$/.test(value) || Number(value) === own) {
    if (status) status.textContent = t("link.invalid");
    if (input) input.focus();
    return;
  }
  if (!window.confirm(t("link.confirm", { a: own ?? "?", b: value }))) return;
  const conversationId = state.open.conversationId;
  if (status) status.textContent = "";
  request({ type: "link_customer", conversation_id: conversationId, customer_id: Number(value) }, { kind: "link", conversationId });
}

function renderCustomer() {
  if (!state.open) return;
  dom.customerBody.replaceChildren(...customerRecordElements(state.open.customer, {
    texts,
    escalationId: state.open.escalationId,
    conversationId: state.open.conversationId,
  }));
  dom.customerBody.hidden = false;
  dom.customerPlaceholder.hidden = true;
}

// MARK: - Controls

/** Adds or removes one id in a node's aria-describedby. */
function describedBy(node, id, on) {
  const ids = (node.getAttribute("aria-describedby") || "").split(/\s+/).filter((value) => value && value !== id);
  if (on) ids.push(id);
  if (ids.length > 0) node.setAttribute("aria-describedby", ids.join(" "));
  else node.removeAttribute("aria-describedby");
}

function updateControls() {
  const on = live();
  const signedIn = state.token !== null;
  dom.queueOffline.hidden = on || !signedIn;
  dom.replyOffline.hidden = on || !signedIn;
  dom.replySend.disabled = !on || state.open === null;
  describedBy(dom.replySend, "reply-offline-note", !on);
  for (const button of [dom.resolveBot, dom.resolveClose]) {
    button.disabled = !on || state.open === null || state.resolving;
    describedBy(button, "reply-offline-note", !on);
  }
  updateQueueButtons();
  for (const button of dom.history.querySelectorAll("button.apply-label")) {
    const node = button.closest(".message");
    const select = node && node.querySelector("select.intent-select");
    const id = Number(button.dataset.messageId);
    button.disabled = !on || state.labelling.has(id) || !select || !select.value;
    describedBy(button, "reply-offline-note", !on);
  }
  for (const button of dom.history.querySelectorAll("button.retry")) {
    button.disabled = !on;
  }
  for (const button of dom.customerBody.querySelectorAll("button.link-submit")) {
    button.disabled = !on || state.open === null;
    describedBy(button, "reply-offline-note", !on);
  }
}

// MARK: - Events

dom.signin.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = dom.token.value.trim();
  if (!token) {
    dom.signinError.textContent = t("signin.empty");
    dom.token.focus();
    return;
  }
  signIn(token);
});

dom.signout.addEventListener("click", signOut);

dom.reconnect.addEventListener("click", () => {
  const socket = state.socket;
  if (!socket) return;
  // An attempt under way (or a socket open, signing in) is not doubled.
  if (socket.socket && socket.socket.readyState === WebSocket.CONNECTING) return;
  socket.retryNow();
});

dom.errorDismiss.addEventListener("click", () => {
  hideError();
  if (!dom.console.hidden) dom.queueHeading.focus();
  else dom.token.focus();
});

dom.queueMore.addEventListener("click", () => {
  if (live()) state.socket.send({ type: "queue_more" });
});

dom.queue.addEventListener("click", (event) => {
  const button = event.target.closest("button.claim, button.open");
  if (!button || button.disabled) return;
  claim(Number(button.dataset.escalationId));
});

dom.history.addEventListener("click", (event) => {
  const label = event.target.closest("button.apply-label");
  if (label && !label.disabled) {
    applyLabel(label);
    return;
  }
  const retry = event.target.closest("button.retry");
  if (retry && !retry.disabled) retryReply(Number(retry.dataset.localId));
});

dom.history.addEventListener("scroll", () => {
  historyAtEnd = historyNearEnd();
}, { passive: true });

if (typeof ResizeObserver === "function") new ResizeObserver(() => keepHistoryAtEnd()).observe(dom.history);

dom.history.addEventListener("change", (event) => {
  if (event.target.matches("select.intent-select")) updateControls();
});

dom.customerBody.addEventListener("submit", (event) => {
  const form = event.target.closest("form.link-form");
  if (!form) return;
  event.preventDefault();
  linkCustomer(form);
});

dom.reply.addEventListener("submit", (event) => {
  event.preventDefault();
  sendReply();
});

dom.replyText.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || event.isComposing) return;
  event.preventDefault();
  sendReply();
});

dom.resolveBot.addEventListener("click", () => resolve(true));
dom.resolveClose.addEventListener("click", () => resolve(false));

window.addEventListener("offline", () => {
  if (state.socket && !live()) setConnection("offline", t("conn.offline"), { retry: true });
});

// MARK: - Start

applyStaticTexts();
setInterval(tickWaiting, 1000);

const storedToken = sessionStorage.getItem(TOKEN_KEY);
if (storedToken) {
  const storedOpen = Number(sessionStorage.getItem(OPEN_KEY));
  if (Number.isInteger(storedOpen) && storedOpen > 0) state.restoreId = storedOpen;
  state.token = storedToken;
  state.focusQueueOnReady = true;
  showConsole();
  renderQueue();
  connect();
} else {
  showSignin();
  setConnection("offline", t("conn.notSignedIn"), { idle: true });
}
