package dashboard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// ErrTokenRequired is returned for a non-loopback address without a token:
// the dashboard shows a Kea server's traffic and must not be open to the
// network by accident.
var ErrTokenRequired = errors.New("a token is required to listen on a non-loopback address")

// Listen opens a TCP listener on addr, refusing a non-loopback address
// (including the unspecified ":8080") when token is empty.
func Listen(addr, token string) (net.Listener, error) {
	if err := CheckListen(addr, token); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// CheckListen reports whether addr may be served with token, without
// opening anything, so a command can reject its flags early.
func CheckListen(addr, token string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("parse listen address %q: %w", addr, err)
	}
	if token != "" || isLoopback(host) {
		return nil
	}
	return fmt.Errorf("listen on %s: %w", addr, ErrTokenRequired)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Serve runs the dashboard on ln until ctx ends, then closes the event
// streams and shuts the HTTP server down. It follows the Source (Run) for
// as long as it serves.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && s.token == "" && !tcp.IP.IsLoopback() {
		ln.Close()
		return fmt.Errorf("serve on %s: %w", ln.Addr(), ErrTokenRequired)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// Request contexts end with ctx, which ends the event streams;
		// Shutdown would otherwise wait for them forever.
		BaseContext: func(net.Listener) context.Context { return ctx },
		ErrorLog:    nil,
	}
	runDone := make(chan struct{})
	go func() {
		defer close(runDone)
		s.Run(ctx)
	}()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
		err = fmt.Errorf("serve dashboard: %w", err)
	}
	cancel()
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	hs.Shutdown(sctx)
	<-runDone
	return err
}
