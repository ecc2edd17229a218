package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/hollowcli"
	"github.com/keascope/keascope/internal/dashboard"
	"github.com/keascope/keascope/internal/dataset"
	"github.com/keascope/keascope/internal/metrics"
)

func runHollow(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// import needs keascope's dataset layout; the rest of the tool reads
	// any Hollow data and lives with the Hollow library.
	hollowcli.Commands["import"] = hollowcli.Command{
		Summary: "turn the probe's NDJSON into Hollow versions, one per interval",
		Run: func(args []string, stdout, stderr io.Writer) int {
			return runImport(ctx, args, stdout, stderr)
		},
	}
	return hollowcli.Main(args, stdout, stderr)
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("keascope hollow import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	store := fs.String("store", "", "Hollow store `DIR` to publish into (created if missing; an existing chain continues)")
	host := fs.String("host", "", "server name in the dataset (default: hostname)")
	window := fs.Duration("window", time.Hour, "fine-grained window kept in each version")
	rollup := fs.Duration("rollup-window", 24*time.Hour, "per-minute roll-ups kept")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: keascope hollow import FILE.ndjson|- --store DIR [--host NAME]")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if len(pos) != 1 || *store == "" {
		fs.Usage()
		return 2
	}
	if *host == "" {
		*host, _ = os.Hostname()
	}
	in := io.Reader(os.Stdin)
	if name := pos[0]; name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "keascope hollow import: %v\n", err)
			return 1
		}
		defer f.Close()
		in = f
	}
	n, last, err := importNDJSON(ctx, in, *store, *host, *window, *rollup)
	if err != nil {
		fmt.Fprintf(stderr, "keascope hollow import: %v (%d versions published before it)\n", err, n)
		return 1
	}
	fmt.Fprintf(stdout, "published %d versions into %s, last %d\n", n, *store, last)
	return 0
}

// importNDJSON publishes one version per interval line. Versions are minted
// from the intervals' own times, so the history reads as recorded.
func importNDJSON(ctx context.Context, in io.Reader, dir, host string, window, rollup time.Duration) (int, int64, error) {
	st, err := blob.NewFS(dir)
	if err != nil {
		return 0, 0, err
	}
	var at time.Time
	pub, err := dataset.NewPublisher(ctx, st, dataset.PublisherConfig{Host: host, FineSpan: window, MinuteSpan: rollup,
		Now: func() time.Time { return at }})
	if err != nil {
		return 0, 0, err
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	n, line := 0, 0
	var last int64
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var iv metrics.Interval
		if err := json.Unmarshal(sc.Bytes(), &iv); err != nil {
			return n, last, fmt.Errorf("line %d: %w", line, err)
		}
		if iv.End.IsZero() || iv.Source == "" {
			return n, last, fmt.Errorf("line %d: not an interval record (no ts or source)", line)
		}
		if iv.Packets.Received == nil {
			iv.Packets.Received = map[string]uint64{}
		}
		if iv.Packets.Sent == nil {
			iv.Packets.Sent = map[string]uint64{}
		}
		at = iv.End
		info := dashboard.ServerInfo{Host: host, KeaVersion: iv.Kea.Version, PID: iv.Kea.PID, SocketMode: iv.Kea.SocketMode,
			Threads: iv.Kea.Threads, StoreMode: "local-only", Source: iv.Source}
		v, err := pub.Publish(ctx, &iv, info)
		if err != nil {
			return n, last, fmt.Errorf("line %d: %w", line, err)
		}
		if v != last {
			n++
			last = v
		}
	}
	if err := sc.Err(); err != nil {
		return n, last, fmt.Errorf("read line %d: %w", line+1, err)
	}
	return n, last, nil
}

// parseInterleaved parses flags given before or after the positional
// arguments (the flag package stops at the first positional one).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
