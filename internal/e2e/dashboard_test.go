package e2e

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/keascope/keascope/internal/dhcpwire"
	"github.com/keascope/keascope/internal/lab"
	"github.com/keascope/keascope/internal/lab/labtest"
	"github.com/keascope/keascope/internal/metrics"
	"github.com/keascope/keascope/internal/testenv"
)

// The dashboard of a monitor on a real Kea under load, in a real Chromium:
// every view renders live eBPF data, hostile strings sent through Kea run
// nothing, and the console stays clean.
func TestDashboardOnRealKea(t *testing.T) {
	testenv.RequireEBPF(t)
	chromium := testenv.RequireBinary(t, "chromium", "apt-get install chromium")
	l := labtest.Start(t, lab.Config{SocketType: "raw"})
	store := t.TempDir()
	m := startMonitor(t, "--pid", itoa(l.KeaPID()), "--control-socket", l.ControlSocket(), "--store", store, "--deep")
	waitFor(t, 30*time.Second, "monitor on eBPF", func() bool {
		h := m.health(t)
		return h.Source == metrics.SourceEBPF && h.LastVersion != 0
	}, m.stderr.String)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // load for the whole test
		defer wg.Done()
		for ctx.Err() == nil {
			l.RunPerfdhcp(ctx, lab.Load{Rate: 200, Clients: 2000, Duration: 5 * time.Second})
		}
	}()
	defer wg.Wait()
	defer cancel()
	hostile := `<img src=x onerror=alert(1)>`
	disc := dhcpwire.NewRequest(1, 0xbad1, [6]byte{2, 0, 0, 0, 0, 1}).Add(12, []byte(hostile))
	disc.GIAddr = netip.MustParseAddr(lab.ClientIP)
	bad := dhcpwire.NewRequest(1, 0xbad2, [6]byte{2, 0, 0, 0, 0, 2}).Marshal()[:120] // truncated: an exception in Kea
	unknown := dhcpwire.NewRequest(99, 0xbad3, [6]byte{2, 0, 0, 0, 0, 3})
	unknown.GIAddr = disc.GIAddr
	if err := l.Send(ctx, disc.Marshal(), bad, unknown.Marshal()); err != nil {
		t.Fatal(err)
	}

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun, chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	var mu sync.Mutex
	var problems []string
	problem := func(f string, a ...any) { mu.Lock(); problems = append(problems, fmt.Sprintf(f, a...)); mu.Unlock() }
	if _, err := chromedp.Call(bctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	messages := chromedp.Console(bctx)
	go func() {
		for msg, err := range messages {
			if err != nil {
				return
			}
			if msg.Type == chromedp.ConsoleError || msg.Type == chromedp.ConsoleException {
				problem("console %s: %s %s", msg.Type, msg.Text, msg.URL)
			}
		}
	}()
	dialogs := chromedp.Events(bctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			problem("a %s dialog opened: %q (injected script ran)", ev.Type, ev.Message)
			chromedp.Call(bctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	if err := chromedp.Do(bctx, chromedp.Navigate("http://"+m.listen+"/#/overview")); err != nil {
		t.Fatalf("open the dashboard: %v", err)
	}
	wait := func(what, expr string) {
		t.Helper()
		wctx, wcancel := context.WithTimeout(bctx, 40*time.Second)
		defer wcancel()
		if _, err := chromedp.Run(wctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(200*time.Millisecond))); err != nil {
			state, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`JSON.stringify({h: location.hash, k: window.__keascope, m: (document.querySelector('main')||{}).innerText?.slice(0, 400)})`))
			t.Fatalf("waiting for %s: %v\npage: %s\nmonitor log:\n%s", what, err, state, m.stderr.String())
		}
	}
	wait("live", `window.__keascope && __keascope.ready && __keascope.conn === 'live'`)
	wait("eBPF source shown", `document.querySelector('main').innerText.includes('ebpf') && !document.querySelector('[data-banner=sample]')`)
	someData := `[...document.querySelectorAll('#view [data-chart]')].some(e => +e.dataset.points > 0 && +e.dataset.nonempty > 0)`
	checks := map[string]string{
		"overview": someData, "traffic": someData, "latency": someData, "phases": someData,
		"errors": someData, "resources": someData,
		"subnets": `+document.querySelector('[data-subnets]').dataset.subnets >= 1`,
		"table":   `+document.querySelector('[data-table]').dataset.rows > 0`,
		"history": `+document.getElementById('view').dataset.versions > 1`,
	}
	for _, view := range []string{"overview", "traffic", "latency", "phases", "errors", "resources", "subnets", "table", "history"} {
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[any](fmt.Sprintf(`document.querySelector('#tabs a[data-view=%s]').click()`, view))); err != nil {
			t.Fatal(err)
		}
		wait(view+" with real data", fmt.Sprintf(`__keascope.view === %q && (%s)`, view, checks[view]))
	}
	imgs, err := chromedp.Run(bctx, chromedp.Evaluate[float64](`document.querySelectorAll('img').length`))
	if err != nil || imgs != 0 {
		t.Errorf("an <img> element exists in the page (%v, %v): a hostile string became markup", imgs, err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
}
