package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/keascope/keascope/internal/dashboard"
)

// openSource opens the Hollow-backed dashboard Source over a local store
// directory or an S3 remote. It is a variable so the dataset consumer can
// be wired in (and replaced in tests) without touching the command.
var openSource = func(ctx context.Context, storeDir, remote, endpoint string) (dashboard.Source, error) {
	return nil, errors.New("hollow store source not built yet")
}

func runDashboard(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("keascope dashboard", flag.ContinueOnError)
	fs.SetOutput(stderr)
	store := fs.String("store", "", "local Hollow store `DIR` to read")
	remote := fs.String("remote", "", "remote Hollow store `s3://BUCKET/PREFIX` to read")
	endpoint := fs.String("s3-endpoint", "", "S3 endpoint `URL` for --remote (e.g. http://127.0.0.1:9000)")
	listen := fs.String("listen", "127.0.0.1:8080", "`ADDR` to serve on; non-loopback needs --token")
	token := fs.String("token", "", "bearer `TOKEN` required on every request (also $KEASCOPE_DASHBOARD_TOKEN)")
	sampleData := fs.Bool("sample", false, "serve live synthetic sample data (clearly labelled) instead of a store")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: keascope dashboard --store DIR | --remote s3://BUCKET/PREFIX --s3-endpoint URL | --sample\n       [--listen 127.0.0.1:8080] [--token T]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "keascope dashboard: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *token == "" {
		*token = os.Getenv("KEASCOPE_DASHBOARD_TOKEN")
	}
	chosen := 0
	for _, set := range []bool{*store != "", *remote != "", *sampleData} {
		if set {
			chosen++
		}
	}
	if chosen != 1 {
		fmt.Fprintln(stderr, "keascope dashboard: give exactly one of --store, --remote or --sample")
		return 2
	}
	if *remote != "" && *endpoint == "" {
		fmt.Fprintln(stderr, "keascope dashboard: --remote needs --s3-endpoint")
		return 2
	}
	if err := dashboard.CheckListen(*listen, *token); err != nil {
		fmt.Fprintf(stderr, "keascope dashboard: %v (pass --token)\n", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil)).With("component", "dashboard")

	var src dashboard.Source
	if *sampleData {
		mem := dashboard.NewMemorySource(900)
		host, _ := os.Hostname()
		feed := dashboard.NewSampleFeed(mem, "sample@"+host, time.Now().UnixNano(), time.Now(), 24*time.Hour)
		feed.Publish()
		go feed.Run(ctx, time.Second)
		src = mem
		log.Warn("serving SAMPLE data: synthetic numbers, not measurements")
	} else {
		s, err := openSource(ctx, *store, *remote, *endpoint)
		if err != nil {
			fmt.Fprintf(stderr, "keascope dashboard: open store: %v\n", err)
			return 1
		}
		src = s
	}

	srv, err := dashboard.New(dashboard.Options{Source: src, Token: *token, Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "keascope dashboard: %v\n", err)
		return 1
	}
	ln, err := dashboard.Listen(*listen, *token)
	if err != nil {
		fmt.Fprintf(stderr, "keascope dashboard: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "keascope dashboard: http://%s/\n", ln.Addr())
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "keascope dashboard: %v\n", err)
		return 1
	}
	return 0
}
