package monitor

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is everything the monitor needs; it comes from an optional YAML
// file (keys as in deploy/monitor.example.yaml) with flags on top.
type Config struct {
	PID           int           `yaml:"pid"`
	KeaExe        string        `yaml:"kea_exe"`
	ControlSocket string        `yaml:"control_socket"`
	Interval      time.Duration `yaml:"interval"`
	Source        string        `yaml:"source"`
	Deep          bool          `yaml:"deep"`
	Store         string        `yaml:"store"`
	KeepSnapshots int           `yaml:"keep_snapshots"`
	SnapshotEvery int           `yaml:"snapshot_every"`
	Window        time.Duration `yaml:"window"`
	RollupWindow  time.Duration `yaml:"rollup_window"`
	Remote        string        `yaml:"remote"`
	S3Endpoint    string        `yaml:"s3_endpoint"`
	Listen        string        `yaml:"listen"`
	Token         string        `yaml:"token"`
	MetricsListen string        `yaml:"metrics_listen"`
	JSON          string        `yaml:"json"`
	// Host names this server in the dataset and in the remote prefix;
	// defaults to the machine's hostname.
	Host string `yaml:"host"`
}

// Defaults returns the configuration used where neither file nor flag
// says otherwise.
func Defaults() Config {
	return Config{
		KeaExe:        "kea-dhcp4",
		ControlSocket: "/run/kea/kea4-ctrl-socket",
		Interval:      time.Second,
		Source:        "auto",
		Store:         "/var/lib/keascope/hollow",
		KeepSnapshots: 5,
		SnapshotEvery: 60,
		Window:        time.Hour,
		RollupWindow:  24 * time.Hour,
		Listen:        "127.0.0.1:8080",
		MetricsListen: "127.0.0.1:9547",
	}
}

// LoadFile reads a YAML config over c. Unknown keys are errors, so a typo
// does not silently fall back to a default.
func (c *Config) LoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, errEOF) {
		return fmt.Errorf("parse config %s: %w", path, err)
	}
	return nil
}

// errEOF is what yaml returns for an empty file, which is a valid config.
var errEOF = func() error { return yaml.NewDecoder(strings.NewReader("")).Decode(new(any)) }()

// RegisterFlags binds every field to a flag on fs, with c's current values
// as defaults, so flags given on the command line override the file.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.PID, "pid", c.PID, "kea-dhcp4 process id (0: find it by --kea-exe)")
	fs.StringVar(&c.KeaExe, "kea-exe", c.KeaExe, "executable name or path of kea-dhcp4 to find")
	fs.StringVar(&c.ControlSocket, "control-socket", c.ControlSocket, "Kea's unix control socket (control source, subnet statistics)")
	fs.DurationVar(&c.Interval, "interval", c.Interval, "length of one interval, one Hollow version")
	fs.StringVar(&c.Source, "source", c.Source, "collector: auto (eBPF, else control socket), ebpf, control, or sample (synthetic, labelled)")
	fs.BoolVar(&c.Deep, "deep", c.Deep, "attach the deep probe set (per-phase uprobes)")
	fs.StringVar(&c.Store, "store", c.Store, "local Hollow store directory")
	fs.IntVar(&c.KeepSnapshots, "keep-snapshots", c.KeepSnapshots, "snapshots kept in the local store, with the deltas after the oldest")
	fs.IntVar(&c.SnapshotEvery, "snapshot-every", c.SnapshotEvery, "write a snapshot every N versions")
	fs.DurationVar(&c.Window, "window", c.Window, "fine-grained window kept in the dataset")
	fs.DurationVar(&c.RollupWindow, "rollup-window", c.RollupWindow, "per-minute roll-ups kept in the dataset")
	fs.StringVar(&c.Remote, "remote", c.Remote, "remote Hollow store, s3://BUCKET/PREFIX (credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")
	fs.StringVar(&c.S3Endpoint, "s3-endpoint", c.S3Endpoint, "S3 endpoint URL, e.g. http://127.0.0.1:9000")
	fs.StringVar(&c.Listen, "listen", c.Listen, "dashboard address (empty: no dashboard)")
	fs.StringVar(&c.Token, "token", c.Token, "bearer token for the dashboard (required off loopback)")
	fs.StringVar(&c.MetricsListen, "metrics-listen", c.MetricsListen, "Prometheus /metrics and /healthz address (empty: none)")
	fs.StringVar(&c.JSON, "json", c.JSON, "also write each interval as NDJSON to this file (- for stdout)")
	fs.StringVar(&c.Host, "host", c.Host, "server name in the dataset and remote prefix (default: hostname)")
}

// Validate reports the first thing wrong, naming it.
func (c *Config) Validate() error {
	switch c.Source {
	case "auto", "ebpf", "control", "sample":
	default:
		return fmt.Errorf("invalid source %q: want auto, ebpf, control or sample", c.Source)
	}
	if c.Interval < 100*time.Millisecond {
		return fmt.Errorf("invalid interval %v: at least 100ms", c.Interval)
	}
	if c.Store == "" {
		return errors.New("invalid store: a local directory is required")
	}
	if c.KeepSnapshots < 1 {
		return fmt.Errorf("invalid keep-snapshots %d: at least 1", c.KeepSnapshots)
	}
	if c.SnapshotEvery < 1 {
		return fmt.Errorf("invalid snapshot-every %d: at least 1", c.SnapshotEvery)
	}
	if c.Window < c.Interval {
		return fmt.Errorf("invalid window %v: shorter than the interval %v", c.Window, c.Interval)
	}
	if c.PID < 0 {
		return fmt.Errorf("invalid pid %d", c.PID)
	}
	if c.Remote != "" {
		if _, _, err := ParseRemote(c.Remote); err != nil {
			return err
		}
		if c.S3Endpoint == "" {
			return errors.New("invalid remote: --s3-endpoint is required with --remote")
		}
	}
	for name, addr := range map[string]string{"listen": c.Listen, "metrics-listen": c.MetricsListen} {
		if addr == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return fmt.Errorf("invalid %s %q: %w", name, addr, err)
		}
	}
	return nil
}

// ParseRemote splits s3://BUCKET/PREFIX.
func ParseRemote(s string) (bucket, prefix string, err error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return "", "", fmt.Errorf("invalid remote %q: want s3://BUCKET/PREFIX", s)
	}
	return u.Host, strings.Trim(u.Path, "/"), nil
}
