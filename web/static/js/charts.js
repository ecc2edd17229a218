// Charts: a thin wrapper over uPlot (the global the vendored IIFE defines)
// and a canvas heatmap. Each chart's box carries data-chart, data-points
// and data-nonempty, which the browser tests read.
import { el } from './dom.js';
import { fmtUs, fmtNum } from './format.js';

const H = 220;

function width(box) {
  return Math.max(320, (box.clientWidth || 600) - 24);
}

// Chart is a time series chart. opts: title, series [{label, color}],
// stacked (areas or bars drawn on each other), bars, log (y), yFmt.
export class Chart {
  constructor(parent, id, opts) {
    this.opts = opts;
    this.box = el('div', { class: 'chart card', dataset: { chart: id, points: '0', nonempty: '0' } });
    parent.append(this.box);
    this.u = null;
    this.raw = [];
  }

  // set draws xs (Unix seconds) against ys, one array per series.
  set(xs, ys) {
    const o = this.opts;
    this.raw = ys;
    let plotted = ys.map((s) => s.map((v) => (v == null || !isFinite(v) ? null : v)));
    if (o.log) plotted = plotted.map((s) => s.map((v) => (v != null && v > 0 ? v : null)));
    let order = ys.map((_, i) => i);
    if (o.stacked) {
      // Each series is drawn from zero to the running total, top of the
      // stack first, so the ones below paint over it.
      const cum = [];
      let acc = new Array(xs.length).fill(0);
      for (const s of plotted) {
        acc = acc.map((a, j) => a + (s[j] || 0));
        cum.push(acc.slice());
      }
      plotted = cum;
      order = order.reverse();
    }
    const data = [xs, ...order.map((i) => plotted[i])];
    this.box.dataset.points = String(xs.length);
    this.box.dataset.nonempty = String(ys.filter((s) => s.some((v) => v != null && v !== 0)).length);
    if (this.u && this.order && this.order.join() === order.join()) {
      this.u.setData(data);
      return;
    }
    this.destroy();
    this.order = order;
    this.u = new uPlot(this.options(order), data, this.box);
  }

  options(order) {
    const o = this.opts;
    const fmt = o.yFmt || ((v) => fmtNum(v));
    const bars = o.bars ? uPlot.paths.bars({ size: [0.9, 40], align: 0 }) : undefined;
    const series = order.map((i) => {
      const s = o.series[i];
      return {
        label: s.label,
        stroke: s.color,
        width: o.bars ? 0 : 1.5,
        fill: o.stacked || o.bars ? s.color + (o.bars ? 'ee' : '99') : undefined,
        paths: bars,
        spanGaps: false,
        points: { show: false },
        // The legend shows a series' own value, not the stacked total.
        value: (u, v, si, di) => (di == null ? '–' : fmt(this.raw[i][di])),
      };
    });
    return {
      title: o.title,
      width: width(this.box),
      height: o.height || H,
      series: [{}, ...series],
      scales: { x: { time: true }, y: o.log ? { distr: 3 } : { range: (u, min, max) => [0, max > 0 ? max * 1.05 : 1] } },
      axes: [{}, { size: 70, values: (u, splits) => splits.map((v) => fmt(v)) }],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    };
  }

  resize() {
    if (this.u) this.u.setSize({ width: width(this.box), height: this.opts.height || H });
  }

  destroy() {
    if (this.u) { this.u.destroy(); this.u = null; }
  }
}

// Heatmap draws the latency histogram over time: a column per point, a row
// per heatmap bucket (a quarter octave), darker where more answers fell.
export class Heatmap {
  constructor(parent, id, title) {
    this.box = el('div', { class: 'chart card heatmap', dataset: { chart: id, points: '0', nonempty: '0' } });
    this.box.append(el('h2', { text: title }));
    this.canvas = el('canvas');
    this.box.append(this.canvas);
    parent.append(this.box);
  }

  set(points, edges) {
    this.points = points;
    this.edges = edges;
    this.draw();
  }

  draw() {
    const pts = this.points || [];
    const dpr = window.devicePixelRatio || 1;
    const w = width(this.box);
    const h = 260;
    const c = this.canvas;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    c.style.height = h + 'px';
    const g = c.getContext('2d');
    g.scale(dpr, dpr);
    g.clearRect(0, 0, w, h);
    let rmin = Infinity, rmax = -Infinity, cmax = 0, cells = 0;
    for (const p of pts) {
      for (const [r, n] of p.hm || []) {
        rmin = Math.min(rmin, r); rmax = Math.max(rmax, r); cmax = Math.max(cmax, n); cells++;
      }
    }
    this.box.dataset.points = String(pts.length);
    this.box.dataset.nonempty = String(cells);
    const left = 64, bottom = 18, top = 4;
    const pw = w - left - 8, ph = h - bottom - top;
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#5b6775';
    if (!cells) {
      g.fillText('no answered packets in this range', left + 10, h / 2);
      return;
    }
    rmin = Math.max(0, rmin - 2); rmax = rmax + 2;
    const rows = rmax - rmin + 1;
    const cw = pw / pts.length, rh = ph / rows;
    const lmax = Math.log1p(cmax);
    pts.forEach((p, i) => {
      for (const [r, n] of p.hm || []) {
        const t = Math.log1p(n) / lmax; // 0..1
        const l = Math.round(92 - t * 64);
        g.fillStyle = `hsl(210, 70%, ${l}%)`;
        g.fillRect(left + i * cw, top + (rmax - r) * rh, Math.max(cw, 1), Math.max(rh, 1));
      }
    });
    g.fillStyle = '#5b6775';
    g.textAlign = 'right';
    for (let r = rmin; r <= rmax; r++) {
      if (r % 4 === 0 && this.edges[r] != null) {
        g.fillText(fmtUs(this.edges[r]), left - 6, top + (rmax - r + 0.5) * rh + 4);
      }
    }
    g.textAlign = 'left';
    const t0 = new Date(pts[0].t), t1 = new Date(pts[pts.length - 1].t);
    g.fillText(t0.toLocaleTimeString(), left, h - 4);
    g.textAlign = 'right';
    g.fillText(t1.toLocaleTimeString(), left + pw, h - 4);
  }

  resize() { this.draw(); }
  destroy() {}
}
