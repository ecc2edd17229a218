package main

import (
	"context"
	"log/slog"

	"github.com/keascope/keascope/internal/dashboard"
	"github.com/keascope/keascope/internal/dataset"
	"github.com/keascope/keascope/internal/monitor"
	"github.com/keascope/keascope/internal/s3store"
)

func init() { openSource = openHollowSource }

// openHollowSource follows the Hollow store(s) under a local directory or
// an S3 prefix; it runs until ctx ends.
func openHollowSource(ctx context.Context, storeDir, remote, endpoint string) (dashboard.Source, error) {
	src := &dataset.Source{}
	if remote != "" {
		bucket, prefix, err := monitor.ParseRemote(remote)
		if err != nil {
			return nil, err
		}
		cfg := s3store.Config{Endpoint: endpoint, Bucket: bucket, Prefix: prefix}
		if _, err := s3store.New(cfg); err != nil {
			return nil, err
		}
		src.Discover = dataset.S3Stores(cfg)
	} else {
		src.Discover = dataset.LocalStores(storeDir)
	}
	go src.Run(ctx)
	return src, nil
}

// serveDashboard runs the monitor's own dashboard over its local store
// until ctx ends or it fails; the monitor restarts it on failure.
func serveDashboard(ctx context.Context, cfg monitor.Config, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	src, err := openHollowSource(ctx, cfg.Store, "", "")
	if err != nil {
		return err
	}
	srv, err := dashboard.New(dashboard.Options{Source: src, Token: cfg.Token, Logger: log.With("component", "dashboard")})
	if err != nil {
		return err
	}
	ln, err := dashboard.Listen(cfg.Listen, cfg.Token)
	if err != nil {
		return err
	}
	log.Info("dashboard listening", "url", "http://"+ln.Addr().String()+"/")
	return srv.Serve(ctx, ln)
}
