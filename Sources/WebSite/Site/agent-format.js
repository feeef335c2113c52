// Small formatting helpers of the agents' console: waiting times, dates, money, priority bands,
// and a tiny DOM builder (text only, never HTML).

/** "45 s", "3 min 12 s", "1 h 5 min". */
export function formatDuration(totalSeconds) {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${rest} s`;
  return `${rest} s`;
}

/** The band of a priority, as the metrics name it: high ≥ 70, medium ≥ 40, low. */
export function priorityBand(priority) {
  const value = Number(priority) || 0;
  if (value >= 70) return "high";
  if (value >= 40) return "medium";
  return "low";
}

const formatters = new Map();

/** One Intl.DateTimeFormat per locale and options (making one is slow). */
function dateFormat(locale, options) {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

function validDate(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A message time: the hour today, else the day and the hour. */
export function formatMessageTime(iso, locale) {
  const date = validDate(iso);
  if (!date) return "";
  const now = new Date();
  const today = date.toDateString() === now.toDateString();
  const options = today
    ? { hour: "2-digit", minute: "2-digit" }
    : { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
  if (date.getFullYear() !== now.getFullYear()) options.year = "numeric";
  return dateFormat(locale, options).format(date);
}

/** A date and time in full, for titles and records. */
export function formatDateTime(iso, locale) {
  const date = validDate(iso);
  if (!date) return "";
  return dateFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** A day, for records. */
export function formatDate(iso, locale) {
  const date = validDate(iso);
  if (!date) return "";
  return dateFormat(locale, { dateStyle: "medium" }).format(date);
}

/** `{amount: "71.97", currency: "PLN"}` as "71,97 zł". */
export function formatMoney(total, locale) {
  if (!total || total.amount === undefined || total.amount === null) return "";
  const amount = Number(total.amount);
  if (!Number.isFinite(amount)) return `${total.amount} ${total.currency || ""}`.trim();
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency: total.currency || "PLN" }).format(amount);
  } catch (error) {
    return `${total.amount} ${total.currency || ""}`.trim();
  }
}

/** A percentage of a confidence in 0…1. */
export function formatConfidence(confidence) {
  const value = Number(confidence);
  if (confidence === null || confidence === undefined || !Number.isFinite(value)) return "";
  return `${Math.round(value * 100)}%`;
}

/**
 * `el("span", {className: "x", dataset: {id: 1}, attrs: {"aria-label": "…"}}, "text", child)`.
 * Children are nodes or strings (set as text); null and false are skipped.
 */
export function el(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  const { className, dataset, attrs, text, ...properties } = options;
  if (className) node.className = className;
  if (dataset) for (const [key, value] of Object.entries(dataset)) node.dataset[key] = String(value);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === false || value === null || value === undefined) continue;
      node.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const [key, value] of Object.entries(properties)) node[key] = value;
  if (text !== undefined) node.textContent = String(text);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}
