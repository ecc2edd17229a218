// keascope dashboard: state, hash routing, loading and live updates.
// Views live in views/*.js; each mounts into <main> and is updated with the
// current points as versions arrive.
import { el, clear } from './dom.js';
import { getJSON } from './api.js';
import { Live } from './live.js';
import { fmtTime } from './format.js';
import * as overview from './views/overview.js';
import * as traffic from './views/traffic.js';
import * as latency from './views/latency.js';
import * as phases from './views/phases.js';
import * as errors from './views/errors.js';
import * as resources from './views/resources.js';
import * as subnets from './views/subnets.js';
import * as table from './views/table.js';
import * as history from './views/history.js';

const views = { overview, traffic, latency, phases, errors, resources, subnets, table, history };
const ranges = { '5m': 5 * 60e3, '1h': 3600e3, '24h': 86400e3 };

const state = {
  view: 'overview', range: '5m', server: null, pinned: null, paused: false,
  servers: [], snap: null, points: [], stale: null, error: null, conn: 'connecting',
};

// The browser tests read this; it is harmless to have in production.
const hook = (window.__keascope = {
  ready: false, view: null, version: 0, renders: 0, events: 0, conn: '', loads: 0,
  times: () => state.points.map((p) => p.t),
  resolution: () => state.snap && state.snap.resolution,
});

const $ = (id) => document.getElementById(id);
const main = $('view');
let current = { name: null, inst: null };
let loadSeq = 0;
let retryTimer = null;
let retryDelay = 1000;

const live = new Live({
  version: onVersion,
  status: (d) => { state.stale = d.stale || null; banners(); },
  reset: () => load(),
  state: (s) => { state.conn = s; header(); banners(); },
});

function parseHash() {
  const [path, qs] = (location.hash.slice(1) || '/overview').split('?');
  const q = new URLSearchParams(qs || '');
  const view = path.replace(/^\//, '');
  const v = q.get('v');
  return {
    view: views[view] ? view : 'overview',
    range: ranges[q.get('range')] ? q.get('range') : '5m',
    server: q.get('server') || null,
    pinned: v && /^\d+$/.test(v) ? Number(v) : null,
  };
}

function hashFor(r) {
  const q = new URLSearchParams();
  if (r.range !== '5m') q.set('range', r.range);
  if (r.server) q.set('server', r.server);
  if (r.pinned) q.set('v', String(r.pinned));
  return '#/' + r.view + (q.toString() ? '?' + q : '');
}

// go changes part of the route: {view, range, server, v}.
function go(ch) {
  const r = { view: state.view, range: state.range, server: state.server, pinned: state.pinned };
  if ('view' in ch) r.view = ch.view;
  if ('range' in ch) r.range = ch.range;
  if ('server' in ch) r.server = ch.server;
  if ('v' in ch) r.pinned = ch.v;
  location.hash = hashFor(r);
}

function apply() {
  const r = parseHash();
  const reload = !state.snap || r.range !== state.range || (r.server && r.server !== state.server) || r.pinned !== state.pinned;
  const viewChanged = r.view !== state.view;
  Object.assign(state, { view: r.view, range: r.range, pinned: r.pinned });
  if (r.server) state.server = r.server;
  for (const a of document.querySelectorAll('#tabs a')) {
    a.classList.toggle('active', a.dataset.view === state.view);
    a.setAttribute('href', hashFor({ ...state, view: a.dataset.view }));
  }
  if (reload) load();
  else render(viewChanged);
}

async function load() {
  const seq = ++loadSeq;
  clearTimeout(retryTimer);
  try {
    const snap = await getJSON('api/snapshot', { server: state.server, range: state.range, version: state.pinned });
    if (seq !== loadSeq) return;
    hook.loads++;
    retryDelay = 1000;
    state.snap = snap;
    state.server = snap.server;
    state.points = snap.points || [];
    state.stale = snap.stale;
    state.error = null;
    render(true);
    if (state.pinned) live.stop();
    else live.start(snap.server, snap.version);
    loadServers();
  } catch (e) {
    if (seq !== loadSeq) return;
    state.error = e.message;
    if (e.status === 404 || e.status === 400) {
      // The version or server asked for does not exist: say so and stop.
      showError(e.message);
    } else {
      // The dashboard or its store is away: keep what is shown and retry.
      retryTimer = setTimeout(load, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 10000);
      if (!state.snap) showError(e.message + ' — retrying');
    }
    banners();
  }
}

function showError(msg) {
  if (current.inst) current.inst.destroy();
  current = { name: null, inst: null };
  clear(main);
  main.append(el('p', { class: 'error', text: msg }),
    el('button', { type: 'button', text: 'Back to live', onclick: () => go({ v: null, server: null }) }));
}

async function loadServers() {
  try {
    const r = await getJSON('api/servers');
    state.servers = r.servers.map((s) => s.server);
    const sel = $('server');
    clear(sel);
    for (const s of state.servers) sel.append(el('option', { value: s, text: s }));
    sel.value = state.server || '';
    $('server-picker').hidden = state.servers.length < 2;
  } catch (e) { /* the next load retries */ }
}

function onVersion(d) {
  const snap = state.snap;
  hook.events++;
  if (!snap || state.pinned || d.server !== snap.server) return;
  const pts = snap.resolution === 'minute' ? d.minutes : d.fine;
  merge(pts);
  Object.assign(snap, { version: d.version, published: d.published, info: d.info, subnets: d.subnets, latest_version: d.version });
  snap.sample = snap.sample || d.info.source === 'sample' || pts.some((p) => p.src === 'sample');
  state.stale = d.stale || null;
  hook.lastEventVersion = d.version;
  if (!state.paused) render(false);
  else header();
}

// merge adds points by their key (end time): new ones append, a record
// seen again replaces the old one; then the range's window is kept.
function merge(pts) {
  if (!pts || !pts.length) return;
  let p = state.points;
  const last = p.length ? p[p.length - 1].t : -Infinity;
  if (pts.every((x) => x.t > last)) p = p.concat(pts);
  else {
    const m = new Map(p.map((x) => [x.t, x]));
    for (const x of pts) m.set(x.t, x);
    p = [...m.values()].sort((a, b) => a.t - b.t);
  }
  const cut = p[p.length - 1].t - ranges[state.range];
  let i = 0;
  while (i < p.length && p[i].t <= cut) i++;
  state.points = i ? p.slice(i) : p;
}

function header() {
  const snap = state.snap;
  const info = (snap && snap.info) || {};
  $('server-info').textContent = snap
    ? `${snap.server}${info.host && info.host !== snap.server ? ' · ' + info.host : ''} · Kea ${info.kea_version || '?'} · pid ${info.pid || '?'} · v${snap.version}`
    : '';
  for (const b of document.querySelectorAll('[data-range]')) b.classList.toggle('active', b.dataset.range === state.range);
  $('pause').textContent = state.paused ? 'Resume' : 'Pause';
  $('pause').classList.toggle('active', state.paused);
  const conn = $('conn');
  const label = state.pinned ? 'history' : state.paused ? 'paused' : state.conn === 'live' ? 'live' : state.conn === 'reconnecting' ? 'reconnecting…' : 'connecting…';
  conn.textContent = label;
  conn.className = 'conn ' + (state.pinned ? 'pinned' : state.paused ? 'paused' : state.conn);
  hook.conn = state.conn;
}

function banners() {
  const box = $('banners');
  clear(box);
  const snap = state.snap;
  const add = (cls, text, ...extra) => box.append(el('div', { class: 'banner-' + cls, dataset: { banner: cls } }, text, ...extra));
  if (snap && snap.sample) add('sample', 'SAMPLE DATA — not measured: these numbers are synthetic (keascope --sample / --source sample).');
  if (!state.pinned && state.conn === 'reconnecting') add('reconnecting', `reconnecting… showing data up to version ${snap ? snap.version : '?'}`);
  if (!state.pinned && state.stale) add('stale', `data stale since ${fmtTime(state.stale.since)} — ${state.stale.reason}`);
  if (state.error) add('error', state.error);
  if (state.pinned && snap) {
    add('pinned', `Viewing version ${snap.version} as published ${fmtTime(snap.published)} (not live).`,
      el('button', { type: 'button', text: 'Back to live', onclick: () => go({ v: null }) }));
  }
}

function render(remount) {
  header();
  banners();
  if (!state.snap) return;
  const ctx = {
    snap: state.snap, points: state.points, xs: state.points.map((p) => p.t / 1000),
    range: state.range, pinned: state.pinned, go,
  };
  if (remount || current.name !== state.view) {
    if (current.inst) current.inst.destroy();
    clear(main);
    current = { name: state.view, inst: views[state.view].mount(main, ctx) };
  }
  current.inst.update(ctx);
  hook.ready = true;
  hook.view = state.view;
  hook.version = state.snap.version;
  hook.points = state.points.length;
  hook.renders++;
}

function boot() {
  for (const b of document.querySelectorAll('[data-range]')) b.addEventListener('click', () => go({ range: b.dataset.range }));
  $('pause').addEventListener('click', () => {
    state.paused = !state.paused;
    if (!state.paused) render(false);
    else header();
  });
  $('server').addEventListener('change', (e) => go({ server: e.target.value, v: null }));
  let rt = null;
  window.addEventListener('resize', () => {
    clearTimeout(rt);
    rt = setTimeout(() => current.inst && current.inst.resize(), 150);
  });
  window.addEventListener('hashchange', apply);
  apply();
}

boot();
