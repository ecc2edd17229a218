package read

import (
	"errors"
	"fmt"
	"io"

	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/schema"
)

// FormatVersion is the only blob format version Hollow has written since 2016.
const FormatVersion = 1030

// ErrFormat means the input is not a Hollow blob this package understands.
var ErrFormat = errors.New("not a Hollow blob")

// ErrOriginMismatch means a delta was built against another state.
var ErrOriginMismatch = errors.New("delta origin does not match current state")

// Header is the part every blob starts with.
type Header struct {
	OriginTag      int64             // the state a delta applies to, -1 for a first state
	DestinationTag int64             // the state the blob brings a reader to
	Schemas        []schema.Schema   // every schema of the data model
	Tags           map[string]string // producer metadata, e.g. hollow.blob.to.version
}

// ReadHeader reads a header-<version> file or the start of any blob.
func ReadHeader(r io.Reader) (*Header, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	return ParseHeader(b)
}

// ParseHeader reads a header from b.
func ParseHeader(b []byte) (*Header, error) {
	return readHeader(encoding.NewDecoder(b))
}

func readHeader(d *encoding.Decoder) (*Header, error) {
	v, err := d.Int32()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	if v != FormatVersion {
		return nil, fmt.Errorf("read header: format version %d at byte offset 0: %w", v, ErrFormat)
	}
	h := &Header{Tags: map[string]string{}}
	if h.OriginTag, err = d.Int64(); err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	if h.DestinationTag, err = d.Int64(); err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	if h.Schemas, err = readSchemaEnvelope(d); err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	skip, err := d.Count("forward compatibility bytes")
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	if _, err := d.Bytes(int64(skip)); err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	n, err := d.Int16()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	for i := 0; i < int(n); i++ {
		k, err := d.UTF()
		if err != nil {
			return nil, fmt.Errorf("read header tag: %w", err)
		}
		val, err := d.UTF()
		if err != nil {
			return nil, fmt.Errorf("read header tag %s: %w", k, err)
		}
		h.Tags[k] = val
	}
	return h, nil
}

func readSchemaEnvelope(d *encoding.Decoder) ([]schema.Schema, error) {
	at := d.Offset()
	n, err := d.Count("schema envelope length")
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	env, err := d.Bytes(int64(n - 1))
	if err != nil {
		return nil, err
	}
	sd := encoding.NewDecoder(env)
	count, err := sd.Count("schema count")
	if err != nil {
		return nil, fmt.Errorf("read schemas at byte offset %d: %w", at, err)
	}
	if count > len(env) {
		return nil, fmt.Errorf("read schemas at byte offset %d: count %d exceeds data: %w", at, count, encoding.ErrCorrupt)
	}
	out := make([]schema.Schema, 0, count)
	for i := 0; i < count; i++ {
		s, err := schema.Read(sd)
		if err != nil {
			return nil, fmt.Errorf("read schemas in envelope at byte offset %d: %w", at, err)
		}
		out = append(out, s)
	}
	return out, nil
}
