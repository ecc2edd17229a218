package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/consumer"
	"github.com/keascope/keascope/internal/dataset"
	"github.com/keascope/keascope/internal/monitor"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// keascope builds the binary once per test run.
func keascope(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "keascope-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "keascope")
		out, err := exec.Command("go", "build", "-o", binPath, "../../cmd/keascope").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("build keascope: %v: %s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// proc is a running `keascope monitor`.
type proc struct {
	cmd     *exec.Cmd
	stderr  *syncBuf
	metrics string
	listen  string
	done    chan struct{}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func startMonitor(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{stderr: &syncBuf{}, metrics: freeAddr(t), listen: freeAddr(t), done: make(chan struct{})}
	all := append([]string{"monitor", "--metrics-listen", p.metrics, "--listen", p.listen, "--host", "kea-e2e"}, args...)
	p.cmd = exec.Command(keascope(t), all...)
	p.cmd.Stderr = p.stderr
	p.cmd.Env = os.Environ()
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.stop(syscall.SIGTERM) })
	return p
}

func (p *proc) stop(sig syscall.Signal) {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *proc) health(t *testing.T) monitor.Health {
	t.Helper()
	var h monitor.Health
	resp, err := http.Get("http://" + p.metrics + "/healthz")
	if err != nil {
		return h
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(&h)
	return h
}

func waitFor(t *testing.T, within time.Duration, what string, ok func() bool, logs func() string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s\nmonitor log:\n%s", within, what, logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// contents reads the announced version of a local store.
func contents(t *testing.T, dir string) (*dataset.Contents, int64) {
	t.Helper()
	st, err := blob.NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := consumer.New(st, consumer.Config{})
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatalf("read store: %v", err)
	}
	got, err := dataset.Decode(c.Current())
	if err != nil {
		t.Fatal(err)
	}
	return got, c.Version()
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
