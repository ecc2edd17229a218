package monitor

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// KeaDescriber is what KeaInfo needs of Kea's control socket.
type KeaDescriber interface {
	VersionGet(ctx context.Context) (version, extended string, err error)
	ConfigGet(ctx context.Context) (json.RawMessage, error)
}

// KeaInfo fills in what no probe sees: Kea's version, socket mode, thread
// count and subnet prefixes, read from the control socket once per Kea
// process (again when its PID changes) and cached.
type KeaInfo struct {
	Ctl KeaDescriber

	mu       sync.Mutex
	pid      int
	tried    time.Time
	version  string
	mode     string
	threads  int
	prefixes map[int64]string
}

// keaConfig is the part of config-get's answer KeaInfo reads.
type keaConfig struct {
	Dhcp4 struct {
		InterfacesConfig struct {
			SocketType string `json:"dhcp-socket-type"`
		} `json:"interfaces-config"`
		MultiThreading struct {
			Enable  bool `json:"enable-multi-threading"`
			Threads int  `json:"thread-pool-size"`
		} `json:"multi-threading"`
		Subnet4 []struct {
			ID     int64  `json:"id"`
			Subnet string `json:"subnet"`
		} `json:"subnet4"`
	} `json:"Dhcp4"`
}

// Fill adds the cached facts to iv, refreshing them for a new Kea.
func (k *KeaInfo) Fill(ctx context.Context, iv *metrics.Interval) {
	if !iv.Kea.Up {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if iv.Kea.PID != k.pid || (k.version == "" && time.Since(k.tried) > 5*time.Second) {
		k.refresh(ctx, iv.Kea.PID)
	}
	if k.version != "" {
		iv.Kea.Version = k.version
	}
	if iv.Kea.SocketMode == "" {
		iv.Kea.SocketMode = k.mode
	}
	if iv.Kea.Threads == 0 {
		iv.Kea.Threads = k.threads
	}
	for i := range iv.Subnets {
		if iv.Subnets[i].Prefix == "" {
			iv.Subnets[i].Prefix = k.prefixes[iv.Subnets[i].ID]
		}
	}
}

func (k *KeaInfo) refresh(ctx context.Context, pid int) {
	k.pid, k.tried = pid, time.Now()
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if v, _, err := k.Ctl.VersionGet(ctx); err == nil {
		k.version = v
	}
	raw, err := k.Ctl.ConfigGet(ctx)
	if err != nil {
		return
	}
	var c keaConfig
	if json.Unmarshal(raw, &c) != nil {
		return
	}
	k.mode = c.Dhcp4.InterfacesConfig.SocketType
	if k.mode == "" {
		k.mode = "raw" // Kea's default
	}
	k.threads = 0
	if c.Dhcp4.MultiThreading.Enable {
		k.threads = c.Dhcp4.MultiThreading.Threads
	}
	k.prefixes = map[int64]string{}
	for _, s := range c.Dhcp4.Subnet4 {
		k.prefixes[s.ID] = s.Subnet
	}
}
