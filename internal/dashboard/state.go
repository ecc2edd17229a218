package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// maxFrames is how many versions' events a server keeps for resuming
// streams (10 min at 1 version/s); older resumes are rebuilt from the
// Source.
const maxFrames = 600

// serverState is what the dashboard holds for one publishing server: the
// last good snapshot, whether refreshing it currently fails, the recent
// events and the streams that want the next one.
type serverState struct {
	latest     *Snapshot
	failSince  time.Time
	failReason string
	frames     []frame
	subs       map[chan frame]struct{}
	lastStale  bool
}

// frame is one server-sent event, encoded once for every stream.
type frame struct {
	version int64 // 0 for unnumbered events (status, reset)
	prev    int64 // the version the points continue from, 0 if unknown
	data    []byte
}

// staleInfo says why the data shown is not current.
type staleInfo struct {
	Since  time.Time `json:"since"`
	Reason string    `json:"reason"`
}

// versionEvent is the data of a "version" event: what changed since the
// previous version, ready to append.
type versionEvent struct {
	Server    string           `json:"server"`
	Version   int64            `json:"version"`
	Published time.Time        `json:"published"`
	Info      ServerInfo       `json:"info"`
	Fine      []point          `json:"fine"`
	Minutes   []point          `json:"minutes"`
	Subnets   []metrics.Subnet `json:"subnets"`
	Stale     *staleInfo       `json:"stale"`
}

func (s *Server) state(name string) *serverState {
	st := s.servers[name]
	if st == nil {
		st = &serverState{subs: map[chan frame]struct{}{}}
		s.servers[name] = st
	}
	return st
}

func (s *Server) refreshAll(ctx context.Context) {
	names, err := s.src.Servers(ctx)
	s.mu.Lock()
	if err != nil {
		if s.listErr == nil {
			s.log.Warn("dashboard cannot list servers; serving the last good state", "err", err)
		}
		s.listErr = err
		for name, st := range s.servers {
			s.failLocked(name, st, err)
		}
		s.mu.Unlock()
		return
	}
	s.listErr = nil
	s.names = names
	s.mu.Unlock()
	for _, n := range names {
		s.refresh(ctx, n)
	}
}

// refresh reads a server's latest version and, if it is new, makes its
// event and sends it to the server's streams.
func (s *Server) refresh(ctx context.Context, name string) {
	snap, err := s.src.Latest(ctx, name)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state(name)
	if err != nil {
		s.failLocked(name, st, err)
		return
	}
	if !st.failSince.IsZero() {
		s.log.Info("dashboard store readable again", "server", name)
		st.failSince, st.failReason = time.Time{}, ""
	}
	prev := st.latest
	switch {
	case prev != nil && snap.Version == prev.Version:
		s.statusLocked(name, st)
		return
	case prev != nil && snap.Version < prev.Version:
		// The chain started over (a new store): streams must reload.
		st.frames = nil
		st.latest = snap
		s.broadcastLocked(st, resetFrame(snap.Version, "the server's version chain started over"))
		return
	}
	st.latest = snap
	fr := makeFrame(prev, snap, s.staleLocked(st))
	st.frames = append(st.frames, fr)
	if len(st.frames) > maxFrames {
		st.frames = append(st.frames[:0:0], st.frames[len(st.frames)-maxFrames:]...)
	}
	st.lastStale = false
	s.broadcastLocked(st, fr)
}

func (s *Server) failLocked(name string, st *serverState, err error) {
	if st.failSince.IsZero() {
		st.failSince = s.now()
		s.log.Warn("dashboard store refresh failed; serving the last good state", "server", name, "err", err)
	}
	st.failReason = "store unreadable: " + err.Error()
	if errors.Is(err, ErrUnknownServer) {
		st.failReason = "the server no longer publishes"
	}
	s.statusLocked(name, st)
}

// statusLocked sends a status event when staleness changed, so a banner
// appears within a poll instead of at the next heartbeat.
func (s *Server) statusLocked(name string, st *serverState) {
	stale := s.staleLocked(st)
	if (stale != nil) == st.lastStale {
		return
	}
	st.lastStale = stale != nil
	s.broadcastLocked(st, statusFrame(name, st, stale))
}

// staleLocked reports why st's data is not current, or nil if it is.
func (s *Server) staleLocked(st *serverState) *staleInfo {
	var since time.Time
	if st.latest != nil {
		since = st.latest.Published
	}
	if !st.failSince.IsZero() {
		if since.IsZero() {
			since = st.failSince
		}
		return &staleInfo{Since: since, Reason: st.failReason}
	}
	if st.latest != nil && s.now().Sub(since) > s.staleAfter {
		return &staleInfo{Since: since, Reason: "no new version since then"}
	}
	return nil
}

func (s *Server) broadcastLocked(st *serverState, fr frame) {
	for ch := range st.subs {
		select {
		case ch <- fr:
		default:
			// Too slow to keep up: end its stream; the browser
			// reconnects with Last-Event-ID and catches up.
			delete(st.subs, ch)
			close(ch)
		}
	}
}

func (s *Server) subscribe(name string) chan frame {
	ch := make(chan frame, 64)
	s.mu.Lock()
	s.state(name).subs[ch] = struct{}{}
	s.mu.Unlock()
	return ch
}

func (s *Server) unsubscribe(name string, ch chan frame) {
	s.mu.Lock()
	if st := s.servers[name]; st != nil {
		if _, ok := st.subs[ch]; ok {
			delete(st.subs, ch)
			close(ch)
		}
	}
	s.mu.Unlock()
}

// makeFrame encodes what snap adds to prev: the fine intervals and minutes
// that end after prev's last ones. Records are keyed by their end time and
// fine ones do not change once published, so this is the whole change.
func makeFrame(prev, snap *Snapshot, stale *staleInfo) frame {
	ev := versionEvent{
		Server: snap.Server, Version: snap.Version, Published: snap.Published, Info: snap.Info,
		Subnets: lastSubnets(snap), Stale: stale,
	}
	var pv int64
	if prev != nil {
		pv = prev.Version
		ev.Fine = toPoints(after(snap.Intervals, lastEnd(prev.Intervals)))
		ev.Minutes = toPoints(after(snap.Minutes, lastEnd(prev.Minutes)))
	} else {
		ev.Fine = toPoints(tail(snap.Intervals, 1))
		ev.Minutes = toPoints(tail(snap.Minutes, 1))
	}
	return frame{version: snap.Version, prev: pv, data: encodeEvent("version", snap.Version, ev)}
}

func statusFrame(name string, st *serverState, stale *staleInfo) frame {
	var v int64
	if st.latest != nil {
		v = st.latest.Version
	}
	return frame{data: encodeEvent("status", 0, map[string]any{"server": name, "latest": v, "stale": stale})}
}

func resetFrame(latest int64, reason string) frame {
	return frame{data: encodeEvent("reset", 0, map[string]any{"latest": latest, "reason": reason})}
}

// encodeEvent writes one SSE event. JSON never contains a raw newline, so
// one data line is enough.
func encodeEvent(name string, id int64, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{"error":"encode event"}`)
	}
	out := make([]byte, 0, len(b)+48)
	if id > 0 {
		out = append(out, "id: "...)
		out = appendInt(out, id)
		out = append(out, '\n')
	}
	out = append(out, "event: "...)
	out = append(out, name...)
	out = append(out, "\ndata: "...)
	out = append(out, b...)
	return append(out, "\n\n"...)
}

func appendInt(b []byte, v int64) []byte {
	return strconv.AppendInt(b, v, 10)
}

func lastEnd(ivs []metrics.Interval) time.Time {
	if len(ivs) == 0 {
		return time.Time{}
	}
	return ivs[len(ivs)-1].End
}

// after returns the records of ivs (sorted by End) that end after t.
func after(ivs []metrics.Interval, t time.Time) []metrics.Interval {
	i := sort.Search(len(ivs), func(i int) bool { return ivs[i].End.After(t) })
	return ivs[i:]
}

func tail(ivs []metrics.Interval, n int) []metrics.Interval {
	return ivs[max(0, len(ivs)-n):]
}

func lastSubnets(snap *Snapshot) []metrics.Subnet {
	for i := len(snap.Intervals) - 1; i >= 0; i-- {
		if len(snap.Intervals[i].Subnets) > 0 {
			return snap.Intervals[i].Subnets
		}
	}
	for i := len(snap.Minutes) - 1; i >= 0; i-- {
		if len(snap.Minutes[i].Subnets) > 0 {
			return snap.Minutes[i].Subnets
		}
	}
	return []metrics.Subnet{}
}
