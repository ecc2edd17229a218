package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// keaProc is a kea-dhcp4 this process started, or (after Attach) one it
// knows by PID only.
type keaProc struct {
	pid    int
	start  uint64
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd.Wait returns; nil after Attach
}

// startKea starts kea-dhcp4 in the server namespace. `ip netns exec` execs
// Kea in place, so the child's PID is Kea's. Kea gets its own process
// group: a Ctrl-C in the terminal reaches keascope, which then stops Kea
// in order, rather than Kea dying under a half-torn-down lab.
func (l *Lab) startKea(ctx context.Context) error {
	os.Remove(l.ControlSocket()) // a stale socket would look like a live Kea
	out, err := os.OpenFile(filepath.Join(l.cfg.WorkDir, "kea.out"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("start kea-dhcp4: %w", err)
	}
	defer out.Close()
	cmd := exec.Command("ip", "netns", "exec", l.ServerNS(), l.keaPath, "-c", l.configPath())
	// pid and lock files per lab, so that several Keas do not collide
	cmd.Env = append(os.Environ(), "KEA_PIDFILE_DIR="+l.cfg.WorkDir, "KEA_LOCKFILE_DIR="+l.cfg.WorkDir)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start kea-dhcp4: %w", err)
	}
	p := &keaProc{pid: cmd.Process.Pid, cmd: cmd, exited: make(chan struct{})}
	p.start, _ = procStart(p.pid)
	go func() { cmd.Wait(); close(p.exited) }()
	l.kea = p
	if err := l.waitReady(ctx); err != nil {
		l.stopKea(syscall.SIGKILL)
		return err
	}
	return l.register()
}

// waitReady polls the control socket until Kea answers, Kea exits or the
// start timeout passes.
func (l *Lab) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, l.cfg.StartTimeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		pctx, pcancel := context.WithTimeout(ctx, time.Second)
		_, _, err := l.ctl.VersionGet(pctx)
		pcancel()
		if err == nil {
			return nil
		}
		select {
		case <-l.kea.exited:
			return fmt.Errorf("start kea-dhcp4: exited at once: %s (see %s)", l.lastLog(), l.cfg.WorkDir)
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("start kea-dhcp4: no answer on %s within %v: %s", l.ControlSocket(), l.cfg.StartTimeout, l.lastLog())
			}
			return fmt.Errorf("start kea-dhcp4: %w", ctx.Err())
		case <-tick.C:
		}
	}
}

// lastLog is the last line Kea wrote, for one-line errors.
func (l *Lab) lastLog() string {
	var last string
	for _, f := range []string{"kea.out", "kea.log"} {
		b, _ := os.ReadFile(filepath.Join(l.cfg.WorkDir, f))
		b = bytes.TrimSpace(b)
		if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
		if len(b) > 0 {
			last = string(b)
		}
	}
	if last == "" {
		return "no output"
	}
	return last
}

// stopKea sends sig, waits up to 3 s for Kea to go, then SIGKILLs it.
func (l *Lab) stopKea(sig syscall.Signal) {
	p := l.kea
	if p == nil {
		return
	}
	l.kea = nil
	if p.exited == nil { // attached: only the PID is known
		if !running(p.pid, p.start) {
			return
		}
		syscall.Kill(p.pid, sig)
		for i := 0; i < 60 && running(p.pid, p.start); i++ {
			time.Sleep(50 * time.Millisecond)
		}
		if running(p.pid, p.start) {
			syscall.Kill(p.pid, syscall.SIGKILL)
		}
		return
	}
	select {
	case <-p.exited:
		return
	default:
	}
	p.cmd.Process.Signal(sig)
	select {
	case <-p.exited:
	case <-time.After(3 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

// KillKea SIGKILLs Kea, as a crash would, and waits until it is gone.
func (l *Lab) KillKea() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopKea(syscall.SIGKILL)
}

// RestartKea stops Kea (SIGTERM) if it runs and starts it again with the
// same configuration; Kea then has a new PID and fresh statistics.
func (l *Lab) RestartKea(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	l.stopKea(syscall.SIGTERM)
	return l.startKea(ctx)
}

// KeaPID is the running kea-dhcp4's PID, 0 when Kea is not running.
func (l *Lab) KeaPID() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.kea == nil {
		return 0
	}
	if l.kea.exited != nil {
		select {
		case <-l.kea.exited:
			return 0
		default:
		}
	} else if !running(l.kea.pid, l.kea.start) {
		return 0
	}
	return l.kea.pid
}
