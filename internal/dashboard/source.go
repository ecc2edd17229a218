package dashboard

import (
	"context"
	"errors"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// ErrUnknownVersion is returned by Source.At for a version the store does
// not retain.
var ErrUnknownVersion = errors.New("unknown version")

// ErrUnknownServer is returned for a server that publishes nothing here.
var ErrUnknownServer = errors.New("unknown server")

// Source is where the dashboard's data comes from: the Hollow consumer of the
// monitor's store in production (internal/dataset), an in-memory list in
// tests. Each server (one kea-dhcp4 and its monitor) publishes its own chain
// of versions.
type Source interface {
	// Servers lists the servers that publish, sorted.
	Servers(ctx context.Context) ([]string, error)
	// Latest is the newest version of a server's data.
	Latest(ctx context.Context, server string) (*Snapshot, error)
	// At is the server's data as it was at a retained version.
	At(ctx context.Context, server string, version int64) (*Snapshot, error)
	// Versions lists the retained versions of a server, oldest first.
	Versions(ctx context.Context, server string) ([]VersionInfo, error)
	// Watch reports each new version as it is seen, until ctx ends.
	Watch(ctx context.Context) <-chan Update
}

// Update says a server has published a new version.
type Update struct {
	Server  string
	Version int64
}

// VersionInfo names one retained version.
type VersionInfo struct {
	Version   int64     `json:"version"`
	Published time.Time `json:"published"`
}

// ServerInfo describes the measured Kea and its monitor at one version.
type ServerInfo struct {
	Host       string `json:"host"`
	KeaVersion string `json:"kea_version"`
	PID        int    `json:"pid"`
	SocketMode string `json:"socket_mode"`
	Threads    int    `json:"threads"`
	// StoreMode is "remote" when the monitor publishes to the Hollow server,
	// "local" while it falls back to its local directory.
	StoreMode string `json:"store_mode"`
	// Source is the collector in use: ebpf, control or sample.
	Source metrics.Source `json:"source"`
}

// Snapshot is one version of one server's data.
type Snapshot struct {
	Server    string     `json:"server"`
	Version   int64      `json:"version"`
	Published time.Time  `json:"published"`
	Info      ServerInfo `json:"info"`
	// Intervals is the fine-grained rolling window (default 1 h of 1 s
	// intervals), oldest first.
	Intervals []metrics.Interval `json:"intervals"`
	// Minutes is the per-minute roll-up (default 24 h), oldest first.
	Minutes []metrics.Interval `json:"minutes"`
}
