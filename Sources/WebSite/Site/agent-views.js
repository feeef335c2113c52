// The pieces of the agents' console built from server data: queue items, history messages and
// the customer record. Text only (textContent); the controller in agent.js wires the events.

import { INTENTS } from "./agent-i18n.js";
import {
  el,
  formatConfidence,
  formatDate,
  formatDateTime,
  formatDuration,
  formatMessageTime,
  formatMoney,
  priorityBand,
} from "./agent-format.js";

/** The customer's name, or "Customer #id". */
export function customerName(texts, name, id) {
  return name && String(name).trim() ? String(name) : texts.t("queue.unknownCustomer", { id: id ?? "?" });
}

/**
 * One `li.queue-item`. `ctx`: `texts`, `me` (my name), `unread`, `current` (the open one),
 * `claiming`, `waiting` (seconds now).
 */
export function queueItemElement(item, ctx) {
  const { texts } = ctx;
  const id = item.escalation_id;
  const band = priorityBand(item.priority);
  const mine = item.status === "assigned" && item.agent === ctx.me;
  const nameId = `queue-name-${id}`;
  const li = el("li", {
    className: `queue-item band-${band}${ctx.unread ? " unread" : ""}`,
    dataset: {
      escalationId: id,
      conversationId: item.conversation_id,
      status: item.status,
      channel: item.channel,
      reason: item.reason,
      priority: item.priority,
      band,
    },
    attrs: {
      "aria-current": ctx.current ? "true" : null,
      "data-agent": item.agent || null,
      "data-unread": ctx.unread ? "true" : null,
    },
  });

  const nameLine = el("div", { className: "queue-line" },
    el("h3", { className: "queue-name", id: nameId, text: customerName(texts, item.customer_name, item.customer_id) }),
    el("span", { className: `badge channel channel-${item.channel}`, text: texts.word("channel", item.channel) }),
    ctx.unread ? el("span", { className: "badge unread", text: texts.t("queue.unread") }) : null,
    ctx.current ? el("span", { className: "badge mine", text: texts.t("queue.openNow") }) : null,
  );
  li.append(nameLine);

  li.append(el("div", { className: "queue-line" },
    el("span", {
      className: `badge priority band-${band}`,
      dataset: { priority: item.priority, band },
      text: texts.t("queue.priority", { p: item.priority, band: texts.t(`band.${band}`) }),
    }),
    el("span", { className: "reason", dataset: { reason: item.reason }, text: texts.t("queue.reason", { reason: texts.word("reason", item.reason) }) }),
  ));

  if (item.summary) li.append(el("p", { className: "queue-summary summary", text: item.summary }));

  const actions = el("div", { className: "queue-actions" });
  const waiting = el("span", {
    className: "waiting",
    dataset: { escalationId: id },
    text: texts.t("queue.waiting", { t: formatDuration(ctx.waiting) }),
  });
  actions.append(waiting);

  if (item.status === "assigned") {
    actions.append(el("span", {
      className: mine ? "badge agent mine" : "badge agent",
      text: mine ? texts.t("queue.mine", { agent: item.agent }) : texts.t("queue.assignedTo", { agent: item.agent || "?" }),
    }));
  }
  if (item.status === "open") {
    actions.append(el("button", {
      type: "button",
      className: "button small primary claim",
      dataset: { escalationId: id },
      attrs: { "aria-describedby": nameId },
      text: ctx.claiming ? texts.t("queue.claiming") : texts.t("queue.claim"),
    }));
  } else if (mine) {
    actions.append(el("button", {
      type: "button",
      className: "button small open",
      dataset: { escalationId: id },
      attrs: { "aria-describedby": nameId },
      text: ctx.claiming ? texts.t("queue.claiming") : texts.t("queue.open"),
    }));
  }
  li.append(actions);
  return li;
}

function intentWord(texts, intent) {
  if (!intent) return texts.t("msg.intentNone");
  return texts.word("intent", intent);
}

/** Fills the "Intent: …" part of a customer message. */
export function setIntent(messageNode, texts, intent, confidence) {
  const current = messageNode.querySelector(".intent-current");
  if (!current) return;
  messageNode.dataset.intent = intent || "";
  const strong = el("strong", { className: "intent-name", text: intentWord(texts, intent) });
  if (intent) strong.title = intent;
  const parts = [texts.t("msg.intent"), " ", strong];
  const percent = formatConfidence(confidence);
  if (percent) parts.push(" ", el("span", { className: "confidence", text: `(${percent})` }));
  current.replaceChildren(...parts);
  const select = messageNode.querySelector("select.intent-select");
  if (select) {
    const empty = select.querySelector('option[value=""]');
    if (intent && empty) empty.remove();
    if (intent) select.value = intent;
  }
}

const selectPrototypes = new Map();

/** A new `select.intent-select` with every intent (cloned: a long history has hundreds). */
function intentSelect(texts) {
  let prototype = selectPrototypes.get(texts.lang);
  if (!prototype) {
    prototype = el("select", { className: "intent-select" });
    for (const intent of INTENTS) {
      prototype.append(el("option", { value: intent, text: `${texts.word("intent", intent)} (${intent})` }));
    }
    selectPrototypes.set(texts.lang, prototype);
  }
  return prototype.cloneNode(true);
}

/**
 * One `.message` of the history. `m`: `message_id` (absent while pending), `conversation_id`,
 * `channel`, `author`, `text`, `intent`, `confidence`, `created_at`. `ctx`: `texts`,
 * `openConversationId`, `agentName`.
 */
export function messageElement(m, ctx) {
  const { texts } = ctx;
  const author = ["customer", "bot", "agent"].includes(m.author) ? m.author : "bot";
  const other = ctx.openConversationId !== null && m.conversation_id !== ctx.openConversationId;
  const node = el("div", {
    className: `message ${author}${other ? " other-conversation" : ""}`,
    dataset: { conversationId: m.conversation_id, author, channel: m.channel || "" },
  });
  if (m.message_id !== undefined && m.message_id !== null) node.dataset.messageId = m.message_id;

  let authorText = texts.t(`msg.${author}`);
  if (author === "agent" && m.agent) authorText = texts.t("msg.agentNamed", { name: m.agent });
  const meta = el("div", { className: "message-meta" },
    el("span", { className: "author", text: authorText }),
    el("span", { className: `badge channel channel-${m.channel}`, text: texts.word("channel", m.channel) }),
    other ? el("span", { className: "badge other", text: texts.t("msg.otherConversation", { c: m.conversation_id }) }) : null,
  );
  if (m.created_at) {
    meta.append(el("time", {
      attrs: { datetime: m.created_at, title: formatDateTime(m.created_at, texts.locale) },
      text: formatMessageTime(m.created_at, texts.locale),
    }));
  }
  node.append(meta, el("p", { className: "text", text: m.text ?? "" }));

  if (author === "customer" && m.message_id) {
    const selectId = `intent-${m.message_id}`;
    const select = intentSelect(texts);
    select.id = selectId;
    select.dataset.messageId = String(m.message_id);
    if (m.intent && !INTENTS.includes(m.intent)) {
      select.prepend(el("option", { value: m.intent, text: `${texts.word("intent", m.intent)} (${m.intent})` }));
    }
    if (!m.intent) select.prepend(el("option", { value: "", text: texts.t("msg.choose") }));
    select.value = m.intent || "";
    const row = el("div", { className: "intent-row" },
      el("span", { className: "intent-current" }),
      el("label", { attrs: { for: selectId }, text: texts.t("msg.correct") }),
      select,
      el("button", {
        type: "button",
        className: "button small apply-label",
        dataset: { messageId: m.message_id },
        text: texts.t("msg.apply"),
      }),
      el("span", { className: "label-status", attrs: { "aria-live": "polite" } }),
    );
    node.append(row);
    setIntent(node, texts, m.intent, m.confidence);
  }
  return node;
}

/** The divider shown where the history moves to another conversation. */
export function dividerElement(texts, conversationId, channel, isOpen) {
  const key = isOpen ? "conv.dividerOpen" : "conv.divider";
  return el("div", {
    className: "history-divider",
    dataset: { conversationId },
    text: texts.t(key, { channel: texts.word("channel", channel), c: conversationId }),
  });
}

function listOrNone(texts, items, build) {
  if (!items || items.length === 0) return el("p", { className: "muted", text: texts.t("customer.none") });
  const list = el("ul", { className: "record-list" });
  for (const item of items) list.append(build(item));
  return list;
}

/** The customer record of the aside. `escalationId`, `conversationId`: the open ones. */
export function customerRecordElements(customer, ctx) {
  const { texts } = ctx;
  const locale = texts.locale;
  const unknown = texts.t("customer.unknown");
  const facts = el("dl", { className: "facts" });
  const fact = (key, value) => facts.append(el("dt", { text: texts.t(key) }), el("dd", { text: value || unknown }));
  fact("customer.name", customer.name);
  fact("customer.phone", customer.phone);
  fact("customer.email", customer.email);
  fact("customer.language", customer.language ? texts.t(`lang.${customer.language}`) : "");
  fact("customer.since", formatDate(customer.created_at, locale));
  fact("customer.id", customer.id !== undefined ? String(customer.id) : "");

  const identities = listOrNone(texts, customer.identities, (identity) => el("li", { className: "identity" },
    el("span", { className: "record-main", text: texts.word("identity", identity.channel) }),
    el("span", { className: "record-value", text: identity.external_id }),
    el("span", { className: `badge trust trust-${identity.trust || "platform"}`, text: texts.word("trust", identity.trust || "platform") }),
    el("span", { className: "record-sub", text: formatDate(identity.linked_at, locale) }),
  ));

  const orders = listOrNone(texts, customer.orders, (order) => el("li", { className: "order", dataset: { number: order.number } },
    el("span", { className: "record-main", text: texts.t("customer.order", { n: order.number }) }),
    el("span", { className: `badge order-status status-${order.status}`, text: texts.word("order", order.status) }),
    el("span", { className: "record-value", text: formatMoney(order.total, locale) }),
    el("span", { className: "record-sub", text: formatDate(order.created_at, locale) }),
    ...orderDetails(texts, order, locale),
  ));

  const escalations = [...(customer.escalations || [])].sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  const escalationList = listOrNone(texts, escalations, (escalation) => {
    const current = escalation.id === ctx.escalationId;
    const status = escalation.status === "resolved" && escalation.resolution
      ? texts.word("resolution", escalation.resolution)
      : texts.word("escalation", escalation.status);
    return el("li", { className: "escalation", dataset: { escalationId: escalation.id } },
      el("span", { className: "record-main", text: texts.word("reason", escalation.reason) }),
      el("span", { className: "badge", text: status }),
      current ? el("span", { className: "badge mine", text: texts.t("customer.current") }) : null,
      el("span", { className: "record-sub", text: `${formatDateTime(escalation.created_at, locale)} · ${texts.t("customer.escalationLine", { p: escalation.priority })}${escalation.agent ? ` · ${escalation.agent}` : ""}` }),
      escalation.summary ? el("span", { className: "record-detail", text: escalation.summary }) : null,
    );
  });

  const conversations = listOrNone(texts, customer.conversations, (conversation) => el("li", { className: "conversation-summary" },
    el("span", { className: `badge channel channel-${conversation.channel}`, text: texts.word("channel", conversation.channel) }),
    el("span", { className: "record-main", text: `#${conversation.id}` }),
    conversation.id === ctx.conversationId ? el("span", { className: "badge mine", text: texts.t("customer.current") }) : null,
    el("span", { className: "record-sub", text: `${formatDateTime(conversation.created_at, locale)} · ${texts.word("mode", conversation.mode)} · ${texts.t("customer.messages", { n: conversation.message_count ?? 0 })}` }),
  ));

  return [
    facts,
    el("h3", { text: texts.t("customer.identities") }), identities,
    el("h3", { text: texts.t("customer.orders") }), orders,
    el("h3", { text: texts.t("customer.escalations") }), escalationList,
    el("h3", { text: texts.t("customer.conversations") }), conversations,
    linkFormElement(texts),
  ];
}

/** An order's payment, parcel and status history, a line each (what "where is it?" needs). */
function orderDetails(texts, order, locale) {
  const details = [];
  if (order.payment_method) {
    details.push(el("span", {
      className: "record-detail order-payment",
      text: texts.t("customer.orderPayment", {
        method: texts.word("paymentMethod", order.payment_method), status: texts.word("payment", order.payment_status),
      }),
    }));
  }
  const tracking = order.tracking;
  if (tracking) {
    const label = [tracking.carrier, tracking.number].filter(Boolean).join(" ");
    const parcel = el("span", { className: "record-detail order-tracking", text: texts.t("customer.orderTracking", { tracking: label }) });
    if (tracking.url && /^https?:\/\//i.test(tracking.url)) {
      parcel.append(" ", el("a", { text: tracking.url, attrs: { href: tracking.url, target: "_blank", rel: "noopener noreferrer" } }));
    }
    details.push(parcel);
  }
  const history = (order.status_history || [])
    .map((change) => `${texts.word("order", change.status)} ${formatDateTime(change.at, locale)}`)
    .join(" → ");
  if (history) details.push(el("span", { className: "record-detail order-history", text: texts.t("customer.orderHistory", { history }) }));
  return details;
}

/** The form that links the open conversation's customer with another record on purpose. */
function linkFormElement(texts) {
  const inputId = "link-customer-id";
  return el("form", { className: "link-form", attrs: { "aria-labelledby": "link-heading", novalidate: true } },
    el("h3", { attrs: { id: "link-heading" }, text: texts.t("link.heading") }),
    el("p", { className: "muted", attrs: { id: "link-help" }, text: texts.t("link.help") }),
    el("label", { attrs: { for: inputId }, text: texts.t("link.label") }),
    el("input", {
      className: "link-customer-id",
      attrs: { id: inputId, type: "text", inputmode: "numeric", pattern: "[0-9]*", autocomplete: "off", "aria-describedby": "link-help" },
    }),
    el("button", { className: "button small link-submit", attrs: { type: "submit" }, text: texts.t("link.submit") }),
    el("span", { className: "link-status", attrs: { "aria-live": "polite" } }),
  );
}
