package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMonitorBadInputIsOneClearLine(t *testing.T) {
	dir := t.TempDir()
	badYAML := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badYAML, []byte("interval: [1s\n"), 0o644)
	unknownKey := filepath.Join(dir, "typo.yaml")
	os.WriteFile(unknownKey, []byte("intervall: 1s\n"), 0o644)
	// A store whose announced version points at a corrupt snapshot.
	corrupt := filepath.Join(dir, "corrupt")
	os.MkdirAll(corrupt, 0o755)
	os.WriteFile(filepath.Join(corrupt, "announced.version"), []byte("20261123000000001"), 0o644)
	os.WriteFile(filepath.Join(corrupt, "snapshot-20261123000000001"), []byte("\x00\x00\x04\x06garbage"), 0o644)

	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing config", []string{"--config", filepath.Join(dir, "nope.yaml")}, "read config"},
		{"broken YAML", []string{"--config", badYAML}, "parse config"},
		{"unknown key", []string{"--config", unknownKey}, "intervall"},
		{"bad source", []string{"--source", "magic"}, "invalid source"},
		{"remote without endpoint", []string{"--remote", "s3://b/p"}, "--s3-endpoint"},
		{"open dashboard", []string{"--listen", "0.0.0.0:8080", "--store", dir}, "token"},
		{"corrupt store", []string{"--store", corrupt, "--source", "sample", "--listen", "", "--metrics-listen", ""}, "open local store"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var out, errOut bytes.Buffer
			code := run(ctx, append([]string{"monitor"}, c.args...), &out, &errOut)
			if code == 0 || !strings.Contains(errOut.String(), c.want) {
				t.Fatalf("exit %d, stderr %q: want an error mentioning %q", code, errOut.String(), c.want)
			}
			if strings.Contains(errOut.String(), "goroutine ") {
				t.Fatalf("a panic reached the user: %s", errOut.String())
			}
		})
	}
	// Nothing already stored was touched.
	if b, _ := os.ReadFile(filepath.Join(corrupt, "announced.version")); string(b) != "20261123000000001" {
		t.Fatalf("announced.version changed to %q", b)
	}
}
