// Errors: failure rates over time, and the exception texts and Kea log ids
// seen in the range. Those texts come from the measured server (and so,
// indirectly, from DHCP clients): they are shown with textContent only.
import { el, clear } from '../dom.js';
import { Chart } from '../charts.js';
import { fmtNum } from '../format.js';

function totals(points, key) {
  const m = new Map();
  for (const p of points) for (const c of p[key] || []) m.set(c.key, (m.get(c.key) || 0) + c.count);
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}

function countTable(id, title, rows, what) {
  const card = el('div', { class: 'card', dataset: { list: id, rows: String(rows.length) } }, el('h2', { text: title }));
  if (!rows.length) {
    card.append(el('p', { class: 'muted', text: `No ${what} in this range.` }));
    return card;
  }
  const tbl = el('table', {}, el('tr', {}, el('th', { class: 'text', text: what }), el('th', { text: 'count' })));
  for (const [k, n] of rows.slice(0, 50)) {
    tbl.append(el('tr', {}, el('td', { class: 'text', text: k }), el('td', { text: String(n) })));
  }
  card.append(tbl);
  return card;
}

export function mount(root) {
  const box = el('div', { class: 'charts' });
  const lists = el('div', { class: 'charts' });
  root.append(box, lists);
  const rates = new Chart(box, 'errors-rates', {
    title: 'Failures per second',
    yFmt: (v) => fmtNum(v, 2),
    series: [
      { label: 'drops', color: '#e15759' }, { label: 'parse failures', color: '#b07aa1' },
      { label: 'NAKs', color: '#f28e2b' }, { label: 'allocation failures', color: '#9c755f' },
      { label: 'exceptions', color: '#edc948' },
    ],
  });
  return {
    update({ points, xs }) {
      rates.set(xs, [
        points.map((p) => p.err.drop), points.map((p) => p.err.parse), points.map((p) => p.err.nak),
        points.map((p) => p.err.alloc), points.map((p) => p.err.exc),
      ]);
      clear(lists);
      lists.append(
        countTable('exceptions', 'Exceptions by message', totals(points, 'ex'), 'exception'),
        countTable('log', 'Kea log message ids', totals(points, 'lg'), 'log id'));
    },
    resize() { rates.resize(); },
    destroy() { rates.destroy(); },
  };
}
