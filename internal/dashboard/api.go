package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// serverName resolves the server parameter: empty means the first server
// that publishes. It answers the request itself when it fails.
func (s *Server) serverName(w http.ResponseWriter, r *http.Request) (string, bool) {
	name := r.URL.Query().Get("server")
	if len(name) > 256 {
		writeError(w, http.StatusBadRequest, "server name too long")
		return "", false
	}
	s.mu.Lock()
	names, listErr := s.names, s.listErr
	_, cached := s.servers[name]
	s.mu.Unlock()
	if len(names) == 0 && listErr == nil {
		// Run has not listed the servers yet (or is not running).
		ns, err := s.src.Servers(r.Context())
		names, listErr = ns, err
	}
	switch {
	case name == "" && len(names) > 0:
		return names[0], true
	case name == "" && listErr != nil:
		writeError(w, http.StatusServiceUnavailable, "store unavailable: "+listErr.Error())
		return "", false
	case name == "":
		writeError(w, http.StatusServiceUnavailable, "no server publishes to this store yet")
		return "", false
	case slices.Contains(names, name) || cached:
		return name, true
	case listErr != nil:
		writeError(w, http.StatusServiceUnavailable, "store unavailable: "+listErr.Error())
		return "", false
	}
	writeError(w, http.StatusNotFound, "unknown server")
	return "", false
}

// snapshot returns a server's latest (version 0) or a given version,
// preferring what is held in memory, and the reason it is stale if it is.
func (s *Server) snapshot(ctx context.Context, name string, version int64) (*Snapshot, *staleInfo, error) {
	s.mu.Lock()
	st := s.servers[name]
	var held *Snapshot
	if st != nil {
		held = st.latest
	}
	s.mu.Unlock()
	if held == nil {
		s.refresh(ctx, name)
		s.mu.Lock()
		held = s.state(name).latest
		s.mu.Unlock()
	}
	if version == 0 || (held != nil && held.Version == version) {
		if held == nil {
			_, err := s.src.Latest(ctx, name)
			if err == nil {
				err = errors.New("no version read yet")
			}
			return nil, nil, err
		}
		s.mu.Lock()
		stale := s.staleLocked(s.state(name))
		s.mu.Unlock()
		return held, stale, nil
	}
	snap, err := s.src.At(ctx, name, version)
	if err != nil {
		return nil, nil, err
	}
	return snap, nil, nil
}

func (s *Server) latestVersion(name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.servers[name]; st != nil && st.latest != nil {
		return st.latest.Version
	}
	return 0
}

func badRequest(w http.ResponseWriter, err error) bool {
	if err == nil {
		return false
	}
	writeError(w, http.StatusBadRequest, err.Error())
	return true
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	body := map[string]any{"status": "ok", "servers": len(s.names)}
	if s.listErr != nil {
		body["store"] = "unavailable: " + s.listErr.Error()
	} else {
		body["store"] = "ok"
	}
	s.mu.Unlock()
	writeJSON(w, r, body)
}

type serverSummary struct {
	Server    string     `json:"server"`
	Version   int64      `json:"version"`
	Published time.Time  `json:"published"`
	Info      ServerInfo `json:"info"`
	Stale     *staleInfo `json:"stale"`
}

func (s *Server) handleServers(w http.ResponseWriter, r *http.Request) {
	if badRequest(w, checkParams(r.URL.Query())) {
		return
	}
	s.mu.Lock()
	names, listErr := s.names, s.listErr
	s.mu.Unlock()
	if len(names) == 0 {
		ns, err := s.src.Servers(r.Context())
		if err != nil && listErr == nil {
			listErr = err
		}
		names = ns
	}
	if len(names) == 0 && listErr != nil {
		writeError(w, http.StatusServiceUnavailable, "store unavailable: "+listErr.Error())
		return
	}
	out := []serverSummary{}
	for _, n := range names {
		snap, stale, err := s.snapshot(r.Context(), n, 0)
		if err != nil {
			out = append(out, serverSummary{Server: n, Stale: &staleInfo{Since: s.now(), Reason: err.Error()}})
			continue
		}
		out = append(out, serverSummary{n, snap.Version, snap.Published, snap.Info, stale})
	}
	writeJSON(w, r, map[string]any{"servers": out})
}

// snapshotView is /api/snapshot's answer: one version of one server over a
// range, as points ready to plot.
type snapshotView struct {
	Server     string           `json:"server"`
	Version    int64            `json:"version"`
	Published  time.Time        `json:"published"`
	Latest     int64            `json:"latest_version"`
	Live       bool             `json:"live"` // no version asked for: follow the events
	Info       ServerInfo       `json:"info"`
	Range      string           `json:"range"`
	Resolution string           `json:"resolution"`
	Sample     bool             `json:"sample"`
	Stale      *staleInfo       `json:"stale"`
	Now        time.Time        `json:"now"`
	HeatEdges  []float64        `json:"heat_edges_us"`
	Subnets    []metrics.Subnet `json:"subnets"`
	Points     json.RawMessage  `json:"points"`
}

func (s *Server) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if badRequest(w, checkParams(q, "server", "range", "version")) {
		return
	}
	sp, err := parseSpan(q)
	if badRequest(w, err) {
		return
	}
	version, err := parseVersion(q, "version", false)
	if badRequest(w, err) {
		return
	}
	name, ok := s.serverName(w, r)
	if !ok {
		return
	}
	snap, stale, err := s.snapshot(r.Context(), name, version)
	if err != nil {
		sourceError(w, err)
		return
	}
	ivs, res := records(snap, sp)
	pts := s.views.view(name, snap.Version, sp, res, ivs)
	sample := snap.Info.Source == metrics.SourceSample
	for i := range ivs {
		sample = sample || ivs[i].Source == metrics.SourceSample
	}
	writeJSON(w, r, snapshotView{
		Server: name, Version: snap.Version, Published: snap.Published,
		Latest: max(s.latestVersion(name), snap.Version), Live: version == 0,
		Info: snap.Info, Range: sp.name, Resolution: res, Sample: sample, Stale: stale,
		Now: s.now(), HeatEdges: heatEdges(), Subnets: lastSubnets(snap), Points: pts,
	})
}

func (s *Server) handleVersions(w http.ResponseWriter, r *http.Request) {
	if badRequest(w, checkParams(r.URL.Query(), "server")) {
		return
	}
	name, ok := s.serverName(w, r)
	if !ok {
		return
	}
	vs, err := s.src.Versions(r.Context(), name)
	if err != nil {
		sourceError(w, err)
		return
	}
	if vs == nil {
		vs = []VersionInfo{}
	}
	writeJSON(w, r, map[string]any{"server": name, "latest": s.latestVersion(name), "versions": vs})
}
