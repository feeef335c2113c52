// A WebSocket to the gateway that comes back after it drops. Used by the chat page and the
// agent console. The URL is relative to the page, so both keep working behind a path prefix.

/** The ws:// or wss:// URL of `path` (no leading slash), relative to the page. */
export function socketURL(path) {
  const url = new URL(path, document.baseURI);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.hash = "";
  url.search = "";
  return url.href;
}

/**
 * One logical connection: opens a socket, parses each text frame as JSON, and after a drop opens
 * a new one with growing pauses (0.5 s doubling to 15 s, with jitter), or at once when the
 * browser comes back online.
 *
 * Callbacks (all optional):
 * - `onOpen()`: a socket is open; send the first frame (hello, auth) here.
 * - `onFrame(frame)`: a parsed server frame.
 * - `onState(state, detail)`: `"connecting"`, `"open"`, `"reconnecting"` (detail: seconds until
 *   the next try) or `"closed"` (detail: the close code; no more tries).
 * - `shouldRetry(code)`: return false to stop after a close with this code (default: retry,
 *   except 4401, which means the credentials were refused, and 4403, an account disabled).
 */
export class ReconnectingSocket {
  constructor(path, callbacks = {}) {
    this.url = socketURL(path);
    this.callbacks = callbacks;
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
    this.stopped = false;
    this.onlineListener = () => this.retryNow();
    window.addEventListener("online", this.onlineListener);
  }

  /** Opens the first socket. */
  start() {
    this.stopped = false;
    this.open();
  }

  /** Sends one frame; false when no socket is open (the caller keeps it to send later). */
  send(frame) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** True while a socket is open. */
  get isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Closes for good: no more tries. */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    window.removeEventListener("online", this.onlineListener);
    if (this.socket) this.socket.close(1000);
    this.socket = null;
  }

  /** Skips the pause and tries again now (the "reconnect" button, or the browser going online). */
  retryNow() {
    if (this.stopped || this.isOpen) return;
    clearTimeout(this.timer);
    this.open();
  }

  open() {
    this.emit("onState", "connecting");
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch (error) {
      this.scheduleRetry(0);
      return;
    }
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      this.emit("onState", "open");
      this.emit("onOpen");
    });
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (frame && typeof frame === "object") this.emit("onFrame", frame);
    });
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      const retry = this.callbacks.shouldRetry ? this.callbacks.shouldRetry(event.code) : event.code !== 4401 && event.code !== 4403;
      if (!retry) {
        this.stopped = true;
        this.emit("onState", "closed", event.code);
        return;
      }
      this.scheduleRetry(event.code);
    });
  }

  scheduleRetry() {
    const base = Math.min(15, 0.5 * 2 ** this.attempt);
    const delay = base * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    this.emit("onState", "reconnecting", Math.ceil(delay));
    this.timer = setTimeout(() => this.open(), delay * 1000);
  }

  emit(name, ...values) {
    const callback = this.callbacks[name];
    if (callback) callback(...values);
  }
}
