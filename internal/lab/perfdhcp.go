package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"time"
)

// Load is one perfdhcp run: DORA exchanges at Rate per second from Clients
// simulated clients (MAC addresses) for Duration.
type Load struct {
	Rate     int
	Clients  int
	Duration time.Duration
	// Mode is "relay" (perfdhcp acts as a relay agent and unicasts to
	// Kea), "direct" (broadcast as directly connected clients) or empty:
	// relay in udp mode, where Kea cannot answer broadcast clients, and
	// direct in raw mode. Raw mode handles both.
	Mode string
	// DropTime is how long perfdhcp waits for an answer before counting
	// the request as dropped (default 2 s; perfdhcp's own default, 1 s,
	// counts a busy machine's scheduling delays as drops).
	DropTime time.Duration
	// ExitWait is how long perfdhcp keeps receiving after it stops sending,
	// so answers in flight at the end are not counted as drops (default
	// 500 ms).
	ExitWait time.Duration
	// Args are extra perfdhcp arguments, placed before the server address.
	Args []string
}

// RunPerfdhcp runs perfdhcp in the client namespace and parses its report.
// perfdhcp exits non-zero when packets were lost; that is a report, not an
// error. It is an error when no report was printed.
func (l *Lab) RunPerfdhcp(ctx context.Context, ld Load) (*PerfReport, error) {
	if ld.Rate <= 0 || ld.Duration < time.Second {
		return nil, fmt.Errorf("run perfdhcp: rate %d, duration %v: need rate > 0 and duration >= 1s", ld.Rate, ld.Duration)
	}
	if l.perfPath == "" {
		return nil, fmt.Errorf("run perfdhcp: %s not found (apt-get install kea-admin)", l.cfg.PerfdhcpBinary)
	}
	args := []string{"netns", "exec", l.ClientNS(), l.perfPath, "-4", "-l", l.ClientIface(),
		"-r", strconv.Itoa(ld.Rate), "-p", strconv.Itoa(int(ld.Duration / time.Second))}
	if ld.DropTime <= 0 {
		ld.DropTime = 2 * time.Second
	}
	if ld.ExitWait <= 0 {
		ld.ExitWait = 500 * time.Millisecond
	}
	args = append(args, "-d", strconv.FormatFloat(ld.DropTime.Seconds(), 'f', 3, 64),
		"-W", strconv.FormatInt(ld.ExitWait.Microseconds(), 10))
	if ld.Clients > 0 {
		args = append(args, "-R", strconv.Itoa(ld.Clients))
	}
	args = append(args, ld.Args...)
	mode := ld.Mode
	if mode == "" {
		mode = "relay"
		if l.cfg.SocketType == "raw" {
			mode = "direct"
		}
	}
	switch mode {
	case "relay":
		args = append(args, ServerIP)
	case "direct":
	default:
		return nil, fmt.Errorf("run perfdhcp: mode %q: use relay or direct", ld.Mode)
	}
	cmd := exec.CommandContext(ctx, "ip", args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	rep, err := ParsePerfdhcp(out.Bytes())
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("run perfdhcp: %w", ctx.Err())
		}
		return nil, fmt.Errorf("run perfdhcp: %w: %v: %s", err, runErr, lastLine(out.Bytes()))
	}
	var ee *exec.ExitError
	if errors.As(runErr, &ee) {
		rep.ExitCode = ee.ExitCode()
	}
	return rep, nil
}

func lastLine(b []byte) string {
	b = bytes.TrimSpace(b)
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		b = b[i+1:]
	}
	return string(b)
}
