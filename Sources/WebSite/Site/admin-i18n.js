// The shop owner's dashboard texts in Polish (the default) and English. The words for channels
// and intents, the intent list and the language choice are the console's (agent-i18n.js).

export { INTENTS, pickLanguage } from "./agent-i18n.js";
import { Texts } from "./agent-i18n.js";

const pl = {
  "page.title": "Panel sklepu — OrderBot",
  "app.title": "OrderBot — panel właściciela sklepu",
  "lang.switch": "English",
  "lang.switch.label": "Switch to English",
  "signout": "Wyloguj",
  "error.dismiss": "Zamknij komunikat",
  "signin.heading": "Zaloguj się",
  "signin.intro": "Wpisz token administratora (ORDERBOT_ADMIN_TOKEN serwera). Zostaje tylko w tej karcie przeglądarki.",
  "signin.token": "Token administratora",
  "signin.submit": "Zaloguj",
  "signin.empty": "Wpisz token.",
  "signin.unauthorized": "Token odrzucony: jest błędny albo serwer nie ma ustawionego tokenu administratora. Sprawdź go i spróbuj ponownie.",
  "signin.forbidden": "Ten token nie daje dostępu do panelu: to token konsultanta, a panel wymaga tokenu administratora.",
  "period.heading": "Okres",
  "period.from": "Od",
  "period.to": "Do",
  "period.submit": "Pokaż",
  "period.loading": "Wczytywanie…",
  "period.shown": "Dane od {from} do {to} (dni w UTC).",
  "period.invalid": "Podaj obie daty; „do” nie może być wcześniej niż „od”.",
  "summary.heading": "Podsumowanie",
  "card.conversations": "Rozmowy",
  "card.customers": "Klienci",
  "card.orders": "Zamówienia",
  "card.ordersDetail": "za {value} · anulowane: {cancelled}",
  "card.contained": "Obsłużone przez bota",
  "card.containedDetail": "{contained} z {conversations} rozmów · przekazane: {handed}",
  "card.misunderstood": "Niezrozumiane wiadomości",
  "card.misunderstoodDetail": "do przejrzenia poniżej",
  "charts.heading": "Wykresy",
  "chart.days": "Rozmowy i zamówienia dziennie",
  "chart.days.label": "Wykres słupkowy rozmów i zamówień dziennie od {from} do {to}: razem {conversations} rozmów i {orders} zamówień; najwięcej rozmów {max} dnia {day}.",
  "chart.days.empty": "Wykres słupkowy rozmów i zamówień dziennie od {from} do {to}: brak rozmów i zamówień.",
  "chart.channels": "Kanały (rozmowy)",
  "chart.containment": "Kto zakończył rozmowy",
  "chart.containment.label": "Wykres udziału: {contained} rozmów zakończył bot, {handed} przekazano konsultantowi, {other} pozostałych, z {conversations} rozmów.",
  "chart.funnel": "Lejek zamówień",
  "chart.funnel.note": "Ile rozmów doszło do każdego kroku i ile odpadło po drodze.",
  "chart.intents": "Najczęstsze intencje",
  "chart.bars.label": "{title}, wykres słupkowy: {items}.",
  "chart.bars.empty": "{title}: brak danych w tym okresie.",
  "chart.drop": "−{percent} od poprzedniego kroku",
  "legend.conversations": "rozmowy",
  "legend.orders": "zamówienia",
  "legend.contained": "zakończone przez bota",
  "legend.handed": "przekazane konsultantowi",
  "legend.other": "pozostałe (porzucone lub trwające)",
  "funnel.started": "rozpoczęte",
  "funnel.product_chosen": "wybrany produkt",
  "funnel.delivery": "dostawa",
  "funnel.payment": "płatność",
  "funnel.placed": "złożone",
  "intent.unknown": "bez intencji",
  "misses.heading": "Czego bot nie zrozumiał",
  "misses.intro": "Podobne wiadomości są zgrupowane. Wybierz intencję i kliknij „Naucz”: bot nauczy się ich od razu.",
  "misses.loading": "Wczytywanie…",
  "misses.empty": "Nie ma niezrozumianych wiadomości w tym okresie.",
  "misses.counts": "Grupy: {groups} · wiadomości: {messages}",
  "misses.count": "{count} {messages}",
  "messages.one": "wiadomość",
  "messages.few": "wiadomości",
  "messages.many": "wiadomości",
  "misses.classified": "Klasyfikator: {intents}",
  "misses.labelled": "Konsultanci: {intents}",
  "misses.accepted": "Wcześniej nauczone jako: {intent}",
  "misses.examples": "Przykłady ({count})",
  "misses.intentLabel": "Naucz jako",
  "misses.choose": "— wybierz intencję —",
  "misses.teach": "Naucz",
  "misses.teaching": "Uczenie…",
  "misses.chooseFirst": "Najpierw wybierz intencję.",
  "misses.taught": "Nauczono {added} {examples} jako „{intent}” (grupa „{text}”).",
  "examples.one": "przykład",
  "examples.few": "przykłady",
  "examples.many": "przykładów",
  "misses.download": "Pobierz nauczone przykłady (.ndjson)",
  "misses.downloadEmpty": "Nie ma jeszcze nauczonych przykładów.",
  "error.network": "Nie udało się połączyć z serwerem. Spróbuj ponownie.",
  "error.server": "Serwer odrzucił żądanie ({status}): {message}",
};

const en = {
  "page.title": "Shop dashboard — OrderBot",
  "app.title": "OrderBot — the shop owner's dashboard",
  "lang.switch": "Polski",
  "lang.switch.label": "Przełącz na polski",
  "signout": "Sign out",
  "error.dismiss": "Dismiss message",
  "signin.heading": "Sign in",
  "signin.intro": "Enter the admin token (the server's ORDERBOT_ADMIN_TOKEN). It is kept in this browser tab only.",
  "signin.token": "Admin token",
  "signin.submit": "Sign in",
  "signin.empty": "Enter the token.",
  "signin.unauthorized": "Token refused: it is wrong or the server has no admin token set. Check it and try again.",
  "signin.forbidden": "This token does not open the dashboard: it is an agent's token, and the dashboard needs the admin token.",
  "period.heading": "Period",
  "period.from": "From",
  "period.to": "To",
  "period.submit": "Show",
  "period.loading": "Loading…",
  "period.shown": "From {from} to {to} (days in UTC).",
  "period.invalid": "Give both dates; “to” cannot be before “from”.",
  "summary.heading": "Summary",
  "card.conversations": "Conversations",
  "card.customers": "Customers",
  "card.orders": "Orders",
  "card.ordersDetail": "worth {value} · cancelled: {cancelled}",
  "card.contained": "Handled by the bot",
  "card.containedDetail": "{contained} of {conversations} conversations · handed over: {handed}",
  "card.misunderstood": "Misunderstood messages",
  "card.misunderstoodDetail": "to review below",
  "charts.heading": "Charts",
  "chart.days": "Conversations and orders by day",
  "chart.days.label": "Bar chart of conversations and orders by day from {from} to {to}: {conversations} conversations and {orders} orders in all; most conversations {max} on {day}.",
  "chart.days.empty": "Bar chart of conversations and orders by day from {from} to {to}: no conversations or orders.",
  "chart.channels": "Channels (conversations)",
  "chart.containment": "Who finished the conversations",
  "chart.containment.label": "Share chart: the bot finished {contained} conversations, {handed} were handed over to an agent, {other} other, of {conversations} conversations.",
  "chart.funnel": "Order funnel",
  "chart.funnel.note": "How many conversations reached each step, and how many dropped on the way.",
  "chart.intents": "Top intents",
  "chart.bars.label": "{title}, bar chart: {items}.",
  "chart.bars.empty": "{title}: no data in this period.",
  "chart.drop": "−{percent} from the step before",
  "legend.conversations": "conversations",
  "legend.orders": "orders",
  "legend.contained": "finished by the bot",
  "legend.handed": "handed over to an agent",
  "legend.other": "other (abandoned or ongoing)",
  "funnel.started": "started",
  "funnel.product_chosen": "product chosen",
  "funnel.delivery": "delivery",
  "funnel.payment": "payment",
  "funnel.placed": "placed",
  "intent.unknown": "no intent",
  "misses.heading": "What the bot did not understand",
  "misses.intro": "Similar messages are grouped. Choose an intent and click “Teach”: the bot learns them at once.",
  "misses.loading": "Loading…",
  "misses.empty": "No misunderstood messages in this period.",
  "misses.counts": "Groups: {groups} · messages: {messages}",
  "misses.count": "{count} {messages}",
  "messages.one": "message",
  "messages.other": "messages",
  "misses.classified": "Classifier: {intents}",
  "misses.labelled": "Agents: {intents}",
  "misses.accepted": "Taught earlier as: {intent}",
  "misses.examples": "Examples ({count})",
  "misses.intentLabel": "Teach as",
  "misses.choose": "— choose an intent —",
  "misses.teach": "Teach",
  "misses.teaching": "Teaching…",
  "misses.chooseFirst": "Choose an intent first.",
  "misses.taught": "Taught {added} {examples} as “{intent}” (group “{text}”).",
  "examples.one": "example",
  "examples.other": "examples",
  "misses.download": "Download the taught examples (.ndjson)",
  "misses.downloadEmpty": "No examples taught yet.",
  "error.network": "Could not reach the server. Try again.",
  "error.server": "The server refused the request ({status}): {message}",
};

/** The dashboard's texts of one language, with the console's words for channels and intents. */
export class AdminTexts {
  constructor(lang) {
    this.lang = lang;
    this.locale = lang === "en" ? "en-GB" : "pl-PL";
    this.strings = lang === "en" ? en : pl;
    this.words = new Texts(lang);
    this.numbers = new Intl.NumberFormat(this.locale);
    this.pluralRules = new Intl.PluralRules(this.locale);
    this.percents = new Intl.NumberFormat(this.locale, { style: "percent", maximumFractionDigits: 0 });
    this.days = new Intl.DateTimeFormat(this.locale, { day: "numeric", month: "short", timeZone: "UTC" });
    this.longDays = new Intl.DateTimeFormat(this.locale, { dateStyle: "medium", timeZone: "UTC" });
  }

  /** The text of `key` with `{name}` placeholders filled from `params`. */
  t(key, params = {}) {
    const template = this.strings[key] ?? pl[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  }

  /** The word of `key` for `count` things: `key.one`, `key.few`, `key.many` or `key.other`. */
  plural(key, count) {
    const form = this.pluralRules.select(Number(count) || 0);
    return this.strings[`${key}.${form}`] ?? this.strings[`${key}.other`] ?? this.strings[`${key}.many`] ?? key;
  }

  /** A count, "1 234" or "1,234". */
  number(value) {
    return this.numbers.format(Number(value) || 0);
  }

  /** A share in 0…1 as "42%". */
  percent(share) {
    return this.percents.format(Number.isFinite(share) ? share : 0);
  }

  /** A decimal amount ("71.97") in a currency, as "71,97 zł" or "PLN 71.97". */
  money(value, currency) {
    const amount = Number(value);
    if (!Number.isFinite(amount)) return `${value} ${currency || ""}`.trim();
    try {
      return new Intl.NumberFormat(this.locale, { style: "currency", currency: currency || "PLN" }).format(amount);
    } catch (error) {
      return `${value} ${currency || ""}`.trim();
    }
  }

  /** A day "2026-12-07" (UTC), short ("7 gru") or long ("7 gru 2026"). */
  day(text, long = false) {
    const date = new Date(`${text}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return String(text);
    return (long ? this.longDays : this.days).format(date);
  }

  /** A channel in words. */
  channel(code) {
    return this.words.word("channel", code);
  }

  /** An intent in words; "none"/"unknown" (no intent) has its own. */
  intent(code) {
    if (code === "none" || code === "unknown" || code === null || code === undefined) return this.t("intent.unknown");
    return this.words.word("intent", code);
  }
}
