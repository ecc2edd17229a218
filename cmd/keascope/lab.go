package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/keascope/keascope/internal/lab"
)

const labUsage = `usage: keascope lab up|load|down [flags]

  up    start a lab (network namespaces ksc-NAME-s/-c, kea-dhcp4 in the
        server one) and return, leaving it running; with --wait, block
        until Ctrl-C and then tear it down
  load  run perfdhcp in a running lab and print its report as JSON
  down  tear a lab down (Kea, namespaces, veth, registration); with
        --stale, remove every lab whose owner is gone

Labs are registered in --state (default ` + lab.DefaultStateDir + `). Needs root.
Run 'keascope lab <sub> --help' for its flags.
`

func runLab(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, labUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	switch args[0] {
	case "up":
		return labUp(ctx, args[1:], stdout, stderr)
	case "load":
		return labLoad(ctx, args[1:], stdout, stderr)
	case "down":
		return labDown(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "keascope lab: unknown subcommand %q (try keascope lab --help)\n", args[0])
	return 2
}

func labFlags(name string, stderr io.Writer) (*flag.FlagSet, *string, *string) {
	fs := flag.NewFlagSet("keascope lab "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.String("name", "demo", "lab name, 1-8 characters [a-z0-9]")
	state := fs.String("state", lab.DefaultStateDir, "directory where labs are registered")
	return fs, n, state
}

func labUp(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, name, state := labFlags("up", stderr)
	socket := fs.String("socket", "udp", "Kea's dhcp-socket-type: udp or raw")
	mt := fs.Bool("mt", false, "enable Kea's multi-threading")
	threads := fs.Int("threads", 0, "Kea's thread-pool-size with --mt (0: Kea decides)")
	queue := fs.Int("queue", 0, "Kea's packet-queue-size with --mt (0: 64)")
	workdir := fs.String("workdir", "", "directory for kea.json, kea.log and the control socket (default: a new temporary one, removed by down)")
	kea := fs.String("kea", "kea-dhcp4", "kea-dhcp4 binary")
	perf := fs.String("perfdhcp", "perfdhcp", "perfdhcp binary")
	severity := fs.String("log-severity", "WARN", "Kea's log severity")
	wait := fs.Bool("wait", false, "stay in the foreground until Ctrl-C, then tear the lab down")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	l, err := lab.Start(ctx, lab.Config{
		Name: *name, SocketType: *socket, MultiThreading: *mt, Threads: *threads, QueueSize: *queue,
		KeaBinary: *kea, PerfdhcpBinary: *perf, WorkDir: *workdir, StateDir: *state, LogSeverity: *severity,
	})
	if err != nil {
		fmt.Fprintf(stderr, "keascope lab up: %v\n", err)
		return 1
	}
	info := map[string]any{
		"name": l.Name(), "kea_pid": l.KeaPID(), "control_socket": l.ControlSocket(),
		"server_ns": l.ServerNS(), "client_ns": l.ClientNS(), "client_iface": l.ClientIface(),
		"server_addr": l.ServerAddr(), "work_dir": l.WorkDir(), "socket_type": l.Config().SocketType,
	}
	if !*wait {
		if err := l.Detach(); err != nil {
			l.Close()
			fmt.Fprintf(stderr, "keascope lab up: %v\n", err)
			return 1
		}
		writeJSON(stdout, info)
		return 0
	}
	writeJSON(stdout, info)
	<-ctx.Done()
	if err := l.Close(); err != nil {
		fmt.Fprintf(stderr, "keascope lab up: %v\n", err)
		return 1
	}
	return 0
}

func labLoad(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, name, state := labFlags("load", stderr)
	rate := fs.Int("rate", 500, "DORA exchanges per second")
	clients := fs.Int("clients", 1000, "simulated clients (MAC addresses)")
	dur := fs.Duration("duration", 10*time.Second, "how long to send (whole seconds)")
	mode := fs.String("mode", "", "relay or direct (default: relay for udp labs, direct for raw)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	l, err := lab.Attach(*name, *state)
	if err != nil {
		fmt.Fprintf(stderr, "keascope lab load: %v\n", err)
		return 1
	}
	rep, err := l.RunPerfdhcp(ctx, lab.Load{Rate: *rate, Clients: *clients, Duration: *dur, Mode: *mode})
	if err != nil {
		fmt.Fprintf(stderr, "keascope lab load: %v\n", err)
		return 1
	}
	writeJSON(stdout, rep)
	return 0
}

func labDown(args []string, stdout, stderr io.Writer) int {
	fs, name, state := labFlags("down", stderr)
	stale := fs.Bool("stale", false, "remove every lab whose owner is gone instead of --name")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *stale {
		if err := lab.Cleanup(*state); err != nil {
			fmt.Fprintf(stderr, "keascope lab down: %v\n", err)
			return 1
		}
		return 0
	}
	l, err := lab.Attach(*name, *state)
	if err != nil {
		fmt.Fprintf(stderr, "keascope lab down: %v\n", err)
		return 1
	}
	if err := l.Close(); err != nil {
		fmt.Fprintf(stderr, "keascope lab down: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "lab %s removed\n", *name)
	return 0
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
