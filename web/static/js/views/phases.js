// Phases: where an answered packet's time goes inside Kea, as stacked bars.
// Points are averaged into at most 120 bars so each stays visible.
import { el, clear } from '../dom.js';
import { Chart } from '../charts.js';
import { fmtUs } from '../format.js';

const phases = [
  { key: 'parse', label: 'parse', color: '#76b7b2' },
  { key: 'allocate', label: 'allocation', color: '#4e79a7' },
  { key: 'lease_write', label: 'lease write', color: '#f28e2b' },
  { key: 'rest', label: 'rest', color: '#bab0ac' },
];

function bin(points, n) {
  const size = Math.max(1, Math.ceil(points.length / n));
  const out = [];
  for (let i = 0; i < points.length; i += size) {
    const grp = points.slice(i, i + size).filter((p) => p.ph);
    if (!grp.length) continue;
    const avg = {};
    for (const ph of phases) avg[ph.key] = grp.reduce((a, p) => a + (p.ph[ph.key] || 0), 0) / grp.length;
    out.push({ t: points[i].t, ph: avg });
  }
  return out;
}

export function mount(root) {
  const box = el('div', { class: 'charts' });
  const summary = el('div', { class: 'card' });
  root.append(box, summary);
  const chart = new Chart(box, 'phases-stacked', {
    title: 'Mean time per answered packet, by phase (stacked)', stacked: true, bars: true, yFmt: fmtUs,
    series: phases.map((p) => ({ label: p.label, color: p.color })),
  });
  return {
    update({ points }) {
      const bins = bin(points, 120);
      chart.set(bins.map((b) => b.t / 1000), phases.map((ph) => bins.map((b) => b.ph[ph.key])));
      clear(summary);
      summary.append(el('h2', { text: 'Average over the range' }));
      const withPh = points.filter((p) => p.ph);
      const tbl = el('table', {}, el('tr', {}, el('th', { class: 'text', text: 'phase' }), el('th', { text: 'mean per answer' })));
      for (const ph of phases) {
        const v = withPh.length ? withPh.reduce((a, p) => a + (p.ph[ph.key] || 0), 0) / withPh.length : null;
        tbl.append(el('tr', {}, el('td', { class: 'text', text: ph.label }), el('td', { text: fmtUs(v) })));
      }
      summary.append(tbl);
    },
    resize() { chart.resize(); },
    destroy() { chart.destroy(); },
  };
}
