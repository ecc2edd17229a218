package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/keascope/keascope/internal/testenv"
)

// Browser is one headless Chromium with one tab.
type Browser struct {
	Ctx      context.Context
	mu       sync.Mutex
	problems []string
}

// watchImages runs before any page script: it counts every <img> ever
// added to the document in window.__imgs, so markup made from a hostile
// string is caught even if it is removed again.
const watchImages = `
window.__imgs = 0;
new MutationObserver((ms) => {
  for (const m of ms) for (const n of m.addedNodes) {
    if (n.nodeType === 1 && (n.tagName === 'IMG' || n.querySelector && n.querySelector('img'))) window.__imgs++;
  }
}).observe(document, {childList: true, subtree: true});
`

// Start launches Chromium with the flags this network-less machine needs
// and a fresh profile; it stops when the test ends.
func Start(t *testing.T) *Browser {
	t.Helper()
	bin := testenv.RequireBinary(t, "chromium", "apt-get install chromium")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); acancel() })
	b := &Browser{Ctx: ctx}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: watchImages}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable the browser log: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// Errors, uncaught exceptions, and browser-log errors (CSP
			// violations, failed loads) all mean the page misbehaved.
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				b.Problem("console %s: %s %s", m.Type, m.Text, m.URL)
			}
		}
	}()
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.Problem("a %s dialog opened: %q (injected script ran)", ev.Type, ev.Message)
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return b
}

// Problem records something the page did wrong.
func (b *Browser) Problem(format string, args ...any) {
	b.mu.Lock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
	b.mu.Unlock()
}

// Check fails the test for every problem recorded so far.
func (b *Browser) Check(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Error(p)
	}
	b.problems = nil
}

// Forget drops the problems recorded so far, for errors a test caused on
// purpose (a server it stopped).
func (b *Browser) Forget() {
	b.mu.Lock()
	b.problems = nil
	b.mu.Unlock()
}

// WaitJS polls a JavaScript expression until it is true, failing the test
// with the page's state after timeout.
func (b *Browser) WaitJS(t *testing.T, what, expr string, timeout time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, timeout)
	defer cancel()
	ok, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil || !ok {
		state, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`JSON.stringify({h: location.hash, k: window.__keascope, b: [...document.querySelectorAll('[data-banner]')].map(e => e.textContent), m: (document.querySelector('main') || document.body).innerText.slice(0, 300)})`))
		t.Fatalf("waiting for %s (%s): %v\npage: %s", what, expr, err, state)
	}
}

// Eval runs expr and returns its value as a number (0 for anything else).
func (b *Browser) Eval(t *testing.T, expr string) int {
	t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[any](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	f, _ := v.(float64)
	return int(f)
}

// Screenshot writes the page to dir/name.png when KEASCOPE_SCREENSHOTS=1.
func (b *Browser) Screenshot(t *testing.T, dir, name string) {
	t.Helper()
	if os.Getenv("KEASCOPE_SCREENSHOTS") != "1" {
		return
	}
	buf, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	os.MkdirAll(dir, 0o755)
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}
