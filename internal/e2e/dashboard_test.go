package e2e

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/keascope/keascope/internal/browsertest"
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

	b := browsertest.Start(t)
	bctx := b.Ctx
	if err := chromedp.Do(bctx, chromedp.Navigate("http://"+m.listen+"/#/overview")); err != nil {
		t.Fatalf("open the dashboard: %v", err)
	}
	wait := func(what, expr string) {
		t.Helper()
		b.WaitJS(t, what, expr, 40*time.Second)
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
		b.Eval(t, fmt.Sprintf(`document.querySelector('#tabs a[data-view=%s]').click()`, view))
		wait(view+" with real data", fmt.Sprintf(`__keascope.view === %q && (%s)`, view, checks[view]))
	}
	if n := b.Eval(t, `window.__imgs`); n != 0 {
		t.Errorf("%d <img> elements were added to the page: a hostile string became markup", n)
	}
	b.Check(t)
}
