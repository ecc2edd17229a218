// Subnets: address utilization, warning from 80 %, critical from 90 %.
import { el, clear } from '../dom.js';

export const WARN = 0.8;
export const CRIT = 0.9;

export function mount(root) {
  const card = el('div', { class: 'card', dataset: { subnets: '0' } });
  root.append(card);
  return {
    update({ snap }) {
      clear(card);
      const subnets = snap.subnets || [];
      card.dataset.subnets = String(subnets.length);
      card.append(el('h2', { text: 'Address utilization (latest)' }));
      if (!subnets.length) {
        card.append(el('p', { class: 'muted', text: 'No subnet statistics in this version (they come from Kea\'s control socket).' }));
        return;
      }
      for (const s of subnets) {
        const u = s.total_addresses > 0 ? s.assigned_addresses / s.total_addresses : 0;
        const level = u >= CRIT ? 'crit' : u >= WARN ? 'warn' : 'ok';
        const fill = el('div', { class: 'fill' });
        fill.style.width = Math.min(100, u * 100).toFixed(1) + '%';
        card.append(el('div', { class: 'subnet ' + level, dataset: { level } },
          el('div', { class: 'caption' },
            el('span', { text: `subnet ${s.id}${s.prefix ? ' · ' + s.prefix : ''}` }),
            el('span', { text: `${s.assigned_addresses} / ${s.total_addresses} assigned (${(u * 100).toFixed(1)} %)` +
              (s.declined_addresses ? `, ${s.declined_addresses} declined` : '') +
              (level === 'crit' ? ' — critical' : level === 'warn' ? ' — warning' : '') })),
          el('div', { class: 'bar' }, fill)));
      }
    },
    resize() {},
    destroy() {},
  };
}
