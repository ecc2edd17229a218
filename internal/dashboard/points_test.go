package dashboard

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func hourSnapshot(tb testing.TB) *Snapshot {
	tb.Helper()
	src := NewMemorySource(2)
	f := NewSampleFeed(src, "kea-a", 1, time.Unix(1700000000, 0), time.Hour)
	f.Publish()
	snap, _ := src.Latest(context.Background(), "kea-a")
	return snap
}

// BenchmarkHourView is the cost of /api/snapshot?range=1h from scratch:
// 3600 points with percentiles and heatmap rows, encoded.
func BenchmarkHourView(b *testing.B) {
	snap := hourSnapshot(b)
	for b.Loop() {
		var c viewCache
		c.encode("kea-a", spans["1h"], snap.Intervals)
	}
}

// BenchmarkHourViewNextVersion is the same for the next version, which
// shares all intervals but one with the previous: what a page load costs
// on a running dashboard.
func BenchmarkHourViewNextVersion(b *testing.B) {
	snap := hourSnapshot(b)
	var c viewCache
	c.encode("kea-a", spans["1h"], snap.Intervals[:len(snap.Intervals)-1])
	for b.Loop() {
		c.encode("kea-a", spans["1h"], snap.Intervals)
	}
}

func TestViewCacheMatchesFreshEncoding(t *testing.T) {
	snap := hourSnapshot(t)
	var c viewCache
	c.encode("kea-a", spans["1h"], snap.Intervals[:100])
	got := c.encode("kea-a", spans["1h"], snap.Intervals)
	want, _ := json.Marshal(toPoints(snap.Intervals))
	if string(got) != string(want) {
		t.Error("cached encoding differs from a fresh one")
	}
}

// BenchmarkFrame is the per-version cost shared by every stream.
func BenchmarkFrame(b *testing.B) {
	snap := hourSnapshot(b)
	prev := *snap
	prev.Intervals = snap.Intervals[:len(snap.Intervals)-1]
	for b.Loop() {
		makeFrame(&prev, snap, nil)
	}
}

// FuzzQuery throws arbitrary query strings at every endpoint: the answer
// is never a 5xx (the store is up), and every error is a JSON reason.
// (ServeMux answers unclean paths such as /api/. with a redirect.)
func FuzzQuery(f *testing.F) {
	for _, s := range []string{"", "range=1h", "range=24h&version=1", "version=-5", "server=%00", "a=1&b=2",
		"since=1", "format=rows", "download=1", "range=5m&range=1h", strings.Repeat("x=1&", 50)} {
		f.Add("/api/snapshot", s)
		f.Add("/api/diff", s)
	}
	f.Add("/api/table.csv", "range=1h")
	f.Add("/api/versions", "server=kea-a")
	src := NewMemorySource(5)
	feed := NewSampleFeed(src, "kea-a", 1, time.Unix(1700000000, 0), 10*time.Minute)
	for range 3 {
		feed.Step(time.Second)
	}
	srv, _ := New(Options{Source: src})
	f.Fuzz(func(t *testing.T, path, query string) {
		if strings.HasPrefix(path, "/events") || !strings.HasPrefix(path, "/api/") {
			return // streams do not end; the page's files are not parsed
		}
		u := &url.URL{Path: path, RawQuery: query}
		req := httptest.NewRequest("GET", "http://127.0.0.1/", nil)
		req.URL = u
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s?%s: %d %s", path, query, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s?%s: %d with a non-JSON body %q", path, query, rec.Code, rec.Body)
		}
	})
}
