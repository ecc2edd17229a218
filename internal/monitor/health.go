package monitor

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// Health is the monitor's state as /healthz reports it.
type Health struct {
	Status        string         `json:"status"` // ok or degraded
	Source        metrics.Source `json:"source"`
	StoreMode     string         `json:"store_mode"` // remote, local (remote unreachable) or local-only (none configured)
	LocalSince    *time.Time     `json:"local_since,omitempty"`
	KeaUp         bool           `json:"kea_up"`
	KeaPID        int            `json:"kea_pid"`
	LastVersion   int64          `json:"last_version"`
	LastPublished *time.Time     `json:"last_published,omitempty"`
	RemoteVersion int64          `json:"remote_version,omitempty"`
	LastError     string         `json:"last_error,omitempty"`
	Dashboard     string         `json:"dashboard"` // up, restarting or off
}

// healthState guards Health for concurrent readers.
type healthState struct {
	mu sync.Mutex
	h  Health
}

func (s *healthState) update(f func(*Health)) {
	s.mu.Lock()
	f(&s.h)
	s.h.Status = "ok"
	if s.h.StoreMode == "local" || !s.h.KeaUp || s.h.Source == "" || s.h.Dashboard == "restarting" {
		s.h.Status = "degraded"
	}
	s.mu.Unlock()
}

func (s *healthState) get() Health {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.h
}

// ServeHTTP answers 200 when everything works and 503 while degraded, with
// the state as JSON either way.
func (s *healthState) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := s.get()
	w.Header().Set("Content-Type", "application/json")
	if h.Status != "ok" {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	json.NewEncoder(w).Encode(h)
}
