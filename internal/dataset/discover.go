package dataset

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/internal/s3store"
)

// LocalStores finds the stores under dir: dir itself when it holds an
// announced.version, else each subdirectory that does. A store is named by
// the server its data says it is, so several monitors' stores side by side
// show as their hosts.
func LocalStores(dir string) func(ctx context.Context) (map[string]Store, error) {
	return func(ctx context.Context) (map[string]Store, error) {
		if _, err := os.Stat(filepath.Join(dir, "announced.version")); err == nil {
			st, err := blob.NewFS(dir)
			if err != nil {
				return nil, err
			}
			return map[string]Store{serverName(ctx, st, filepath.Base(dir)): st}, nil
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("read store directory: %w", err)
		}
		out := map[string]Store{}
		for _, e := range entries {
			sub := filepath.Join(dir, e.Name())
			if _, err := os.Stat(filepath.Join(sub, "announced.version")); !e.IsDir() || err != nil {
				continue
			}
			st, err := blob.NewFS(sub)
			if err != nil {
				return nil, err
			}
			out[serverName(ctx, st, e.Name())] = st
		}
		return out, nil
	}
}

// S3Stores finds the per-server prefixes under cfg.Prefix (or cfg.Prefix
// itself when it holds an announcement).
func S3Stores(cfg s3store.Config) func(ctx context.Context) (map[string]Store, error) {
	return func(ctx context.Context) (map[string]Store, error) {
		root, err := s3store.New(cfg)
		if err != nil {
			return nil, err
		}
		if _, err := root.Announced(ctx); err == nil {
			return map[string]Store{serverName(ctx, root, leaf(cfg.Prefix)): root}, nil
		} else if !errors.Is(err, blob.ErrNotFound) {
			return nil, err
		}
		subs, err := root.Servers(ctx, cfg.Prefix)
		if err != nil {
			return nil, err
		}
		out := map[string]Store{}
		for _, sub := range subs {
			c := cfg
			c.Prefix = strings.Trim(cfg.Prefix+"/"+sub, "/")
			st, err := s3store.New(c)
			if err != nil {
				return nil, err
			}
			out[serverName(ctx, st, sub)] = st
		}
		return out, nil
	}
}

// serverName reads the keascope.server header tag of the announced
// version, falling back to the store's own name.
func serverName(ctx context.Context, st Store, fallback string) string {
	v, err := st.Announced(ctx)
	if err != nil {
		return fallback
	}
	rc, err := st.Get(ctx, blob.HeaderName(v))
	if err != nil {
		return fallback
	}
	defer rc.Close()
	h, err := read.ReadHeader(io.LimitReader(rc, 1<<20))
	if err != nil || h.Tags[TagServer] == "" {
		return fallback
	}
	return h.Tags[TagServer]
}

func leaf(prefix string) string {
	prefix = strings.Trim(prefix, "/")
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		return prefix[i+1:]
	}
	if prefix == "" {
		return "default"
	}
	return prefix
}
