package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/keascope/keascope/internal/browsertest"
	"github.com/keascope/keascope/internal/metrics"
)

// hostile is what a DHCP client could smuggle into an exception text, a
// hostname or a log line; the page must show it as text.
const hostile = `<img src=x onerror=alert(1)>`

type browser = browsertest.Browser

func startBrowser(t *testing.T) *browser { return browsertest.Start(t) }

// liveDashboard is a Server on a fixed port over a MemorySource fed by
// the sample generator every second, restartable on the same port.
type liveDashboard struct {
	src    *MemorySource
	addr   string
	cancel context.CancelFunc
	done   chan struct{}
}

func (d *liveDashboard) start(t *testing.T) {
	t.Helper()
	srv, err := New(Options{Source: d.src, Heartbeat: time.Second, Poll: 250 * time.Millisecond, StaleAfter: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var ln net.Listener
	deadline := time.Now().Add(10 * time.Second)
	for {
		ln, err = net.Listen("tcp", d.addr)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("listen again on %s: %v", d.addr, err)
	}
	d.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	d.cancel, d.done = cancel, make(chan struct{})
	go func() {
		defer close(d.done)
		if err := srv.Serve(ctx, ln); err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("serve: %v", err)
		}
	}()
}

func (d *liveDashboard) stop() {
	d.cancel()
	<-d.done
}

func TestBrowser(t *testing.T) {
	b := startBrowser(t)
	src := NewMemorySource(900)
	feed := NewSampleFeed(src, "kea-a", 1, time.Now(), 2*time.Hour)
	feed.info.Host = `kea-a.example <script>alert("host")</script>`
	feed.Mutate = func(iv *metrics.Interval) {
		if iv.End.Unix()%10 == 0 {
			iv.Errors.Exceptions = metrics.AddCount(iv.Errors.Exceptions, hostile, 1)
			iv.Errors.LogMessages = metrics.AddCount(iv.Errors.LogMessages, `DHCP4_<b>BOLD</b>`, 1)
		}
	}
	feed.Publish()
	// A second server, so the picker shows.
	NewSampleFeed(src, "kea-b", 2, time.Now(), 10*time.Minute).Publish()
	fctx, fcancel := context.WithCancel(context.Background())
	defer fcancel()
	go feed.Run(fctx, time.Second)

	d := &liveDashboard{src: src, addr: "127.0.0.1:0"}
	d.start(t)
	defer func() { d.stop() }()
	base := "http://" + d.addr + "/"

	if err := chromedp.Do(b.Ctx, chromedp.Navigate(base+"#/overview")); err != nil {
		t.Fatalf("open dashboard: %v", err)
	}
	b.WaitJS(t, "first render, live", `window.__keascope && __keascope.ready && __keascope.conn === 'live'`, 30*time.Second)
	b.WaitJS(t, "sample banner", `!!document.querySelector('[data-banner=sample]')`, 5*time.Second)
	b.WaitJS(t, "server picker", `!document.getElementById('server-picker').hidden`, 10*time.Second)

	// Every view renders, with data, and live versions keep arriving.
	chartsOK := `(() => { const c = [...document.querySelectorAll('#view [data-chart]')];
		return c.length > 0 && c.every(e => +e.dataset.points > 0 && +e.dataset.nonempty > 0); })()`
	checks := map[string]string{
		"overview":  chartsOK + ` && document.querySelectorAll('#view .tile').length >= 10`,
		"traffic":   chartsOK + ` && document.querySelectorAll('#view [data-chart]').length === 3`,
		"latency":   chartsOK + ` && document.querySelectorAll('#view [data-chart]').length >= 4`,
		"phases":    chartsOK,
		"errors":    chartsOK + ` && +document.querySelector('[data-list=exceptions]').dataset.rows > 0`,
		"resources": chartsOK,
		"subnets":   `+document.querySelector('[data-subnets]').dataset.subnets === 3 && !!document.querySelector('.subnet.crit')`,
		"table":     `+document.querySelector('[data-table]').dataset.rows > 0`,
		"history":   `+document.getElementById('view').dataset.versions > 1`,
	}
	for _, view := range []string{"overview", "traffic", "latency", "phases", "errors", "resources", "subnets", "table", "history"} {
		before := b.Eval(t, `__keascope.version`)
		b.Eval(t, fmt.Sprintf(`document.querySelector('#tabs a[data-view=%s]').click()`, view))
		b.WaitJS(t, view+" renders with data", fmt.Sprintf(`__keascope.view === %q && (%s)`, view, checks[view]), 20*time.Second)
		if view == "overview" || view == "latency" {
			b.WaitJS(t, view+" follows live versions", fmt.Sprintf(`__keascope.version > %d && (%s)`, before, checks[view]), 20*time.Second)
		}
		b.Screenshot(t, filepath.Join("..", "..", "docs", "screenshots"), view)
	}

	// The table sorts by a column, and its downloads answer.
	b.Eval(t, `document.querySelector('#tabs a[data-view=table]').click()`)
	b.WaitJS(t, "table", checks["table"], 20*time.Second)
	b.Eval(t, `[...document.querySelectorAll('#view th')].find(th => th.textContent === 'answered').click()`)
	b.WaitJS(t, "sorted by answered", `(() => { const ths = [...document.querySelectorAll('#view th')];
		const i = ths.findIndex(th => th.textContent === 'answered');
		if (!ths[i].classList.contains('sorted-desc')) return false;
		const v = [...document.querySelectorAll('#view tr')].slice(1).map(tr => +tr.children[i].textContent);
		return v.length > 100 && v.every((x, j) => j === 0 || v[j-1] >= x); })()`, 10*time.Second)
	b.Eval(t, `window.__downloads = 'pending'; Promise.all([...document.querySelectorAll('#view a[download]')].map(a => fetch(a.href).then(r => r.ok && (r.headers.get('Content-Disposition') || '').includes('attachment'))))
		.then(ok => { window.__downloads = ok.length === 2 && ok.every(Boolean) ? 'ok' : 'bad'; }); 0`)
	b.WaitJS(t, "CSV and JSON downloads", `window.__downloads === 'ok'`, 20*time.Second)

	// Hostile strings are text: shown verbatim, never markup or script.
	b.Eval(t, `document.querySelector('#tabs a[data-view=errors]').click()`)
	b.WaitJS(t, "hostile exception shown as text", fmt.Sprintf(
		`[...document.querySelectorAll('[data-list=exceptions] td')].some(td => td.textContent === %q) &&
		 [...document.querySelectorAll('[data-list=log] td')].some(td => td.textContent === 'DHCP4_<b>BOLD</b>') &&
		 document.getElementById('server-info').textContent.includes('<script>')`, hostile), 10*time.Second)
	b.Screenshot(t, filepath.Join("..", "..", "docs", "screenshots"), "errors") // now with the hostile text, shown as text
	imgs := b.Eval(t, `window.__imgs + document.querySelectorAll('img, b, script:not([src])').length`)
	if imgs != 0 {
		t.Errorf("%d injected elements found: a network string was parsed as HTML", imgs)
	}

	// Time ranges: 1 h of fine intervals, 24 h of minutes, back to 5 m.
	b.Eval(t, `document.querySelector('#tabs a[data-view=traffic]').click()`)
	b.Eval(t, `document.querySelector('[data-range="1h"]').click()`)
	b.WaitJS(t, "1h range", `location.hash.includes('range=1h') && __keascope.resolution() === 'fine' && __keascope.points > 3000 && `+chartsOK, 30*time.Second)
	b.Eval(t, `document.querySelector('[data-range="24h"]').click()`)
	b.WaitJS(t, "24h range", `__keascope.resolution() === 'minute' && __keascope.points > 100 && `+chartsOK, 30*time.Second)
	b.Eval(t, `document.querySelector('[data-range="5m"]').click()`)
	b.WaitJS(t, "5m range", `!location.hash.includes('range=') && __keascope.resolution() === 'fine' && __keascope.points <= 301 && `+chartsOK, 30*time.Second)

	// The server picker switches to the other server and back.
	b.Eval(t, `(() => { const s = document.getElementById('server'); s.value = 'kea-b'; s.dispatchEvent(new Event('change')); })()`)
	b.WaitJS(t, "server kea-b", `location.hash.includes('server=kea-b') && document.getElementById('server-info').textContent.startsWith('kea-b') && `+chartsOK, 20*time.Second)
	b.Eval(t, `(() => { const s = document.getElementById('server'); s.value = 'kea-a'; s.dispatchEvent(new Event('change')); })()`)
	b.WaitJS(t, "server kea-a", `document.getElementById('server-info').textContent.startsWith('kea-a') && __keascope.conn === 'live' && `+chartsOK, 20*time.Second)

	// Pause holds the picture; resume catches up.
	b.Eval(t, `document.getElementById('pause').click()`)
	paused := b.Eval(t, `__keascope.renders`)
	time.Sleep(2500 * time.Millisecond)
	after := b.Eval(t, `__keascope.renders`)
	if after != paused {
		t.Errorf("paused page re-rendered %d times", after-paused)
	}
	b.Eval(t, `document.getElementById('pause').click()`)
	b.WaitJS(t, "resume renders again", fmt.Sprintf(`__keascope.renders > %d`, after), 10*time.Second)
	b.Check(t)

	// Restart the dashboard on the same port while versions keep being
	// published: the page notices, reconnects by itself and catches up
	// with no gap in the intervals.
	d.stop()
	b.WaitJS(t, "reconnecting banner", `__keascope.conn === 'reconnecting' && !!document.querySelector('[data-banner=reconnecting]')`, 20*time.Second)
	time.Sleep(3 * time.Second) // versions published while the dashboard is down
	d.start(t)
	latest, _ := src.Latest(context.Background(), "kea-a")
	b.WaitJS(t, "live again and caught up", fmt.Sprintf(`__keascope.conn === 'live' && __keascope.version >= %d`, latest.Version), 30*time.Second)
	b.WaitJS(t, "no gap after the restart", `(() => { const t = __keascope.times();
		return t.length > 200 && t.every((v, i) => i === 0 || v - t[i-1] === 1000); })()`, 10*time.Second)
	b.Forget() // connection refusals while the server was down are expected

	// A store that fails: the last good state stays and the banner says
	// since when it is stale; it clears when the store is back.
	src.SetError(errors.New("bucket unreachable"))
	b.WaitJS(t, "stale banner", `(document.querySelector('[data-banner=stale]') || {}).textContent?.includes('bucket unreachable') && +document.querySelector('#view [data-chart]').dataset.points > 0`, 15*time.Second)
	src.SetError(nil)
	b.WaitJS(t, "stale banner gone", `!document.querySelector('[data-banner=stale]')`, 15*time.Second)

	// History: an older version, as it was, then a diff.
	b.Eval(t, `document.querySelector('#tabs a[data-view=history]').click()`)
	b.WaitJS(t, "versions listed", `document.getElementById('history-version').options.length > 10`, 15*time.Second)
	older := b.Eval(t, `(() => { const s = document.getElementById('history-version'); const v = +s.options[10].value; s.value = String(v); document.getElementById('history-view').click(); return v; })()`)
	b.WaitJS(t, "older version shown", fmt.Sprintf(`__keascope.version === %d && location.hash.includes('v=%d') && !!document.querySelector('[data-banner=pinned]') && !!document.querySelector('[data-pinned="%d"]') && `+chartsOK, older, older, older), 20*time.Second)
	b.Screenshot(t, filepath.Join("..", "..", "docs", "screenshots"), "history")
	time.Sleep(1500 * time.Millisecond)
	b.WaitJS(t, "pinned version stays", fmt.Sprintf(`__keascope.version === %d`, older), time.Second)
	b.Eval(t, `document.getElementById('diff-run').click()`)
	b.WaitJS(t, "diff shown", `document.querySelector('[data-diff]').dataset.diff === 'done' && document.querySelector('[data-diff]').textContent.includes('added')`, 15*time.Second)
	b.Eval(t, `document.querySelector('[data-banner=pinned] button').click()`)
	b.WaitJS(t, "back to live", fmt.Sprintf(`__keascope.conn === 'live' && __keascope.version > %d && !location.hash.includes('v=')`, older), 20*time.Second)

	imgs = b.Eval(t, `window.__imgs`)
	if imgs != 0 {
		t.Errorf("%d <img> elements were created: a network string was parsed as HTML", imgs)
	}
	b.Check(t)
}
