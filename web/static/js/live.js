// The live connection: an EventSource on /events that resumes from the
// last version seen. The browser's own reconnect is not trusted alone: an
// error closes the stream and a new one is opened with exponential backoff
// and since=<last version>, and a stream silent for longer than a few
// heartbeats is rebuilt the same way (a proxy or a suspended laptop can
// leave a connection open but dead).

export class Live {
  constructor(handlers) {
    this.h = handlers; // {version, status, reset, state}
    this.es = null;
    this.timer = null;
    this.watchdog = null;
    this.attempt = 0;
    this.heartbeatMs = 10000;
    this.lastSeen = 0;
    this.server = null;
    this.since = 0;
    this.state = 'idle';
  }

  start(server, since) {
    this.stop();
    this.server = server;
    this.since = since || 0;
    this.attempt = 0;
    this.connect();
    this.watchdog = setInterval(() => this.check(), 1000);
  }

  stop() {
    if (this.es) { this.es.close(); this.es = null; }
    clearTimeout(this.timer);
    clearInterval(this.watchdog);
    this.timer = this.watchdog = null;
    this.setState('idle');
  }

  setState(s) {
    if (s === this.state) return;
    this.state = s;
    this.h.state(s);
  }

  connect() {
    const q = new URLSearchParams({ server: this.server, since: String(this.since) });
    const es = new EventSource('events?' + q);
    this.es = es;
    this.lastSeen = Date.now();
    const seen = () => { this.lastSeen = Date.now(); };
    const parse = (e) => {
      seen();
      try { return JSON.parse(e.data); } catch (err) { return null; }
    };
    es.addEventListener('hello', (e) => {
      const d = parse(e);
      if (d && d.heartbeat_ms > 0) this.heartbeatMs = d.heartbeat_ms;
      this.attempt = 0;
      this.setState('live');
    });
    es.addEventListener('version', (e) => {
      const d = parse(e);
      if (!d) return;
      this.since = Math.max(this.since, Number(e.lastEventId) || d.version);
      this.h.version(d);
    });
    es.addEventListener('status', (e) => { const d = parse(e); if (d) this.h.status(d); });
    es.addEventListener('ping', (e) => { const d = parse(e); if (d) this.h.status(d); });
    es.addEventListener('reset', (e) => { const d = parse(e); if (d) this.h.reset(d); });
    es.onerror = () => {
      if (this.es !== es) return;
      this.retry();
    };
  }

  // retry closes the stream and opens a new one after a backoff of
  // 0.5 s, 1 s, 2 s … capped at 10 s, with jitter so many browsers do not
  // reconnect in step after a restart.
  retry() {
    if (this.es) { this.es.close(); this.es = null; }
    this.setState('reconnecting');
    clearTimeout(this.timer);
    const base = Math.min(10000, 500 * 2 ** this.attempt);
    this.attempt++;
    this.timer = setTimeout(() => this.connect(), base * (0.75 + Math.random() * 0.5));
  }

  check() {
    if (this.es && Date.now() - this.lastSeen > 2.5 * this.heartbeatMs) this.retry();
  }
}
