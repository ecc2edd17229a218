// Overview: the tiles an operator reads first, and the packet rate.
import { el, clear } from '../dom.js';
import { Chart } from '../charts.js';
import { fmtNum, fmtUs, fmtBytes, fmtPct } from '../format.js';

function lastWith(points, f) {
  for (let i = points.length - 1; i >= 0; i--) if (f(points[i])) return points[i];
  return null;
}

function sum(o) {
  return Object.values(o || {}).reduce((a, b) => a + b, 0);
}

export function mount(root) {
  const grid = el('div', { class: 'grid', dataset: { tiles: '' } });
  const charts = el('div', { class: 'charts wide' });
  root.append(grid, charts);
  const chart = new Chart(charts, 'overview-packets', {
    title: 'Packets per second',
    series: [
      { label: 'received', color: '#4e79a7' },
      { label: 'sent', color: '#59a14f' },
      { label: 'errors', color: '#e15759' },
    ],
  });
  return {
    update(ctx) {
      const { points, snap, xs } = ctx;
      const last = points[points.length - 1] || null;
      const lat = lastWith(points, (p) => p.lat);
      const info = snap.info || {};
      const up = last ? last.up : null;
      const tiles = [
        ['Packets/s', last ? fmtNum(sum(last.rx)) : '–'],
        ['Answered', last ? fmtPct(last.ansp) : '–', last && last.ansp < 95 ? 'warn' : 'ok'],
        ['Latency p50', lat ? fmtUs(lat.lat.p50) : '–'],
        ['Latency p99', lat ? fmtUs(lat.lat.p99) : '–'],
        ['Errors/s', last ? fmtNum(last.err.total, 2) : '–', last && last.err.total > 0 ? 'warn' : 'ok'],
        ['Kea CPU', last ? fmtNum(last.cpu) + ' %' : '–'],
        ['Kea RSS', last ? fmtBytes(last.rss) : '–'],
        ['Kea', up == null ? '–' : up ? 'up' : 'down', up ? 'ok' : 'bad'],
        ['Data source', info.source || (last && last.src) || '–', info.source === 'sample' ? 'warn' : ''],
        ['Store mode', info.store_mode || '–', info.store_mode === 'local' ? 'warn' : ''],
        ['Version', String(snap.version)],
      ];
      clear(grid);
      for (const [label, value, cls] of tiles) {
        grid.append(el('div', { class: 'tile' },
          el('div', { class: 'label', text: label }),
          el('div', { class: 'value ' + (cls || ''), text: value })));
      }
      chart.set(xs, [
        points.map((p) => sum(p.rx)),
        points.map((p) => sum(p.tx)),
        points.map((p) => p.err.total),
      ]);
    },
    resize() { chart.resize(); },
    destroy() { chart.destroy(); },
  };
}
