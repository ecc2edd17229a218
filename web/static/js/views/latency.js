// Latency: percentiles over time for all answers and per query→response
// type, and the histogram as a heatmap.
import { el } from '../dom.js';
import { Chart, Heatmap } from '../charts.js';
import { fmtUs } from '../format.js';

const pct = [
  { key: 'p50', color: '#59a14f' }, { key: 'p90', color: '#4e79a7' },
  { key: 'p99', color: '#f28e2b' }, { key: 'max', color: '#e15759' },
];

function typesOf(points) {
  const s = new Set();
  for (const p of points) for (const k of Object.keys(p.lt || {})) s.add(k);
  return [...s].sort();
}

export function mount(root, ctx) {
  const heatBox = el('div');
  const box = el('div', { class: 'charts' });
  root.append(heatBox, box);
  const heat = new Heatmap(heatBox, 'latency-heatmap', 'Latency histogram over time (all answers)');
  const opts = (title) => ({
    title, log: true, yFmt: fmtUs,
    series: pct.map((p) => ({ label: p.key, color: p.color })),
  });
  const all = new Chart(box, 'latency-all', opts('All answers: p50 / p90 / p99 / max'));
  const types = typesOf(ctx.points);
  const per = types.map((t) => [t, new Chart(box, 'latency-' + t.replace('>', '-'), opts(t.replace('>', ' → ')))]);
  const series = (points, get) => pct.map((q) => points.map((p) => { const l = get(p); return l ? l[q.key] : null; }));
  return {
    update({ points, xs, snap }) {
      heat.set(points, snap.heat_edges_us);
      all.set(xs, series(points, (p) => p.lat));
      for (const [t, c] of per) c.set(xs, series(points, (p) => p.lt && p.lt[t]));
    },
    resize() { heat.resize(); all.resize(); per.forEach(([, c]) => c.resize()); },
    destroy() { all.destroy(); per.forEach(([, c]) => c.destroy()); },
  };
}
