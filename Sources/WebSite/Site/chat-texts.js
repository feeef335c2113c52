// The chat page's words in Polish and English. A shop with its own copy of the site folder
// (ORDERBOT_SITE_DIR) changes them here.

export const TEXTS = {
  pl: {
    title: "Czat ze sklepem",
    languageButton: "English",
    languageButtonLang: "en",
    reconnect: "Połącz teraz",
    conversation: "Rozmowa",
    hint: "Napisz, czego szukasz, np. „chcę zamówić buty do biegania” albo „gdzie jest moja paczka?”.",
    typing: "Bot pisze…",
    inputLabel: "Twoja wiadomość",
    inputHelp: "Enter wysyła, Shift+Enter zaczyna nowy wiersz.",
    send: "Wyślij",
    connecting: "Łączenie…",
    open: "Połączono",
    reconnecting: (seconds) => `Brak połączenia, ponawiam za ${seconds} s`,
    offline: "Brak internetu. Wiadomości wyślę, gdy wróci.",
    closed: "Rozłączono. Odśwież stronę.",
    waiting: "Łączę z konsultantem…",
    agentJoined: (agent) => (agent ? `Do rozmowy dołącza ${agent} z obsługi sklepu.` : "Do rozmowy dołącza osoba z obsługi sklepu."),
    returnedToBot: "Znowu rozmawiasz z botem.",
    bot: "Bot sklepu",
    agent: (agent) => (agent ? `${agent}, konsultant` : "Konsultant"),
    you: "Ty",
    pending: "wysyłanie…",
    waitingForConnection: "czeka na połączenie",
    quickReplies: "Szybkie odpowiedzi",
    failed: "Nie udało się obsłużyć wiadomości. Ponowię za chwilę.",
    retry: "Ponów teraz",
    refused: "Serwer nie przyjął wiadomości.",
    tooLong: (length) => `Wiadomość jest za długa (${length} znaków, najwięcej 4000).`,
  },
  en: {
    title: "Chat with the shop",
    languageButton: "Polski",
    languageButtonLang: "pl",
    reconnect: "Connect now",
    conversation: "Conversation",
    hint: "Tell us what you are looking for, e.g. “I want to order running shoes” or “where is my parcel?”.",
    typing: "The bot is typing…",
    inputLabel: "Your message",
    inputHelp: "Enter sends, Shift+Enter starts a new line.",
    send: "Send",
    connecting: "Connecting…",
    open: "Connected",
    reconnecting: (seconds) => `No connection, trying again in ${seconds} s`,
    offline: "You are offline. Messages will be sent when you are back.",
    closed: "Disconnected. Reload the page.",
    waiting: "Connecting you with a consultant…",
    agentJoined: (agent) => (agent ? `${agent}, a consultant, joined the conversation.` : "A consultant joined the conversation."),
    returnedToBot: "You are talking to the bot again.",
    bot: "Shop bot",
    agent: (agent) => (agent ? `${agent}, consultant` : "Consultant"),
    you: "You",
    pending: "sending…",
    waitingForConnection: "waiting for the connection",
    quickReplies: "Quick replies",
    failed: "Your message could not be handled. Trying again shortly.",
    retry: "Try again now",
    refused: "The server did not accept the message.",
    tooLong: (length) => `The message is too long (${length} characters, 4000 at most).`,
  },
};

/** The page's language: `?lang=`, then the visitor's earlier choice, then the browser's. */
export function initialLanguage(storedChoice) {
  const asked = new URLSearchParams(window.location.search).get("lang");
  if (asked === "pl" || asked === "en") return asked;
  if (storedChoice === "pl" || storedChoice === "en") return storedChoice;
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
  for (const tag of preferred) {
    const code = String(tag).toLowerCase();
    if (code.startsWith("pl")) return "pl";
    if (code.startsWith("en")) return "en";
  }
  return "pl";
}
