package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/keascope/keascope/internal/metrics"
	"github.com/keascope/keascope/internal/probe"
)

func runProbe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pid := fs.Int("pid", 0, "PID of the kea-dhcp4 to watch (default: find the only kea-dhcp4)")
	match := fs.String("config", "", "pick the kea-dhcp4 whose command line contains this (e.g. its -c path)")
	exe := fs.String("exe", "kea-dhcp4", "executable name to look for without --pid")
	interval := fs.Duration("interval", time.Second, "length of one interval record")
	events := fs.Bool("events", false, "print one JSON object per packet instead of per interval")
	deep := fs.Bool("deep", false, "add uprobes: per-phase times, Kea counters, exceptions, error logs")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: keascope probe [--pid PID] [--config PATH] [--interval 1s] [--events] [--deep]\n\n"+
			"Prints one JSON object per interval (NDJSON, see docs/metrics.md) until SIGINT/SIGTERM.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *interval < 10*time.Millisecond {
		fmt.Fprintln(stderr, "keascope probe: --interval must be at least 10ms")
		return 2
	}
	enc := json.NewEncoder(stdout)
	cfg := probe.Config{
		PID: *pid, Exe: *exe, Match: *match, Interval: *interval, Deep: *deep,
		Status: func(s string) { fmt.Fprintln(stderr, "keascope probe:", s) },
	}
	if *events {
		cfg.Events = func(e probe.Event) { _ = enc.Encode(e) }
	}
	p, err := probe.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "keascope probe: %v\n", err)
		if errors.Is(err, probe.ErrPermission) {
			fmt.Fprintln(stderr, "keascope probe: run as root, or grant CAP_BPF, CAP_PERFMON and CAP_SYS_PTRACE")
		}
		return 1
	}
	defer p.Close()
	warned := false
	emit := func(iv *metrics.Interval) {
		if !iv.Kea.Up && !warned {
			fmt.Fprintln(stderr, "keascope probe: no kea-dhcp4 running yet; waiting for one")
			warned = true
		}
		if iv.Kea.Up {
			warned = false
		}
		if !*events {
			_ = enc.Encode(iv)
		}
	}
	if err := p.Run(ctx, emit); err != nil {
		fmt.Fprintf(stderr, "keascope probe: %v\n", err)
		return 1
	}
	return 0
}
