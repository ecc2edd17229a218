// Table: the raw interval records as flat columns, sortable, with the CSV
// and JSON downloads. Refetched at most every 5 s while live.
import { el, clear } from '../dom.js';
import { getJSON, apiURL } from '../api.js';

const SHOW = 500;

export function mount(root, ctx) {
  const bar = el('div', { class: 'toolbar' });
  const info = el('span', { class: 'muted' });
  const wrap = el('div', { class: 'table-wrap card', dataset: { table: '', rows: '0' } });
  root.append(bar, wrap);
  let data = null, sortCol = 0, desc = true, fetched = 0, busy = false, version = null;

  const params = (c) => ({ server: c.snap.server, range: c.range, version: c.pinned });
  const dl = (path, label, c) => el('a', { href: apiURL(path, { ...params(c), download: 1 }), download: '', text: label });

  function draw() {
    clear(wrap);
    if (!data) return;
    const cols = data.columns;
    const num = (v) => (v !== '' && !isNaN(v) ? Number(v) : null);
    const rows = data.rows.slice().sort((a, b) => {
      const x = num(a[sortCol]), y = num(b[sortCol]);
      const c = x != null && y != null ? x - y : String(a[sortCol]).localeCompare(String(b[sortCol]));
      return desc ? -c : c;
    });
    const head = el('tr');
    cols.forEach((c, i) => {
      const cls = 'sortable' + (i === sortCol ? (desc ? ' sorted-desc' : ' sorted-asc') : '') + (i <= 2 ? ' text' : '');
      head.append(el('th', { class: cls, text: c, dataset: { col: String(i) }, onclick: () => {
        desc = sortCol === i ? !desc : true;
        sortCol = i;
        draw();
      } }));
    });
    const tbl = el('table', {}, head);
    for (const r of rows.slice(0, SHOW)) tbl.append(el('tr', {}, r.map((v) => el('td', { text: v }))));
    wrap.append(tbl);
    wrap.dataset.rows = String(rows.length);
    info.textContent = `${rows.length} records of version ${data.version}` + (rows.length > SHOW ? `, first ${SHOW} shown (download for all)` : '');
  }

  async function load(c) {
    if (busy) return;
    busy = true;
    fetched = Date.now();
    try {
      data = await getJSON('api/table.json', { ...params(c), format: 'rows' });
      draw();
    } catch (e) {
      clear(wrap);
      wrap.append(el('p', { class: 'error', text: 'Cannot load the table: ' + e.message }));
    } finally {
      busy = false;
    }
  }

  return {
    update(c) {
      clear(bar);
      bar.append(dl('api/table.csv', 'Download CSV', c), dl('api/table.json', 'Download JSON', c), info);
      if (version !== c.snap.version && (Date.now() - fetched > 5000 || !data)) {
        version = c.snap.version;
        load(c);
      }
    },
    resize() {},
    destroy() {},
  };
}
