// Command keascope measures a running ISC Kea DHCPv4 server with eBPF, stores
// the metrics as a versioned Netflix Hollow dataset and serves a live
// dashboard. Each subcommand lives in a file of its own.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand: it parses its own flags from args and returns
// the process exit code. ctx is cancelled on SIGINT or SIGTERM.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{
	"probe":     {"measure kea-dhcp4 with eBPF and print NDJSON per interval", runProbe},
	"monitor":   {"collect, publish Hollow versions, serve /metrics and the dashboard", runMonitor},
	"dashboard": {"serve the dashboard from a Hollow store (local dir or S3)", runDashboard},
	"hollow":    {"inspect, dump, diff and import Hollow blobs and stores", runHollow},
	"lab":       {"start a Kea lab in network namespaces and load it with perfdhcp", runLab},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "keascope: unknown command %q (try keascope --help)\n", args[0])
		return 2
	}
	return cmd.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: keascope <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'keascope <command> --help' for a command's flags.")
}
