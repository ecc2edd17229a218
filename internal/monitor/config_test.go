package monitor

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestConfigFileThenFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.yaml")
	os.WriteFile(path, []byte("interval: 2s\nsource: control\nstore: /tmp/x\nremote: s3://b/p\ns3_endpoint: http://127.0.0.1:9\n"), 0o644)
	c := Defaults()
	if err := c.LoadFile(path); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	c.RegisterFlags(fs)
	if err := fs.Parse([]string{"--source", "sample"}); err != nil {
		t.Fatal(err)
	}
	if c.Interval != 2*time.Second || c.Source != "sample" || c.Store != "/tmp/x" {
		t.Fatalf("got %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	b, p, _ := ParseRemote(c.Remote)
	if b != "b" || p != "p" {
		t.Fatalf("remote %q %q", b, p)
	}
}

func TestConfigErrorsNameTheProblem(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("intervall: 1s\n"), 0o644)
	c := Defaults()
	if err := c.LoadFile(bad); err == nil || !strings.Contains(err.Error(), "intervall") {
		t.Errorf("unknown key: %v", err)
	}
	if err := c.LoadFile(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "read config") {
		t.Errorf("missing file: %v", err)
	}
	empty := filepath.Join(dir, "empty.yaml")
	os.WriteFile(empty, nil, 0o644)
	if err := c.LoadFile(empty); err != nil {
		t.Errorf("empty file: %v", err)
	}

	cases := []struct {
		mut  func(*Config)
		want string
	}{
		{func(c *Config) { c.Source = "magic" }, "invalid source"},
		{func(c *Config) { c.Interval = time.Millisecond }, "invalid interval"},
		{func(c *Config) { c.Store = "" }, "invalid store"},
		{func(c *Config) { c.Remote = "http://x" }, "invalid remote"},
		{func(c *Config) { c.Remote = "s3://b/p" }, "--s3-endpoint"},
		{func(c *Config) { c.Listen = "nonsense" }, "invalid listen"},
		{func(c *Config) { c.KeepSnapshots = 0 }, "keep-snapshots"},
	}
	for _, tc := range cases {
		c := Defaults()
		tc.mut(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want error with %q, got %v", tc.want, err)
		}
	}
}
