package lab

import (
	"encoding/json"
	"path/filepath"
)

// keaConfig renders kea-dhcp4's configuration for c. Kea is authoritative
// so that a REQUEST for an address it does not know gets a NAK rather than
// silence; memfile does not persist, as a large lease file slows Kea's
// start and would carry leases between tests.
func keaConfig(c Config) ([]byte, error) {
	mt := map[string]any{"enable-multi-threading": c.MultiThreading}
	if c.MultiThreading {
		mt["thread-pool-size"] = c.Threads
		mt["packet-queue-size"] = c.QueueSize
	}
	valid := int(c.ValidLifetime.Seconds())
	cfg := map[string]any{"Dhcp4": map[string]any{
		"interfaces-config": map[string]any{
			"interfaces":       []string{serverIface(c.Name)},
			"dhcp-socket-type": c.SocketType,
		},
		"control-socket": map[string]any{
			"socket-type": "unix",
			"socket-name": controlSocket(c.WorkDir),
		},
		"lease-database":  map[string]any{"type": "memfile", "persist": false},
		"multi-threading": mt,
		"authoritative":   true,
		"valid-lifetime":  valid,
		"renew-timer":     valid / 4,
		"rebind-timer":    valid / 2,
		"subnet4": []any{map[string]any{
			"id":     1,
			"subnet": Subnet,
			"pools":  []any{map[string]any{"pool": PoolRange}},
		}},
		"loggers": []any{map[string]any{
			"name":           "kea-dhcp4",
			"output_options": []any{map[string]any{"output": filepath.Join(c.WorkDir, "kea.log")}},
			"severity":       c.LogSeverity,
		}},
	}}
	return json.MarshalIndent(cfg, "", "  ")
}

func controlSocket(workDir string) string { return filepath.Join(workDir, "control.sock") }
