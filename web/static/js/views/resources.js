// Resources: Kea's CPU and memory over time.
import { el } from '../dom.js';
import { Chart } from '../charts.js';
import { fmtNum, fmtBytes } from '../format.js';

export function mount(root) {
  const box = el('div', { class: 'charts' });
  root.append(box);
  const cpu = new Chart(box, 'resources-cpu', {
    title: 'Kea CPU, % of one core (user + system, stacked)', stacked: true,
    yFmt: (v) => fmtNum(v) + ' %',
    series: [{ label: 'user', color: '#4e79a7' }, { label: 'system', color: '#f28e2b' }],
  });
  const mem = new Chart(box, 'resources-memory', {
    title: 'Kea memory', yFmt: fmtBytes,
    series: [{ label: 'RSS', color: '#59a14f' }, { label: 'peak RSS', color: '#bab0ac' }],
  });
  return {
    update({ points, xs }) {
      cpu.set(xs, [points.map((p) => p.usr), points.map((p) => p.sys)]);
      mem.set(xs, [points.map((p) => p.rss), points.map((p) => p.rssp)]);
    },
    resize() { cpu.resize(); mem.resize(); },
    destroy() { cpu.destroy(); mem.destroy(); },
  };
}
