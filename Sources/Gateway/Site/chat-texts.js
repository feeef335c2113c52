// The chat page's words in Polish and English.

export const TEXTS = {
  pl: {
    title: "Czat ze sklepem",
    languageButton: "EN",
    languageButtonLabel: "English version",
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
    reconnecting: (seconds) => `Brak połączenia. Ponawiam za ${seconds} s…`,
    offline: "Brak połączenia z internetem. Wiadomości wyślę, gdy wróci.",
    closed: "Rozłączono. Odśwież stronę.",
    waiting: "Łączę z konsultantem…",
    agentJoined: (agent) => (agent ? `Konsultant ${agent} dołączył do rozmowy.` : "Konsultant dołączył do rozmowy."),
    returnedToBot: "Znowu rozmawiasz z botem.",
    bot: "Bot",
    agent: (agent) => (agent ? `${agent}, konsultant` : "Konsultant"),
    you: "Ty",
    pending: "wysyłanie…",
    quickReplies: "Szybkie odpowiedzi",
    failed: "Nie udało się obsłużyć wiadomości. Spróbuję ponownie za chwilę.",
    tooLong: "Wiadomość jest za długa (najwięcej 4000 znaków).",
  },
  en: {
    title: "Chat with the shop",
    languageButton: "PL",
    languageButtonLabel: "Wersja polska",
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
    reconnecting: (seconds) => `No connection. Trying again in ${seconds} s…`,
    offline: "You are offline. Messages will be sent when you are back.",
    closed: "Disconnected. Reload the page.",
    waiting: "Connecting you with a consultant…",
    agentJoined: (agent) => (agent ? `${agent}, a consultant, joined the conversation.` : "A consultant joined the conversation."),
    returnedToBot: "You are talking to the bot again.",
    bot: "Bot",
    agent: (agent) => (agent ? `${agent}, consultant` : "Consultant"),
    you: "You",
    pending: "sending…",
    quickReplies: "Quick replies",
    failed: "Your message could not be handled. Trying again shortly.",
    tooLong: "The message is too long (4000 characters at most).",
  },
};

/** The page's language: `?lang=`, then the visitor's earlier choice, then the browser's. */
export function initialLanguage(storedChoice) {
  const asked = new URLSearchParams(window.location.search).get("lang");
  if (asked === "pl" || asked === "en") return asked;
  if (storedChoice === "pl" || storedChoice === "en") return storedChoice;
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "pl";
  return preferred.toLowerCase().startsWith("en") ? "en" : "pl";
}
