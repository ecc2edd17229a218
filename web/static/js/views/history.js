// History: pick a retained version, or the version current at a time, and
// see every view as it was then; diff two versions by their records.
import { el, clear } from '../dom.js';
import { getJSON } from '../api.js';
import { fmtTime } from '../format.js';
import * as overview from './overview.js';

export function mount(root, ctx) {
  const pick = el('div', { class: 'card' }, el('h2', { text: 'Time travel' }));
  const diffCard = el('div', { class: 'card' }, el('h2', { text: 'Diff two versions' }));
  const result = el('div', { dataset: { diff: '' } });
  const status = el('p', { class: 'muted', text: 'Loading retained versions…' });
  root.append(status, pick, diffCard);
  // Pinned to a version, the history tab itself shows that version's
  // overview; every other tab shows it too.
  let ov = null;
  if (ctx.pinned) {
    const box = el('div', { dataset: { pinned: String(ctx.pinned) } }, el('h2', { text: `Version ${ctx.pinned} as it was` }));
    root.insertBefore(box, pick);
    ov = overview.mount(box);
  }
  let versions = [];

  const sel = el('select', { id: 'history-version' });
  const at = el('input', { type: 'datetime-local', id: 'history-time', step: '1' });
  const selA = el('select', { id: 'diff-a' });
  const selB = el('select', { id: 'diff-b' });
  const option = (v) => el('option', { value: String(v.version), text: `v${v.version} · ${fmtTime(v.published)}` });

  pick.append(
    el('div', { class: 'toolbar' },
      el('label', {}, 'version ', sel),
      el('button', { type: 'button', id: 'history-view', text: 'Show this version', onclick: () => ctx.go({ v: Number(sel.value) }) }),
      ctx.pinned ? el('button', { type: 'button', text: 'Back to live', onclick: () => ctx.go({ v: null }) }) : null),
    el('div', { class: 'toolbar' },
      el('label', {}, 'or the version current at ', at),
      el('button', { type: 'button', text: 'Show', onclick: () => {
        const t = new Date(at.value).getTime();
        const v = versions.filter((x) => new Date(x.published).getTime() <= t).pop();
        if (v) ctx.go({ v: v.version });
        else status.textContent = 'No retained version was published before that time.';
      } })));
  diffCard.append(
    el('div', { class: 'toolbar' },
      el('label', {}, 'from ', selA), el('label', {}, 'to ', selB),
      el('button', { type: 'button', id: 'diff-run', text: 'Diff', onclick: () => runDiff() })),
    result);

  async function runDiff() {
    clear(result);
    try {
      const d = await getJSON('api/diff', { server: ctx.snap.server, a: selA.value, b: selB.value });
      for (const [name, r] of [['fine intervals', d.fine], ['minute roll-ups', d.minute]]) {
        result.append(el('h3', { text: `${name}: ${r.added} added, ${r.removed} removed, ${r.changed} changed, ${r.unchanged} unchanged` }));
        const keys = [['added', r.added_keys], ['removed', r.removed_keys], ['changed', r.changed_keys]];
        for (const [k, list] of keys) {
          if (!list.length) continue;
          const shown = list.slice(0, 10).map((t) => new Date(t).toLocaleTimeString()).join(', ');
          result.append(el('p', { class: 'muted', text: `${k}: ${shown}${list.length > 10 ? ', …' : ''}` }));
        }
      }
      result.dataset.diff = 'done';
    } catch (e) {
      result.append(el('p', { class: 'error', text: 'Diff failed: ' + e.message }));
    }
  }

  getJSON('api/versions', { server: ctx.snap.server }).then((r) => {
    versions = r.versions;
    const newest = versions.slice().reverse();
    for (const v of newest) { sel.append(option(v)); selA.append(option(v)); selB.append(option(v)); }
    if (ctx.pinned) sel.value = String(ctx.pinned);
    if (newest.length > 1) selA.value = String(newest[Math.min(10, newest.length - 1)].version);
    status.textContent = versions.length
      ? `${versions.length} versions retained, v${versions[0].version} (${fmtTime(versions[0].published)}) to v${versions[versions.length - 1].version}.`
      : 'No versions retained.';
    root.dataset.versions = String(versions.length);
  }).catch((e) => { status.textContent = 'Cannot list versions: ' + e.message; status.className = 'error'; });

  return {
    update(c) { if (ov) ov.update(c); },
    resize() { if (ov) ov.resize(); },
    destroy() { if (ov) ov.destroy(); },
  };
}
