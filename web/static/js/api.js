// Fetching the read-only JSON API. Errors carry the server's short reason.

export class APIError extends Error {
  constructor(status, reason) {
    super(reason);
    this.status = status;
  }
}

export async function getJSON(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v != null && v !== '') q.set(k, String(v));
  }
  const url = path + (q.toString() ? '?' + q : '');
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  } catch (e) {
    throw new APIError(0, 'dashboard unreachable');
  }
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON: reported below */ }
  if (!res.ok) throw new APIError(res.status, (body && body.error) || `HTTP ${res.status}`);
  if (body == null) throw new APIError(res.status, 'malformed response');
  return body;
}

export function apiURL(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v != null && v !== '') q.set(k, String(v));
  }
  return path + '?' + q;
}
