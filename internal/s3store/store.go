package s3store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// AnnouncedName is the object holding the announced version, as in Java's
// HollowFilesystemAnnouncer.
const AnnouncedName = "announced.version"

// ErrNotFound and ErrConflict are the blob package's sentinels, so Hollow's
// producer and consumer treat this store like any other.
var (
	ErrNotFound = blob.ErrNotFound
	ErrConflict = blob.ErrConflict
)

// Config locates the bucket. Credentials default to the AWS environment
// variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
type Config struct {
	Endpoint  string // URL, e.g. http://127.0.0.1:9000 or https://s3.amazonaws.com
	Bucket    string
	Prefix    string // per-server folder inside the bucket, may be empty
	Region    string
	AccessKey string
	SecretKey string
}

// Store is one prefix of one bucket.
type Store struct {
	client *minio.Client
	bucket string
	prefix string
}

// New connects lazily: it fails only on a malformed endpoint; reachability
// and credentials show on the first call.
func New(cfg Config) (*Store, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("invalid S3 endpoint %q: want http(s)://host[:port]", cfg.Endpoint)
	}
	if cfg.Bucket == "" {
		return nil, errors.New("invalid S3 bucket: empty")
	}
	creds := credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, "")
	if cfg.AccessKey == "" {
		creds = credentials.NewStaticV4(os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"))
	}
	client, err := minio.New(u.Host, &minio.Options{
		Creds:  creds,
		Secure: u.Scheme == "https",
		Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("create S3 client: %w", err)
	}
	return &Store{client: client, bucket: cfg.Bucket, prefix: strings.Trim(cfg.Prefix, "/")}, nil
}

// EnsureBucket creates the bucket if it does not exist.
func (s *Store) EnsureBucket(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("check bucket %s: %w", s.bucket, err)
	}
	if ok {
		return nil
	}
	if err := s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{}); err != nil {
		return fmt.Errorf("create bucket %s: %w", s.bucket, err)
	}
	return nil
}

func (s *Store) key(name string) string {
	if s.prefix == "" {
		return name
	}
	return s.prefix + "/" + name
}

// Put stores a blob. S3 writes an object whole or not at all, so a reader
// never sees a partial blob. A blob that already exists is left alone when
// its bytes are the same (a retried upload) and refused with ErrConflict
// when they differ.
func (s *Store) Put(ctx context.Context, name string, r io.Reader, size int64) error {
	if err := checkName(name); err != nil {
		return err
	}
	data, err := io.ReadAll(io.LimitReader(r, size+1))
	if err != nil {
		return fmt.Errorf("read blob %s: %w", name, err)
	}
	if int64(len(data)) != size {
		return fmt.Errorf("put blob %s: got %d bytes, size says %d", name, len(data), size)
	}
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream"}
	opts.SetMatchETagExcept("*") // If-None-Match: *, never overwrite
	_, err = s.client.PutObject(ctx, s.bucket, s.key(name), bytes.NewReader(data), size, opts)
	if err == nil {
		return nil
	}
	if resp := minio.ToErrorResponse(err); resp.StatusCode == 412 || resp.Code == "PreconditionFailed" {
		existing, gerr := s.getBytes(ctx, name)
		if gerr != nil {
			return fmt.Errorf("put blob %s: %w", name, gerr)
		}
		if bytes.Equal(existing, data) {
			return nil
		}
		return fmt.Errorf("put blob %s: %w", name, ErrConflict)
	}
	return fmt.Errorf("put blob %s: %w", name, err)
}

// Get opens a blob.
func (s *Store) Get(ctx context.Context, name string) (io.ReadCloser, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, s.key(name), minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("get blob %s: %w", name, err)
	}
	// GetObject is lazy; Stat surfaces a missing object now rather than on
	// the first Read.
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		return nil, fmt.Errorf("get blob %s: %w", name, mapErr(err))
	}
	return obj, nil
}

func (s *Store) getBytes(ctx context.Context, name string) ([]byte, error) {
	rc, err := s.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// List returns the names under the store's prefix that start with prefix,
// sorted (S3 lists in key order).
func (s *Store) List(ctx context.Context, prefix string) ([]string, error) {
	full := s.key(prefix)
	var names []string
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: full, Recursive: false}) {
		if obj.Err != nil {
			return nil, fmt.Errorf("list blobs: %w", mapErr(obj.Err))
		}
		name := obj.Key
		if s.prefix != "" {
			name = strings.TrimPrefix(name, s.prefix+"/")
		}
		if strings.Contains(name, "/") {
			continue
		}
		names = append(names, name)
	}
	return names, nil
}

// Delete removes a blob (for retention); a missing blob is not an error.
func (s *Store) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, s.key(name), minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("delete blob %s: %w", name, mapErr(err))
	}
	return nil
}

// Announce makes version the one consumers load. It is the last step of a
// publish: every blob it needs must already be stored.
func (s *Store) Announce(ctx context.Context, version int64) error {
	b := []byte(strconv.FormatInt(version, 10))
	_, err := s.client.PutObject(ctx, s.bucket, s.key(AnnouncedName), bytes.NewReader(b), int64(len(b)),
		minio.PutObjectOptions{ContentType: "text/plain"})
	if err != nil {
		return fmt.Errorf("announce version %d: %w", version, mapErr(err))
	}
	return nil
}

// Announced reads the announced version; ErrNotFound when nothing was
// announced yet.
func (s *Store) Announced(ctx context.Context) (int64, error) {
	b, err := s.getBytes(ctx, AnnouncedName)
	if err != nil {
		return 0, fmt.Errorf("read announced version: %w", err)
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("read announced version: not a number: %q", truncate(b))
	}
	return v, nil
}

// Servers lists the per-server prefixes directly under parent in the
// bucket: every folder that holds an announced.version.
func (s *Store) Servers(ctx context.Context, parent string) ([]string, error) {
	parent = strings.Trim(parent, "/")
	p := ""
	if parent != "" {
		p = parent + "/"
	}
	var out []string
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: p}) {
		if obj.Err != nil {
			return nil, fmt.Errorf("list servers: %w", mapErr(obj.Err))
		}
		if strings.HasSuffix(obj.Key, "/") {
			sub := strings.TrimSuffix(strings.TrimPrefix(obj.Key, p), "/")
			if _, err := s.client.StatObject(ctx, s.bucket, path.Join(p, sub, AnnouncedName), minio.StatObjectOptions{}); err == nil {
				out = append(out, sub)
			}
		}
	}
	return out, nil
}

func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, "/\\") || name == "." || name == ".." {
		return fmt.Errorf("invalid blob name %q", name)
	}
	return nil
}

func mapErr(err error) error {
	resp := minio.ToErrorResponse(err)
	if resp.Code == "NoSuchKey" || resp.Code == "NoSuchBucket" || resp.StatusCode == 404 {
		return fmt.Errorf("%w: %s", ErrNotFound, resp.Message)
	}
	return err
}

func truncate(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return string(b)
}
