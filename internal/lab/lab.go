package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/keascope/keascope/internal/keactl"
)

var (
	// ErrNotRoot: namespaces and Kea's sockets need root.
	ErrNotRoot = errors.New("lab needs root to create network namespaces (run as root or with sudo)")
	// ErrExists: a live lab already uses the name.
	ErrExists = errors.New("lab already running")
	// ErrNotFound: no registered lab has the name.
	ErrNotFound = errors.New("no such lab")
	// ErrClosed: the lab was closed.
	ErrClosed = errors.New("lab closed")
)

// Lab is a running lab. Its methods are safe for concurrent use.
type Lab struct {
	cfg       Config
	keaPath   string
	perfPath  string
	ctl       *keactl.Client
	ownWork   bool
	ownerPID  int
	ownStart  uint64
	detached  bool
	mu        sync.Mutex
	kea       *keaProc
	closed    bool
	closeErr  error
	closeOnce sync.Once
}

// Start builds a lab and returns once Kea answers on its control socket.
// On failure nothing of the lab is left behind. Start first removes the
// remains of crashed labs (see Cleanup).
func Start(ctx context.Context, cfg Config) (*Lab, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if os.Geteuid() != 0 {
		return nil, ErrNotRoot
	}
	l := &Lab{cfg: cfg, ownerPID: os.Getpid()}
	l.ownStart, _ = procStart(l.ownerPID)
	if l.keaPath, err = exec.LookPath(cfg.KeaBinary); err != nil {
		return nil, fmt.Errorf("find Kea: %s not found (apt-get install kea-dhcp4-server, or set the Kea binary path)", cfg.KeaBinary)
	}
	if l.perfPath, err = exec.LookPath(cfg.PerfdhcpBinary); err != nil {
		return nil, fmt.Errorf("find perfdhcp: %s not found (apt-get install kea-admin, or set the perfdhcp binary path)", cfg.PerfdhcpBinary)
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return nil, errors.New("find ip: not found (apt-get install iproute2)")
	}
	if err := Cleanup(cfg.StateDir); err != nil {
		return nil, err
	}
	if _, err := readEntry(cfg.StateDir, cfg.Name); err == nil || nsExists(serverNS(cfg.Name)) || nsExists(clientNS(cfg.Name)) {
		return nil, fmt.Errorf("start lab %s: %w (pick another name, or run: keascope lab down --name %s)", cfg.Name, ErrExists, cfg.Name)
	}
	if cfg.WorkDir == "" {
		if l.cfg.WorkDir, err = os.MkdirTemp("", "keascope-lab-"+cfg.Name+"-"); err != nil {
			return nil, fmt.Errorf("make work dir: %w", err)
		}
		l.ownWork = true
	} else if err := os.MkdirAll(cfg.WorkDir, 0o755); err != nil {
		return nil, fmt.Errorf("make work dir: %w", err)
	}
	if abs, err := filepath.Abs(l.cfg.WorkDir); err == nil {
		l.cfg.WorkDir = abs
	}
	// sun_path holds 108 bytes
	if n := len(l.ControlSocket()); n >= 100 {
		l.removeWorkDir()
		return nil, fmt.Errorf("control socket path %s is %d bytes, unix sockets allow 107: use a shorter work dir", l.ControlSocket(), n)
	}
	l.ctl = keactl.New(l.ControlSocket())
	// register before creating anything, so a crash at any later point
	// leaves something Cleanup can find
	if err := l.register(); err != nil {
		l.removeWorkDir()
		return nil, err
	}
	if err := l.build(ctx); err != nil {
		return nil, errors.Join(err, l.Close())
	}
	return l, nil
}

func (l *Lab) build(ctx context.Context) error {
	if err := buildNetwork(l.cfg.Name); err != nil {
		return err
	}
	b, err := keaConfig(l.cfg)
	if err != nil {
		return fmt.Errorf("render kea config: %w", err)
	}
	if err := os.WriteFile(l.configPath(), b, 0o644); err != nil {
		return fmt.Errorf("write kea config: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.startKea(ctx)
}

func (l *Lab) register() error {
	e := entry{Config: l.cfg, OwnerPID: l.ownerPID, OwnerStart: l.ownStart, Detached: l.detached, OwnWorkDir: l.ownWork}
	if l.kea != nil {
		e.KeaPID, e.KeaStart = l.kea.pid, l.kea.start
	}
	return writeEntry(e)
}

// Detach hands the lab over to its Kea: after the calling process exits,
// Cleanup keeps the lab while Kea runs, and `keascope lab down` (Attach,
// Close) removes it.
func (l *Lab) Detach() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.detached = true
	return l.register()
}

// Attach returns a lab that another process started and registered under
// stateDir (empty: DefaultStateDir). Closing it tears the lab down.
func Attach(name, stateDir string) (*Lab, error) {
	if stateDir == "" {
		stateDir = DefaultStateDir
	}
	e, err := readEntry(stateDir, name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("attach lab %s: %w (start one with: keascope lab up --name %s)", name, ErrNotFound, name)
	}
	if err != nil {
		return nil, err
	}
	l := &Lab{cfg: e.Config, ownerPID: e.OwnerPID, ownStart: e.OwnerStart, detached: e.Detached, ownWork: e.OwnWorkDir}
	l.keaPath, _ = exec.LookPath(e.Config.KeaBinary)
	l.perfPath, _ = exec.LookPath(e.Config.PerfdhcpBinary)
	l.ctl = keactl.New(l.ControlSocket())
	if running(e.KeaPID, e.KeaStart) {
		l.kea = &keaProc{pid: e.KeaPID, start: e.KeaStart}
	}
	return l, nil
}

// Close stops Kea and removes the namespaces, the veth pair, the
// registration and a work directory Start made. It is idempotent.
func (l *Lab) Close() error {
	l.closeOnce.Do(func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.closed = true
		l.stopKea(syscall.SIGTERM)
		var errs []error
		if err := removeNetwork(l.cfg.Name); err != nil {
			errs = append(errs, err)
		}
		if err := os.Remove(entryPath(l.cfg.StateDir, l.cfg.Name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		l.removeWorkDir()
		if err := errors.Join(errs...); err != nil {
			l.closeErr = fmt.Errorf("close lab %s: %w", l.cfg.Name, err)
		}
	})
	return l.closeErr
}

func (l *Lab) removeWorkDir() {
	if l.ownWork {
		os.RemoveAll(l.cfg.WorkDir)
	}
}

// Config is the lab's configuration with defaults filled in.
func (l *Lab) Config() Config { return l.cfg }

// Name is the lab's name.
func (l *Lab) Name() string { return l.cfg.Name }

// WorkDir holds kea.json, kea.log, kea.out and the control socket.
func (l *Lab) WorkDir() string { return l.cfg.WorkDir }

// ControlSocket is Kea's unix control socket.
func (l *Lab) ControlSocket() string { return controlSocket(l.cfg.WorkDir) }

// Control is a client for Kea's control socket.
func (l *Lab) Control() *keactl.Client { return l.ctl }

// Stats is Kea's statistic-get-all.
func (l *Lab) Stats(ctx context.Context) (keactl.Stats, error) { return l.ctl.StatisticGetAll(ctx) }

// ServerNS and ClientNS are the namespaces' names (for ip netns exec).
func (l *Lab) ServerNS() string { return serverNS(l.cfg.Name) }
func (l *Lab) ClientNS() string { return clientNS(l.cfg.Name) }

// ServerIface and ClientIface are the veth ends in those namespaces.
func (l *Lab) ServerIface() string { return serverIface(l.cfg.Name) }
func (l *Lab) ClientIface() string { return clientIface(l.cfg.Name) }

// ServerAddr is Kea's address (ServerIP); ClientAddr the client's (ClientIP).
func (l *Lab) ServerAddr() string { return ServerIP }
func (l *Lab) ClientAddr() string { return ClientIP }

func (l *Lab) configPath() string { return filepath.Join(l.cfg.WorkDir, "kea.json") }

// ConfigPath is the Kea configuration file the lab wrote.
func (l *Lab) ConfigPath() string { return l.configPath() }

// LogPath is Kea's log file.
func (l *Lab) LogPath() string { return filepath.Join(l.cfg.WorkDir, "kea.log") }
