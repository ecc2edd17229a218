package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// handleEvents streams a server's versions as Server-Sent Events. Each
// "version" event has the version as its id, so a browser that reconnects
// sends Last-Event-ID (or since=, for a stream it rebuilt itself) and gets
// every retained version after it, or a "reset" event when those are gone.
// "status" events carry staleness changes, "ping" events keep idle streams
// provably alive.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if badRequest(w, checkParams(q, "server", "since")) {
		return
	}
	sinceText := r.Header.Get("Last-Event-ID")
	if sinceText == "" {
		sinceText = q.Get("since")
	}
	since := int64(-1)
	if sinceText != "" {
		n, err := strconv.ParseInt(sinceText, 10, 64)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "since / Last-Event-ID must be a version number")
			return
		}
		since = n
	}
	name, ok := s.serverName(w, r)
	if !ok {
		return
	}
	if s.latestVersion(name) == 0 {
		// A dashboard just (re)started: read the store before deciding
		// what the stream has missed.
		s.refresh(r.Context(), name)
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	ch := s.subscribe(name)
	defer s.unsubscribe(name, ch)
	send := func(b []byte) bool {
		rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := w.Write(b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	hello := fmt.Appendf(nil, "retry: 2000\nevent: hello\ndata: {\"server\":%q,\"heartbeat_ms\":%d}\n\n",
		name, s.heartbeat.Milliseconds())
	if !send(hello) {
		return
	}

	last := s.latestVersion(name)
	if since >= 0 {
		frames, reset := s.catchUp(r.Context(), name, since)
		if reset != nil {
			if !send(reset.data) {
				return
			}
		}
		for _, fr := range frames {
			if !send(fr.data) {
				return
			}
			last = max(last, fr.version)
		}
	}
	s.mu.Lock()
	st := s.state(name)
	status := statusFrame(name, st, s.staleLocked(st))
	s.mu.Unlock()
	if !send(status.data) {
		return
	}

	beat := time.NewTicker(s.heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case fr, ok := <-ch:
			if !ok {
				return // too slow; the browser resumes from its last id
			}
			if fr.version != 0 && fr.version <= last {
				continue
			}
			if !send(fr.data) {
				return
			}
			last = max(last, fr.version)
		case <-beat.C:
			s.mu.Lock()
			st := s.state(name)
			ping := encodeEvent("ping", 0, map[string]any{"now": s.now(), "latest": last, "stale": s.staleLocked(st)})
			s.mu.Unlock()
			if !send(ping) {
				return
			}
		}
	}
}

// sourceCatchUpMax is how many versions a resumed stream is sent one by
// one when they must be read back from the Source (after a dashboard
// restart); a longer gap is sent as one event from the version the stream
// saw to the latest.
var sourceCatchUpMax = 30

// catchUp returns the events a stream that last saw version since has
// missed: from the recent frames when they reach back that far, else
// rebuilt from the Source's retained versions. A reset frame means the gap
// cannot be filled (the version is no longer retained) and the page must
// reload.
func (s *Server) catchUp(ctx context.Context, name string, since int64) ([]frame, *frame) {
	s.mu.Lock()
	st := s.state(name)
	latest := st.latest
	frames := st.frames
	s.mu.Unlock()
	if latest == nil || since == latest.Version {
		return nil, nil
	}
	if since > latest.Version {
		r := resetFrame(latest.Version, fmt.Sprintf("version %d is newer than the store's latest", since))
		return nil, &r
	}
	for i, fr := range frames {
		if fr.version > since {
			if fr.prev != 0 && fr.prev <= since {
				return frames[i:], nil
			}
			break
		}
	}

	tooOld := func(reason string) ([]frame, *frame) {
		r := resetFrame(latest.Version, reason)
		return nil, &r
	}
	prev, err := s.src.At(ctx, name, since)
	if errors.Is(err, ErrUnknownVersion) {
		return tooOld(fmt.Sprintf("version %d is no longer retained", since))
	}
	if err != nil {
		return tooOld("cannot read the store to catch up: " + err.Error())
	}
	vs, err := s.src.Versions(ctx, name)
	if err != nil {
		return tooOld("cannot read the store to catch up: " + err.Error())
	}
	var todo []int64
	for _, v := range vs {
		if v.Version > since && v.Version <= latest.Version {
			todo = append(todo, v.Version)
		}
	}
	if len(todo) > sourceCatchUpMax {
		// Reading each old version back from a Hollow store costs a
		// load and a decode; one event with everything the stream
		// missed is as gapless and costs one.
		return []frame{makeFrame(prev, latest, nil)}, nil
	}
	out := make([]frame, 0, len(todo))
	for _, v := range todo {
		snap, err := s.src.At(ctx, name, v)
		if err != nil {
			return tooOld("cannot read the store to catch up: " + err.Error())
		}
		out = append(out, makeFrame(prev, snap, nil))
		prev = snap
	}
	return out, nil
}
