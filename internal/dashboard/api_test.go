package dashboard

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// fixture is a dashboard over a MemorySource holding a sample feed of
// two hours, with n versions published one interval apart.
type fixture struct {
	src  *MemorySource
	feed *SampleFeed
	srv  *Server
	http *httptest.Server
}

func newFixture(t *testing.T, versions int, o Options) *fixture {
	t.Helper()
	src := NewMemorySource(50)
	feed := NewSampleFeed(src, "kea-a", 1, time.Now().Add(-time.Minute), 2*time.Hour)
	for range versions {
		feed.Step(time.Second)
	}
	o.Source = src
	if o.Poll == 0 {
		o.Poll = 50 * time.Millisecond
	}
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); srv.Run(ctx) }()
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); cancel(); <-done })
	return &fixture{src: src, feed: feed, srv: srv, http: hs}
}

func (f *fixture) get(t *testing.T, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.http.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestBadInput(t *testing.T) {
	f := newFixture(t, 3, Options{})
	cases := []struct {
		method, path string
		status       int
		reason       string
	}{
		{"GET", "/api/snapshot?range=7m", 400, "range must be"},
		{"GET", "/api/snapshot?version=abc", 400, "positive integer"},
		{"GET", "/api/snapshot?version=-1", 400, "positive integer"},
		{"GET", "/api/snapshot?version=999999", 404, "unknown version"},
		{"GET", "/api/snapshot?server=nope", 404, "unknown server"},
		{"GET", "/api/snapshot?rnage=1h", 400, `unknown parameter "rnage"`},
		{"GET", "/api/snapshot?range=1h&range=5m", 400, "more than once"},
		{"GET", "/api/snapshot?server=" + strings.Repeat("x", 300), 400, "too long"},
		{"GET", "/api/versions?server=nope", 404, "unknown server"},
		{"GET", "/api/diff?a=1", 400, `"b" is required`},
		{"GET", "/api/diff?a=1&b=x", 400, "positive integer"},
		{"GET", "/api/diff?a=1&b=999999", 404, "unknown version"},
		{"GET", "/api/table.csv?download=2", 400, "download must be"},
		{"GET", "/api/table.json?format=xml", 400, "format must be"},
		{"GET", "/api/table.csv?version=0", 400, "positive integer"},
		{"GET", "/events?since=x", 400, "version number"},
		{"GET", "/api/nope", 404, "no such API endpoint"},
		{"POST", "/api/servers", 405, "read-only"},
		{"DELETE", "/", 405, "read-only"},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path[:min(len(c.path), 40)], func(t *testing.T) {
			req, _ := http.NewRequest(c.method, f.http.URL+c.path, nil)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var body struct{ Error string }
			raw, _ := io.ReadAll(res.Body)
			if err := json.Unmarshal(raw, &body); err != nil {
				t.Fatalf("body is not JSON: %q", raw)
			}
			if res.StatusCode != c.status || !strings.Contains(body.Error, c.reason) {
				t.Errorf("got %d %q, want %d with %q", res.StatusCode, body.Error, c.status, c.reason)
			}
			if strings.Contains(string(raw), "goroutine") || strings.Contains(string(raw), ".go:") {
				t.Errorf("error leaks a stack: %s", raw)
			}
			if res.Header.Get("Content-Security-Policy") == "" {
				t.Error("no CSP on an error response")
			}
		})
	}
}

func TestAPI(t *testing.T) {
	f := newFixture(t, 10, Options{})
	res, body := f.get(t, "/api/servers")
	if res.StatusCode != 200 || !strings.Contains(string(body), `"server":"kea-a"`) {
		t.Fatalf("servers: %d %s", res.StatusCode, body)
	}

	var snap struct {
		Version    int64
		Resolution string
		Sample     bool
		Points     []point
		Subnets    []metrics.Subnet
		HeatEdges  []float64 `json:"heat_edges_us"`
	}
	for _, c := range []struct {
		rng, res string
		min, max int
	}{{"5m", "fine", 300, 300}, {"1h", "fine", 3600, 3600}, {"24h", "minute", 100, 121}} {
		res, body := f.get(t, "/api/snapshot?range="+c.rng, "Accept-Encoding", "identity")
		if err := json.Unmarshal(body, &snap); err != nil || res.StatusCode != 200 {
			t.Fatalf("snapshot %s: %d %v", c.rng, res.StatusCode, err)
		}
		if snap.Resolution != c.res || len(snap.Points) < c.min || len(snap.Points) > c.max || !snap.Sample {
			t.Errorf("range %s: resolution %s, %d points, sample %v; want %s, %d..%d points, sample", c.rng, snap.Resolution, len(snap.Points), snap.Sample, c.res, c.min, c.max)
		}
		for i := 1; i < len(snap.Points); i++ {
			if snap.Points[i].T <= snap.Points[i-1].T {
				t.Fatalf("range %s: points out of order at %d", c.rng, i)
			}
		}
	}
	p := snap.Points[len(snap.Points)-1]
	if p.Lat == nil || p.Lat.P99 < p.Lat.P50 || len(p.Heat) == 0 || p.Rx["discover"] <= 0 || p.Phases["rest"] <= 0 {
		t.Errorf("last minute point lacks summaries: %+v", p)
	}
	if len(snap.Subnets) != 3 || len(snap.HeatEdges) != heatRows+1 {
		t.Errorf("%d subnets, %d heat edges", len(snap.Subnets), len(snap.HeatEdges))
	}

	// An older version is served as it was.
	res, body = f.get(t, "/api/snapshot?version=3")
	if err := json.Unmarshal(body, &snap); err != nil || res.StatusCode != 200 || snap.Version != 3 {
		t.Fatalf("version 3: %d %s", res.StatusCode, body[:min(len(body), 200)])
	}

	var vs struct{ Versions []VersionInfo }
	_, body = f.get(t, "/api/versions")
	json.Unmarshal(body, &vs)
	if len(vs.Versions) != 10 || vs.Versions[0].Version != 1 {
		t.Errorf("versions: %s", body)
	}

	var d struct{ Fine, Minute recordDiff }
	res, body = f.get(t, "/api/diff?a=2&b=7")
	if err := json.Unmarshal(body, &d); err != nil || res.StatusCode != 200 {
		t.Fatalf("diff: %d %s", res.StatusCode, body)
	}
	if d.Fine.Added != 5 || d.Fine.Removed != 5 || d.Fine.Changed != 0 || len(d.Fine.AddedKeys) != 5 {
		t.Errorf("diff 2→7: %+v, want 5 added, 5 aged out, none changed", d.Fine)
	}

	res, body = f.get(t, "/api/table.csv?range=5m&download=1")
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(rows) != 301 || rows[0][0] != "end" || rows[1][2] != "sample" {
		t.Errorf("csv: %v, %d rows, head %v", err, len(rows), rows[0])
	}
	if !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download=1 without attachment disposition")
	}
	var raw []metrics.Interval
	_, body = f.get(t, "/api/table.json?range=5m")
	if err := json.Unmarshal(body, &raw); err != nil || len(raw) != 300 || raw[0].Latency.Count() == 0 {
		t.Errorf("table.json: %v, %d records", err, len(raw))
	}

	res, body = f.get(t, "/")
	if res.StatusCode != 200 || !strings.Contains(string(body), `<script type="module" src="js/main.js">`) {
		t.Errorf("index: %d", res.StatusCode)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"} {
		if res.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") ||
		!strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("weak CSP: %s", csp)
	}
}

// TestPageWeight keeps the page (HTML, scripts, styles, uPlot) under
// 300 KB: it must load fast from a Kea host over a slow link.
func TestPageWeight(t *testing.T) {
	f := newFixture(t, 1, Options{})
	total := 0
	for _, p := range []string{"/", "/style.css", "/favicon.svg", "/vendor/uPlot.iife.min.js", "/vendor/uPlot.min.css",
		"/js/main.js", "/js/dom.js", "/js/format.js", "/js/api.js", "/js/live.js", "/js/charts.js",
		"/js/views/overview.js", "/js/views/traffic.js", "/js/views/latency.js", "/js/views/phases.js",
		"/js/views/errors.js", "/js/views/resources.js", "/js/views/subnets.js", "/js/views/table.js", "/js/views/history.js"} {
		res, body := f.get(t, p)
		if res.StatusCode != 200 {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
		total += len(body)
	}
	t.Logf("page weight %d bytes", total)
	if total > 300<<10 {
		t.Errorf("page weight %d bytes, over 300 KB", total)
	}
}

func TestToken(t *testing.T) {
	f := newFixture(t, 1, Options{Token: "s3cret"})
	for _, c := range []struct {
		path   string
		hdr    []string
		status int
	}{
		{"/api/servers", nil, 401},
		{"/api/servers", []string{"Authorization", "Bearer wrong"}, 401},
		{"/api/servers", []string{"Authorization", "Bearer s3cret"}, 200},
		{"/api/servers", []string{"Cookie", tokenCookie + "=s3cret"}, 200},
		{"/events?since=x", nil, 401},
		{"/", nil, 401},
		{"/healthz", nil, 200},
		// With a token, any Host is fine: the token is the defence.
		{"/api/servers", []string{"Authorization", "Bearer s3cret", "Host", "dash.example"}, 200},
	} {
		req, _ := http.NewRequest("GET", f.http.URL+c.path, nil)
		for i := 0; i+1 < len(c.hdr); i += 2 {
			if c.hdr[i] == "Host" {
				req.Host = c.hdr[i+1]
			}
			req.Header.Set(c.hdr[i], c.hdr[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != c.status {
			t.Errorf("%s %v: %d, want %d", c.path, c.hdr, res.StatusCode, c.status)
		}
	}
	// /?token= sets the cookie and drops the token from the URL.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(f.http.URL + "/?token=s3cret")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" ||
		!strings.Contains(res.Header.Get("Set-Cookie"), "HttpOnly") {
		t.Errorf("token login: %d %v", res.StatusCode, res.Header)
	}

	if _, err := Listen("0.0.0.0:0", ""); !errors.Is(err, ErrTokenRequired) {
		t.Errorf("Listen on 0.0.0.0 without a token: %v", err)
	}
	for _, a := range []string{":8080", "192.0.2.1:8080", "[::]:8080"} {
		if err := CheckListen(a, ""); !errors.Is(err, ErrTokenRequired) {
			t.Errorf("CheckListen(%s): %v", a, err)
		}
	}
	for _, a := range []string{"127.0.0.1:8080", "[::1]:8080", "localhost:8080"} {
		if err := CheckListen(a, ""); err != nil {
			t.Errorf("CheckListen(%s): %v", a, err)
		}
	}
	ln, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Fatal(err)
	}
	open, _ := New(Options{Source: NewMemorySource(1)})
	if err := open.Serve(context.Background(), ln); !errors.Is(err, ErrTokenRequired) {
		t.Errorf("Serve on 0.0.0.0 without a token: %v", err)
	}
}

func TestHostCheck(t *testing.T) {
	f := newFixture(t, 1, Options{})
	req, _ := http.NewRequest("GET", f.http.URL+"/api/servers", nil)
	req.Host = "attacker.example:8080"
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("rebinding host: %d, want 421", res.StatusCode)
	}
}

func TestStaleWhenStoreFails(t *testing.T) {
	f := newFixture(t, 3, Options{})
	waitFor(t, "first refresh", func() bool { return f.srv.latestVersion("kea-a") == 3 })
	f.src.SetError(errors.New("bucket unreachable"))
	var snap struct {
		Version int64
		Stale   *staleInfo
		Points  []point
	}
	waitFor(t, "stale reported", func() bool {
		_, body := f.get(t, "/api/snapshot")
		json.Unmarshal(body, &snap)
		return snap.Stale != nil
	})
	if snap.Version != 3 || len(snap.Points) != 300 || !strings.Contains(snap.Stale.Reason, "bucket unreachable") {
		t.Errorf("while failing: version %d, %d points, stale %+v", snap.Version, len(snap.Points), snap.Stale)
	}
	_, body := f.get(t, "/healthz")
	if !strings.Contains(string(body), "unavailable") {
		t.Errorf("healthz hides the failing store: %s", body)
	}
	// Versions and old versions need the store: 503 with a reason.
	res, body := f.get(t, "/api/versions")
	if res.StatusCode != 503 || !strings.Contains(string(body), "store unavailable") {
		t.Errorf("versions while failing: %d %s", res.StatusCode, body)
	}
	f.src.SetError(nil)
	f.feed.Step(time.Second)
	waitFor(t, "fresh again", func() bool {
		_, body := f.get(t, "/api/snapshot")
		json.Unmarshal(body, &snap)
		return snap.Stale == nil && snap.Version == 4
	})

	// A dashboard that never read the store has nothing to serve: 503.
	bad := NewMemorySource(1)
	bad.SetError(errors.New("no such bucket"))
	srv, _ := New(Options{Source: bad})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/snapshot", nil)
	req.Host = "127.0.0.1"
	srv.ServeHTTP(rec, req)
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "no such bucket") {
		t.Errorf("never-read store: %d %s", rec.Code, rec.Body)
	}
}

func TestStaleWhenNothingPublished(t *testing.T) {
	f := newFixture(t, 1, Options{StaleAfter: 200 * time.Millisecond})
	waitFor(t, "stale after silence", func() bool {
		_, body := f.get(t, "/api/snapshot")
		return strings.Contains(string(body), "no new version since then")
	})
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sseEvent is one parsed server-sent event.
type sseEvent struct {
	id, name string
	data     []byte
}

// openEvents connects to /events and returns a channel of its events.
func openEvents(t *testing.T, base, query, lastID string) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/events?"+query, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("events: %d %s", res.StatusCode, ct)
	}
	out := make(chan sseEvent, 1000)
	go func() {
		defer close(out)
		r := bufio.NewReader(res.Body)
		var ev sseEvent
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case line == "":
				if ev.name != "" {
					out <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				ev.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.name = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.data = []byte(line[6:])
			}
		}
	}()
	t.Cleanup(func() { cancel(); res.Body.Close() })
	return out
}

// nextVersion returns the next "version" event, skipping the others.
func nextVersion(t *testing.T, ch <-chan sseEvent, timeout time.Duration) (sseEvent, versionEvent) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatal("event stream ended")
			}
			if ev.name == "reset" {
				t.Fatalf("unexpected reset: %s", ev.data)
			}
			if ev.name != "version" {
				continue
			}
			var v versionEvent
			if err := json.Unmarshal(ev.data, &v); err != nil {
				t.Fatalf("decode version event: %v", err)
			}
			return ev, v
		case <-deadline:
			t.Fatal("no version event in time")
		}
	}
}

// TestEventsResume checks the no-gap promise: a stream resumed from
// Last-Event-ID gets every later version, in order, whose intervals join
// up with no hole, from a running dashboard and from a fresh one (the
// dashboard restarted and remembers nothing).
func TestEventsResume(t *testing.T) {
	f := newFixture(t, 5, Options{})
	waitFor(t, "first refresh", func() bool { return f.srv.latestVersion("kea-a") == 5 })
	for range 5 {
		f.feed.Step(time.Second)
	}
	waitFor(t, "refresh to 10", func() bool { return f.srv.latestVersion("kea-a") == 10 })

	check := func(name, base string) {
		ch := openEvents(t, base, "server=kea-a", "4")
		snap4, _ := f.src.At(context.Background(), "kea-a", 4)
		lastT := snap4.Intervals[len(snap4.Intervals)-1].End.UnixMilli()
		latest, _ := f.src.Latest(context.Background(), "kea-a")
		for want := int64(5); want <= latest.Version; want++ {
			ev, v := nextVersion(t, ch, 5*time.Second)
			if ev.id != strconvI(want) || v.Version != want {
				t.Fatalf("%s: event id %s version %d, want %d", name, ev.id, v.Version, want)
			}
			if len(v.Fine) != 1 || v.Fine[0].T != lastT+1000 {
				t.Fatalf("%s: version %d carries %d points, first at %v, want one at %d", name, want, len(v.Fine), v.Fine, lastT+1000)
			}
			lastT = v.Fine[0].T
		}
		// Live: a new version arrives within a second of publication.
		start := time.Now()
		v := f.feed.Step(time.Second)
		_, ev := nextVersion(t, ch, 5*time.Second)
		if ev.Version != v || time.Since(start) > time.Second {
			t.Errorf("%s: live version %d after %v, want %d within 1 s", name, ev.Version, time.Since(start), v)
		}
	}
	check("running dashboard", f.http.URL)

	fresh, _ := New(Options{Source: f.src})
	hs := httptest.NewServer(fresh)
	ctx, cancel := context.WithCancel(context.Background())
	go fresh.Run(ctx)
	// Cleanups run last-first: the streams opened below close before
	// this server waits for its requests to end.
	t.Cleanup(func() { hs.Close(); cancel() })
	check("restarted dashboard", hs.URL)

	// A long gap after a restart comes as one event from the version the
	// stream saw to the latest, still without a hole.
	for range 40 {
		f.feed.Step(time.Second)
	}
	fresh2, _ := New(Options{Source: f.src})
	hs2 := httptest.NewServer(fresh2)
	t.Cleanup(hs2.Close)
	latest, _ := f.src.Latest(context.Background(), "kea-a")
	ch := openEvents(t, hs2.URL, "server=kea-a&since=10", "")
	ev, v := nextVersion(t, ch, 5*time.Second)
	if ev.id != strconvI(latest.Version) || int64(len(v.Fine)) != latest.Version-10 {
		t.Errorf("long gap: event %s with %d points, want one event %d with %d", ev.id, len(v.Fine), latest.Version, latest.Version-10)
	}
	for i := 1; i < len(v.Fine); i++ {
		if v.Fine[i].T-v.Fine[i-1].T != 1000 {
			t.Fatalf("long gap: hole between points %d and %d", i-1, i)
		}
	}

	// Too old to fill: a reset, not a silent gap.
	for range 60 {
		f.feed.Step(time.Second)
	}
	ch = openEvents(t, f.http.URL, "server=kea-a&since=2", "")
	deadline := time.After(5 * time.Second)
	for {
		select {
		case ev := <-ch:
			if ev.name == "version" {
				t.Fatalf("got version %s instead of a reset", ev.id)
			}
			if ev.name == "reset" {
				if !strings.Contains(string(ev.data), "no longer retained") {
					t.Errorf("reset reason: %s", ev.data)
				}
				return
			}
		case <-deadline:
			t.Fatal("no reset for a version no longer retained")
		}
	}
}

func strconvI(v int64) string { return strconv.FormatInt(v, 10) }

func TestMemorySource(t *testing.T) {
	m := NewMemorySource(3)
	ctx, cancel := context.WithCancel(context.Background())
	w := m.Watch(ctx)
	for i := range 5 {
		if v := m.Publish("a", Snapshot{}); v != int64(i+1) {
			t.Fatalf("publish %d gave version %d", i, v)
		}
	}
	for want := int64(1); want <= 5; want++ {
		if u := <-w; u.Version != want || u.Server != "a" {
			t.Fatalf("watch: %+v, want version %d", u, want)
		}
	}
	cancel()
	if _, ok := <-w; ok {
		t.Error("watch channel not closed after ctx ended")
	}
	vs, _ := m.Versions(context.Background(), "a")
	if len(vs) != 3 || vs[0].Version != 3 {
		t.Errorf("retained %+v, want versions 3..5", vs)
	}
	if _, err := m.At(context.Background(), "a", 2); !errors.Is(err, ErrUnknownVersion) {
		t.Errorf("At(2): %v", err)
	}
	if _, err := m.Latest(context.Background(), "b"); !errors.Is(err, ErrUnknownServer) {
		t.Errorf("Latest(b): %v", err)
	}
}
