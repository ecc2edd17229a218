package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/consumer"
	"github.com/keascope/keascope/internal/dataset"
	"github.com/keascope/keascope/internal/sample"
)

func TestHollowImportPublishesOneVersionPerInterval(t *testing.T) {
	dir := t.TempDir()
	gen := sample.New(5, time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	var ndjson bytes.Buffer
	var discovers uint64
	for i := 0; i < 30; i++ {
		iv := gen.Next(time.Second)
		discovers += iv.Packets.Received["discover"]
		b, _ := json.Marshal(iv)
		ndjson.Write(append(b, '\n'))
	}
	in := filepath.Join(dir, "probe.ndjson")
	os.WriteFile(in, ndjson.Bytes(), 0o644)
	store := filepath.Join(dir, "hollow")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"hollow", "import", in, "--store", store, "--host", "kea-x"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "published 30 versions") {
		t.Fatalf("output %q", out.String())
	}
	st, _ := blob.NewFS(store)
	c := consumer.New(st, consumer.Config{})
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := dataset.Decode(c.Current())
	if err != nil {
		t.Fatal(err)
	}
	var sum uint64
	for _, iv := range got.Fine {
		sum += iv.Packets.Received["discover"]
	}
	if len(got.Fine) != 30 || sum != discovers || got.Server.Host != "kea-x" {
		t.Fatalf("%d intervals, %d discovers (want 30, %d), host %q", len(got.Fine), sum, discovers, got.Server.Host)
	}
	// The tool's own dump reads what import wrote.
	out.Reset()
	if code := run(context.Background(), []string{"hollow", "inspect", store}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "Interval") {
		t.Fatalf("inspect exit %d: %s %s", code, out.String(), errOut.String())
	}
}

func TestHollowImportRejectsBadLines(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "bad.ndjson")
	os.WriteFile(in, []byte("{\"ts\":\"2026-11-23T10:00:01Z\",\"source\":\"ebpf\",\"latency_us\":{\"count\":0}}\nnot json\n"), 0o644)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"hollow", "import", in, "--store", filepath.Join(dir, "h")}, &out, &errOut)
	if code == 0 || !strings.Contains(errOut.String(), "line 2") {
		t.Fatalf("exit %d, stderr %q: want an error naming line 2", code, errOut.String())
	}
	code = run(context.Background(), []string{"hollow", "import", filepath.Join(dir, "missing"), "--store", dir}, &out, &errOut)
	if code == 0 {
		t.Fatal("a missing file was accepted")
	}
}
