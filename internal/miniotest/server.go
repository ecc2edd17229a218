package miniotest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/testenv"
)

// Credentials of every test server.
const (
	AccessKey = "keascope-test"
	SecretKey = "keascope-test-secret"
)

// Server is one MinIO process and its data directory.
type Server struct {
	Binary  string
	Dir     string
	Addr    string // host:port of the S3 API
	cmd     *exec.Cmd
	done    chan struct{}
	logFile *os.File
}

// Binary finds the minio executable: $MINIO_BINARY, PATH, then GOPATH/bin
// where the test command installs it.
func Binary() (string, error) {
	if p := os.Getenv("MINIO_BINARY"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("minio"); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	p := filepath.Join(gopath, "bin", "minio")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("find minio: not on PATH nor in %s (./scripts/install-deps.sh installs it)", p)
	}
	return p, nil
}

// Start starts MinIO for the test and stops it when the test ends. It fails
// the test in CI, and skips it elsewhere, when MinIO is not installed.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		testenv.Unavailable(t, "%v", err)
	}
	s := &Server{Binary: bin, Dir: t.TempDir(), Addr: freeAddr(t)}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

// Endpoint is the URL of the S3 API.
func (s *Server) Endpoint() string { return "http://" + s.Addr }

// Start runs the server (again, after Stop) and waits until it is ready.
func (s *Server) Start() error {
	if s.cmd != nil {
		return fmt.Errorf("start minio: already running")
	}
	logFile, err := os.OpenFile(filepath.Join(s.Dir, "minio.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open minio log: %w", err)
	}
	cmd := exec.Command(s.Binary, "server", "--quiet", "--address", s.Addr,
		"--console-address", "127.0.0.1:0", filepath.Join(s.Dir, "data"))
	cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+AccessKey, "MINIO_ROOT_PASSWORD="+SecretKey,
		"MINIO_BROWSER=off", "MINIO_UPDATE=off", "MINIO_CI_CD=1")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("start minio: %w", err)
	}
	s.cmd, s.logFile, s.done = cmd, logFile, make(chan struct{})
	go func() { cmd.Wait(); close(s.done) }()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		if s.ready() {
			return nil
		}
		select {
		case <-s.done:
			s.cmd = nil
			logFile.Close()
			log, _ := os.ReadFile(logFile.Name())
			return fmt.Errorf("start minio: exited early: %s", tail(log))
		case <-ctx.Done():
			s.Stop()
			return fmt.Errorf("start minio: not ready after 60 s")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ready reports whether MinIO answers S3 requests: its health endpoint
// says ready a moment before S3 calls stop failing with "Server not
// initialized yet" (503), so an anonymous S3 request must get past that
// too (it is then refused for want of credentials, 403).
func (s *Server) ready() bool {
	resp, err := http.Get(s.Endpoint() + "/minio/health/ready")
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	resp, err = http.Get(s.Endpoint() + "/")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode != http.StatusServiceUnavailable
}

// Stop kills the server; its data stays for a later Start.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.done
	s.logFile.Close()
	s.cmd = nil
}

func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().String()
}

func tail(b []byte) string {
	if len(b) > 500 {
		b = b[len(b)-500:]
	}
	return string(b)
}
