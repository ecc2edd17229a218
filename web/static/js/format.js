// Number and time formatting for tiles, axes and tables.

export function fmtNum(v, digits = 1) {
  if (v == null || !isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1e6) return (v / 1e6).toFixed(digits) + 'M';
  if (a >= 1e4) return (v / 1e3).toFixed(digits) + 'k';
  if (a >= 100) return v.toFixed(0);
  return v.toFixed(digits);
}

export function fmtUs(us) {
  if (us == null || !isFinite(us)) return '–';
  if (us >= 1e6) return (us / 1e6).toFixed(2) + ' s';
  if (us >= 1e3) return (us / 1e3).toFixed(us >= 1e4 ? 0 : 1) + ' ms';
  return us.toFixed(us >= 100 ? 0 : 1) + ' µs';
}

export function fmtBytes(b) {
  if (b == null || !isFinite(b)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) { b /= 1024; i++; }
  return b.toFixed(i ? 1 : 0) + ' ' + units[i];
}

export function fmtPct(v) {
  return v == null || !isFinite(v) ? '–' : v.toFixed(1) + ' %';
}

export function fmtTime(t) {
  if (!t) return '–';
  const d = t instanceof Date ? t : new Date(t);
  return isNaN(d) ? '–' : d.toLocaleString();
}

// Colours per message type, the same on every view.
export const typeColors = {
  discover: '#4e79a7', request: '#f28e2b', release: '#e15759', decline: '#b07aa1', inform: '#59a14f',
  offer: '#4e79a7', ack: '#59a14f', nak: '#e15759',
};
export const palette = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];
export const queryTypes = ['discover', 'request', 'release', 'decline', 'inform'];
export const responseTypes = ['offer', 'ack', 'nak'];
