// The player's WebSocket (docs/protocol.md): the token as access_token, reconnect with backoff
// after a drop (not after 4000 replaced or 4001 session ended), and the clock offset estimated
// from ping/pong pairs: offset = serverTime - (sentAt + receivedAt) / 2, from the fastest pair.
import { accessToken, session } from "./api.js";

const PING_EVERY_MS = 15_000;
const MAX_BACKOFF_MS = 8_000;

export class Connection {
  constructor({ onFrame, onStatus }) {
    this.onFrame = onFrame;
    this.onStatus = onStatus;
    this.ws = null;
    this.attempt = 0;
    this.failures = 0;
    this.stopped = true;
    this.offset = 0;
    this.bestRtt = Infinity;
    this.retryTimer = null;
    this.pingTimer = null;
    this.lastError = null;
    addEventListener("offline", () => this.drop());
    addEventListener("online", () => this.reconnectNow());
  }

  /** Server time now, on this machine's clock corrected by the measured offset. */
  serverNow() {
    return Date.now() + this.offset;
  }

  start() {
    this.stopped = false;
    this.attempt = 0;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.detach(1000);
  }

  send(frame) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  async open() {
    if (this.stopped) return;
    let token;
    try {
      token = await accessToken(this.failures >= 2);
    } catch {
      if (!session()) return; // the session has ended: api.js has signed out
      return this.retry(); // offline, or the server could not refresh just now
    }
    if (this.stopped) return;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}/ws?access_token=${encodeURIComponent(token)}`);
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.failures = 0;
      this.onStatus("online");
      for (let i = 0; i < 3; i++) setTimeout(() => this.ping(), i * 300);
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.ping(), PING_EVERY_MS);
    };
    ws.onmessage = (e) => this.receive(e.data);
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      clearInterval(this.pingTimer);
      if (!opened) this.failures++;
      if (e.code === 4000) return this.onStatus("replaced", this.lastError);
      if (e.code === 4001) return this.onStatus("ended", this.lastError);
      this.retry();
    };
  }

  ping() {
    this.send({ type: "ping", clientTime: Date.now() });
  }

  receive(data) {
    const frame = JSON.parse(data);
    if (frame.type === "pong") {
      const now = Date.now();
      const rtt = now - frame.clientTime;
      // The fastest round trip bounds the error best; an old sample ages out slowly.
      if (rtt <= this.bestRtt * 1.5 || rtt < 50) {
        this.bestRtt = Math.min(this.bestRtt, rtt);
        this.offset = frame.serverTime - (frame.clientTime + now) / 2;
      }
      return;
    }
    if (frame.type === "error" && (frame.code === "SESSION_REPLACED" || frame.code === "SESSION_REVOKED"
        || frame.code === "ACCOUNT_DISABLED")) {
      this.lastError = frame.code;
    }
    if (frame.type === "reconnect") return; // close 1012 follows; reconnecting at once is right
    this.onFrame(frame);
  }

  /** Gives up the current socket at once (the browser went offline) and tries again later. */
  drop() {
    if (this.stopped || !this.ws) return;
    this.detach(1000);
    this.retry();
  }

  detach(code) {
    const ws = this.ws;
    this.ws = null;
    clearInterval(this.pingTimer);
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      try { ws.close(code); } catch { /* already closed */ }
    }
  }

  retry() {
    if (this.stopped) return;
    this.onStatus("offline");
    clearTimeout(this.retryTimer);
    const delay = this.attempt === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt++;
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  reconnectNow() {
    if (this.stopped || (this.ws && this.ws.readyState === WebSocket.OPEN)) return;
    // An attempt started while offline would only fail and wait out its backoff: start afresh.
    this.detach(1000);
    this.attempt = 0;
    clearTimeout(this.retryTimer);
    this.open();
  }
}
