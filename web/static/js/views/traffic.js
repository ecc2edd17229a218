// Traffic: packets per second by message type, received and sent, stacked.
import { el } from '../dom.js';
import { Chart } from '../charts.js';
import { typeColors, queryTypes, responseTypes } from '../format.js';

export function mount(root) {
  const box = el('div', { class: 'charts' });
  root.append(box);
  const rx = new Chart(box, 'traffic-received', {
    title: 'Received per second, by query type (stacked)', stacked: true,
    series: queryTypes.map((t) => ({ label: t, color: typeColors[t] })),
  });
  const tx = new Chart(box, 'traffic-sent', {
    title: 'Sent per second, by response type (stacked)', stacked: true,
    series: responseTypes.map((t) => ({ label: t, color: typeColors[t] })),
  });
  const flow = new Chart(box, 'traffic-flow', {
    title: 'Queries answered, dropped (Kea) and dropped (kernel) per second',
    series: [
      { label: 'answered', color: '#59a14f' },
      { label: 'dropped', color: '#e15759' },
      { label: 'kernel dropped', color: '#b07aa1' },
    ],
  });
  const charts = [rx, tx, flow];
  return {
    update({ points, xs }) {
      rx.set(xs, queryTypes.map((t) => points.map((p) => p.rx[t] || 0)));
      tx.set(xs, responseTypes.map((t) => points.map((p) => p.tx[t] || 0)));
      flow.set(xs, [points.map((p) => p.ans), points.map((p) => p.drop), points.map((p) => p.kdrop)]);
    },
    resize() { charts.forEach((c) => c.resize()); },
    destroy() { charts.forEach((c) => c.destroy()); },
  };
}
