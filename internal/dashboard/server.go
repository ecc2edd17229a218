package dashboard

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/keascope/keascope/web"
)

// Options configure a Server.
type Options struct {
	// Source is where versions come from. Required.
	Source Source
	// Token, when set, is required on every request but /healthz, as an
	// "Authorization: Bearer" header or the cookie a visit to /?token=T
	// sets. Serve refuses a non-loopback listener without one.
	Token string
	// Logger receives the few things worth an operator's attention (a
	// store that fails, a handler that panicked). Nil discards them.
	Logger *slog.Logger
	// Heartbeat is how often an idle event stream sends a ping, so both
	// ends notice a dead connection. Default 10 s.
	Heartbeat time.Duration
	// StaleAfter is how long without a new version before the data is
	// reported stale. Default 15 s.
	StaleAfter time.Duration
	// Poll is how often Run re-reads the Source even without a Watch
	// update, which is how a failing or recovered store is noticed.
	// Default 2 s.
	Poll time.Duration
	// Assets overrides the embedded page, e.g. os.DirFS("web/static")
	// while developing it.
	Assets fs.FS
}

// Server is the dashboard: an http.Handler for the page, the API and the
// event stream, plus the loop (Run) that follows the Source.
type Server struct {
	src        Source
	token      string
	log        *slog.Logger
	heartbeat  time.Duration
	staleAfter time.Duration
	poll       time.Duration
	mux        *http.ServeMux
	now        func() time.Time

	mu      sync.Mutex
	servers map[string]*serverState
	names   []string // sorted, as the Source last listed them
	listErr error    // the last Servers() failure, nil after a success
	views   viewCache
}

// New checks the options and returns a Server; call Run (or Serve) to
// start following the Source.
func New(o Options) (*Server, error) {
	if o.Source == nil {
		return nil, errors.New("new dashboard: no source")
	}
	s := &Server{
		src:        o.Source,
		token:      o.Token,
		log:        o.Logger,
		heartbeat:  defaultDur(o.Heartbeat, 10*time.Second),
		staleAfter: defaultDur(o.StaleAfter, 15*time.Second),
		poll:       defaultDur(o.Poll, 2*time.Second),
		now:        time.Now,
		servers:    map[string]*serverState{},
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	assets := o.Assets
	if assets == nil {
		assets = web.Assets()
	}
	s.routes(assets)
	return s, nil
}

func defaultDur(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func (s *Server) routes(assets fs.FS) {
	m := http.NewServeMux()
	m.HandleFunc("GET /healthz", s.handleHealth)
	m.HandleFunc("GET /api/servers", s.handleServers)
	m.HandleFunc("GET /api/snapshot", s.handleSnapshot)
	m.HandleFunc("GET /api/versions", s.handleVersions)
	m.HandleFunc("GET /api/diff", s.handleDiff)
	m.HandleFunc("GET /api/table.csv", s.handleTableCSV)
	m.HandleFunc("GET /api/table.json", s.handleTableJSON)
	m.HandleFunc("GET /api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API endpoint")
	})
	m.HandleFunc("GET /events", s.handleEvents)
	m.Handle("GET /", assetHandler(assets))
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "read-only: only GET is served")
	})
	s.mux = m
}

// ServeHTTP applies the security headers, the host and token checks, and
// turns a panic into a 500 with a short reason.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("dashboard handler panicked", "path", r.URL.Path, "panic", fmt.Sprint(v))
			writeError(w, http.StatusInternalServerError, "internal error")
		}
	}()
	if r.URL.Path == "/healthz" {
		s.mux.ServeHTTP(w, r)
		return
	}
	if !s.hostAllowed(r.Host) {
		writeError(w, http.StatusMisdirectedRequest, "host not allowed: open the dashboard by its IP or localhost")
		return
	}
	if !s.authorize(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Run follows the Source until ctx ends: each Watch update and every Poll
// it re-reads the servers' latest versions and pushes new ones to the
// event streams.
func (s *Server) Run(ctx context.Context) error {
	updates := s.src.Watch(ctx)
	tick := time.NewTicker(s.poll)
	defer tick.Stop()
	s.refreshAll(ctx)
	for {
		select {
		case <-ctx.Done():
			return nil
		case u, ok := <-updates:
			if !ok {
				// The Source stopped watching; polling still works.
				updates = nil
				continue
			}
			s.refresh(ctx, u.Server)
		case <-tick.C:
			s.refreshAll(ctx)
		}
	}
}
