// The shop owner's dashboard (GET /admin): asks for the admin token (kept in sessionStorage, sent
// as a Bearer header, never in a URL), draws GET /api/analytics/summary as charts and lists
// GET /api/analytics/misunderstood with one-click teaching (POST …/{group}/accept). The routes
// are in docs/API.md; what the numbers mean in docs/ANALYTICS.md.

import { el } from "./agent-format.js";
import { AdminTexts, INTENTS, pickLanguage } from "./admin-i18n.js";
import { dayBars, horizontalBars, shareBar } from "./admin-charts.js";

const TOKEN_KEY = "orderbot.admin.token";
const TOP_INTENTS = 8;
const FUNNEL = ["started", "product_chosen", "delivery", "payment", "placed"];
const CHANNELS = ["messenger", "voice", "web"];

const texts = new AdminTexts(pickLanguage());
const t = (key, params) => texts.t(key, params);
const byId = (id) => document.getElementById(id);

const dom = {
  main: byId("main"),
  signout: byId("signout"),
  langSwitch: byId("lang-switch"),
  error: byId("error"),
  errorText: byId("error-text"),
  errorDismiss: byId("error-dismiss"),
  signinView: byId("signin-view"),
  signin: byId("signin"),
  token: byId("token"),
  signinError: byId("signin-error"),
  signinSubmit: byId("signin-submit"),
  dashboard: byId("dashboard"),
  periodHeading: byId("period-heading"),
  period: byId("period"),
  from: byId("from"),
  to: byId("to"),
  periodSubmit: byId("period-submit"),
  periodStatus: byId("period-status"),
  cards: byId("cards"),
  chartDays: byId("chart-days"),
  chartChannels: byId("chart-channels"),
  chartContainment: byId("chart-containment"),
  chartFunnel: byId("chart-funnel"),
  chartIntents: byId("chart-intents"),
  missesCounts: byId("misses-counts"),
  missesStatus: byId("misses-status"),
  missesList: byId("misses-list"),
  examplesDownload: byId("examples-download"),
};

/** A refusal of the token (401/403): the sign-in form comes back with `message`. */
class Refused extends Error {}

const state = {
  token: null,
  /** The period last asked for, `{from, to}` (empty: the server's default, the last 30 days). */
  period: {},
  loading: false,
};

// MARK: - Static texts

function applyStaticTexts() {
  document.documentElement.lang = texts.lang;
  document.title = t("page.title");
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-aria]")) node.setAttribute("aria-label", t(node.dataset.i18nAria));
  const other = texts.lang === "en" ? "pl" : "en";
  const params = new URLSearchParams(window.location.search);
  params.set("lang", other);
  dom.langSwitch.setAttribute("href", `?${params.toString()}`);
  dom.langSwitch.setAttribute("lang", other);
}

// MARK: - The API

/** `path` (relative to the page) with the token; JSON back, or `Refused`, or an Error in words. */
async function api(path, { method = "GET", body } = {}) {
  const headers = { Authorization: `Bearer ${state.token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  } catch (error) {
    throw new Error(t("error.network"));
  }
  if (response.status === 401) throw new Refused(t("signin.unauthorized"));
  if (response.status === 403) throw new Refused(t("signin.forbidden"));
  if (!response.ok) {
    let message = response.statusText;
    try {
      const problem = await response.json();
      message = (problem && problem.error && problem.error.message) || message;
    } catch (error) {
      // Not JSON: the status text says enough.
    }
    throw new Error(t("error.server", { status: response.status, message }));
  }
  return response;
}

async function apiJSON(path, options) {
  return (await api(path, options)).json();
}

function query(period) {
  const params = new URLSearchParams();
  if (period.from) params.set("from", period.from);
  if (period.to) params.set("to", period.to);
  const text = params.toString();
  return text ? `?${text}` : "";
}

// MARK: - Views

function showError(message) {
  dom.errorText.textContent = message;
  dom.error.hidden = false;
}

function hideError() {
  dom.error.hidden = true;
  dom.errorText.textContent = "";
}

function showSignin(message = "") {
  state.token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  dom.main.dataset.view = "signin";
  dom.dashboard.hidden = true;
  dom.signinView.hidden = false;
  dom.signout.hidden = true;
  dom.signinSubmit.disabled = false;
  dom.signinError.textContent = message;
  dom.token.value = "";
  dom.token.focus();
}

function showDashboard() {
  dom.main.dataset.view = "dashboard";
  dom.signinView.hidden = true;
  dom.dashboard.hidden = false;
  dom.signout.hidden = false;
}

/** Everything again for the period asked: the summary and the misses side by side. */
async function load({ focus = false } = {}) {
  if (state.loading) return;
  state.loading = true;
  dom.periodSubmit.disabled = true;
  dom.periodStatus.textContent = t("period.loading");
  try {
    const [summary] = await Promise.all([
      apiJSON(`api/analytics/summary${query(state.period)}`),
      loadMisses(),
    ]);
    hideError();
    showDashboard();
    renderSummary(summary);
    if (focus) dom.periodHeading.focus();
  } catch (error) {
    if (error instanceof Refused) showSignin(error.message);
    else {
      if (dom.dashboard.hidden) showDashboard();
      dom.periodStatus.textContent = "";
      showError(error.message);
    }
  } finally {
    state.loading = false;
    dom.periodSubmit.disabled = false;
    dom.signinSubmit.disabled = false;
  }
}

// MARK: - The summary

function renderSummary(summary) {
  dom.from.value = summary.from;
  dom.to.value = summary.to;
  dom.periodStatus.textContent = t("period.shown", { from: texts.day(summary.from, true), to: texts.day(summary.to, true) });
  renderCards(summary);
  renderDays(summary);
  renderChannels(summary);
  renderContainment(summary);
  renderFunnel(summary);
  renderIntents(summary);
}

function card(key, label, value, detail) {
  return el("li", { className: "card", dataset: { card: key } },
    el("p", { className: "card-label", text: label }),
    el("p", { className: "card-value", text: value }),
    detail ? el("p", { className: "card-detail muted small-text", text: detail }) : null);
}

function renderCards(summary) {
  const orders = summary.orders || {};
  const share = summary.conversations > 0 ? summary.contained / summary.conversations : 0;
  dom.cards.replaceChildren(
    card("conversations", t("card.conversations"), texts.number(summary.conversations)),
    card("customers", t("card.customers"), texts.number(summary.customers)),
    card("orders", t("card.orders"), texts.number(orders.count),
      t("card.ordersDetail", { value: texts.money(orders.value, orders.currency), cancelled: texts.number(orders.cancelled) })),
    card("contained", t("card.contained"), texts.percent(share),
      t("card.containedDetail", {
        contained: texts.number(summary.contained),
        conversations: texts.number(summary.conversations),
        handed: texts.number(summary.handed_over),
      })),
    card("misunderstood", t("card.misunderstood"), texts.number(summary.misunderstood_messages), t("card.misunderstoodDetail")),
  );
}

function chartBody(figure) {
  return figure.querySelector(".chart-body");
}

function renderDays(summary) {
  const days = (summary.by_day || []).map((day) => ({
    date: day.date, label: texts.day(day.date), a: day.conversations || 0, b: day.orders || 0,
  }));
  const conversations = days.reduce((sum, day) => sum + day.a, 0);
  const orders = days.reduce((sum, day) => sum + day.b, 0);
  const busiest = days.reduce((best, day) => (day.a > (best ? best.a : 0) ? day : best), null);
  const range = { from: texts.day(summary.from, true), to: texts.day(summary.to, true) };
  const label = busiest
    ? t("chart.days.label", {
      ...range, conversations: texts.number(conversations), orders: texts.number(orders),
      max: texts.number(busiest.a), day: texts.day(busiest.date, true),
    })
    : t("chart.days.empty", range);
  chartBody(dom.chartDays).replaceChildren(dayBars(days, {
    label, axis: (value) => texts.number(value), series: { a: { className: "conversations" }, b: { className: "orders" } },
  }));
}

/** Horizontal bars with their label listing every item and its number. */
function bars(figure, title, items, className) {
  const label = items.some((item) => item.value > 0)
    ? t("chart.bars.label", {
      title, items: items.map((item) => `${item.label} ${item.text}${item.note ? ` (${item.note})` : ""}`).join(", "),
    })
    : t("chart.bars.empty", { title });
  chartBody(figure).replaceChildren(horizontalBars(items, { label, className }));
}

function renderChannels(summary) {
  const channels = summary.by_channel || {};
  const items = CHANNELS.map((code) => {
    const value = (channels[code] && channels[code].conversations) || 0;
    return { key: code, label: texts.channel(code), value, text: texts.number(value) };
  });
  bars(dom.chartChannels, t("chart.channels"), items, "channels");
}

function renderContainment(summary) {
  const contained = summary.contained || 0;
  const handed = summary.handed_over || 0;
  const other = Math.max(0, (summary.conversations || 0) - contained - handed);
  const parts = [
    { key: "contained", value: contained, className: "contained", legend: "legend.contained" },
    { key: "handed_over", value: handed, className: "handed", legend: "legend.handed" },
    { key: "other", value: other, className: "other", legend: "legend.other" },
  ];
  const label = t("chart.containment.label", {
    contained: texts.number(contained), handed: texts.number(handed), other: texts.number(other),
    conversations: texts.number(summary.conversations),
  });
  chartBody(dom.chartContainment).replaceChildren(shareBar(parts, { label }));
  dom.chartContainment.querySelector(".legend").replaceChildren(...parts.map((part) =>
    el("li", {},
      el("span", { className: `swatch ${part.className}`, attrs: { "aria-hidden": "true" } }),
      el("span", { text: `${t(part.legend)}: ${texts.number(part.value)}` }))));
}

function renderFunnel(summary) {
  const funnel = summary.funnel || {};
  const items = FUNNEL.map((step, index) => {
    const value = funnel[step] || 0;
    const before = index > 0 ? funnel[FUNNEL[index - 1]] || 0 : 0;
    const drop = index > 0 && before > value ? texts.percent((before - value) / before) : "";
    const note = drop ? t("chart.drop", { percent: drop }) : "";
    return { key: step, label: t(`funnel.${step}`), value, text: texts.number(value), note, short: drop ? `−${drop}` : "" };
  });
  bars(dom.chartFunnel, t("chart.funnel"), items, "funnel");
}

function renderIntents(summary) {
  const items = Object.entries(summary.by_intent || {})
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_INTENTS)
    .map(([code, count]) => ({ key: code, label: texts.intent(code), value: count, text: texts.number(count) }));
  bars(dom.chartIntents, t("chart.intents"), items, "intents");
}

// MARK: - The misses

async function loadMisses() {
  const answer = await apiJSON(`api/analytics/misunderstood${query(state.period)}`);
  renderMisses(answer);
  return answer;
}

function renderMisses(answer) {
  const groups = answer.groups || [];
  dom.missesCounts.textContent = t("misses.counts", {
    groups: texts.number(answer.total_groups ?? groups.length), messages: texts.number(answer.total_messages ?? 0),
  });
  if (groups.length === 0) {
    dom.missesList.replaceChildren(el("li", { className: "placeholder", text: t("misses.empty") }));
    return;
  }
  dom.missesList.replaceChildren(...groups.map(missElement));
}

function intentCounts(counts) {
  return Object.entries(counts || {})
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => `${texts.intent(code)} (${texts.number(count)})`)
    .join(", ");
}

function missElement(group) {
  const examples = group.examples || [];
  const classified = intentCounts(group.classified_as);
  const labelled = intentCounts(group.labelled_as);
  const selectId = `intent-${group.id}`;
  const textId = `miss-text-${group.id}`;
  const select = el("select", { className: "intent-select", id: selectId, name: "intent", attrs: { "aria-describedby": textId } },
    el("option", { value: "", text: t("misses.choose") }),
    ...INTENTS.map((code) => el("option", { value: code, text: `${texts.intent(code)} (${code})` })));
  if (group.accepted_as) select.value = group.accepted_as;
  const button = el("button", { type: "submit", className: "button primary small teach", text: t("misses.teach") });
  const form = el("form", { className: "teach-form", attrs: { novalidate: true } },
    el("label", { attrs: { for: selectId }, className: "teach-label", text: t("misses.intentLabel") }),
    select, button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    teach(group, select, button);
  });
  return el("li", { className: "miss", dataset: { group: group.id } },
    el("p", { className: "miss-text", id: textId, lang: (group.languages && group.languages[0]) || "", text: `„${group.text}”` }),
    el("p", { className: "miss-meta muted small-text" },
      el("strong", { className: "miss-count", text: t("misses.count", { count: texts.number(group.count), messages: texts.plural("messages", group.count) }) }),
      classified ? ` · ${t("misses.classified", { intents: classified })}` : "",
      labelled ? ` · ${t("misses.labelled", { intents: labelled })}` : "",
      group.accepted_as ? ` · ${t("misses.accepted", { intent: texts.intent(group.accepted_as) })}` : ""),
    examples.length > 0
      ? el("details", { className: "miss-examples" },
        el("summary", { text: t("misses.examples", { count: texts.number(examples.length) }) }),
        el("ul", {}, ...examples.map((example) => el("li", { text: example.text }))))
      : null,
    form);
}

async function teach(group, select, button) {
  const intent = select.value;
  if (!intent) {
    dom.missesStatus.dataset.kind = "error";
    dom.missesStatus.textContent = t("misses.chooseFirst");
    select.focus();
    return;
  }
  button.disabled = true;
  button.textContent = t("misses.teaching");
  try {
    const answer = await apiJSON(`api/analytics/misunderstood/${encodeURIComponent(group.id)}/accept`, {
      method: "POST", body: { intent },
    });
    await loadMisses();
    dom.missesStatus.dataset.kind = "ok";
    dom.missesStatus.textContent = t("misses.taught", {
      added: texts.number(answer.added), examples: texts.plural("examples", answer.added), intent: texts.intent(answer.intent), text: group.text,
    });
    byId("misses-heading").focus();
  } catch (error) {
    if (error instanceof Refused) {
      showSignin(error.message);
      return;
    }
    dom.missesStatus.dataset.kind = "error";
    dom.missesStatus.textContent = error.message;
    if (button.isConnected) {
      button.disabled = false;
      button.textContent = t("misses.teach");
    }
  }
}

/** The taught examples as a file: fetched with the token, then saved through a blob link. */
async function downloadExamples() {
  try {
    const response = await api("api/analytics/examples");
    const blob = await response.blob();
    if (blob.size === 0) {
      dom.missesStatus.dataset.kind = "";
      dom.missesStatus.textContent = t("misses.downloadEmpty");
      return;
    }
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: "orderbot-examples.ndjson", hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (error) {
    if (error instanceof Refused) showSignin(error.message);
    else showError(error.message);
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
  dom.signinError.textContent = "";
  dom.signinSubmit.disabled = true;
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  load({ focus: true });
});

dom.period.addEventListener("submit", (event) => {
  event.preventDefault();
  const from = dom.from.value;
  const to = dom.to.value;
  if (!from || !to || to < from) {
    dom.periodStatus.textContent = t("period.invalid");
    (from ? dom.to : dom.from).focus();
    return;
  }
  state.period = { from, to };
  dom.missesStatus.textContent = "";
  load();
});

dom.signout.addEventListener("click", () => showSignin());
dom.errorDismiss.addEventListener("click", hideError);
dom.examplesDownload.addEventListener("click", downloadExamples);

applyStaticTexts();
state.token = sessionStorage.getItem(TOKEN_KEY);
if (state.token) load();
else showSignin();
