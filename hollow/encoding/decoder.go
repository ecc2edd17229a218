package encoding

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrTruncated means the input ended inside a value.
var ErrTruncated = errors.New("unexpected end of data")

// ErrCorrupt means a value is out of its allowed range.
var ErrCorrupt = errors.New("corrupt data")

// Decoder reads primitives from a byte slice, tracking its offset so errors
// can say where they happened.
type Decoder struct {
	buf []byte
	off int
}

// NewDecoder reads b from its start.
func NewDecoder(b []byte) *Decoder { return &Decoder{buf: b} }

// Offset is the number of bytes consumed so far.
func (d *Decoder) Offset() int { return d.off }

// Remaining is the number of bytes left.
func (d *Decoder) Remaining() int { return len(d.buf) - d.off }

func (d *Decoder) errorf(at int, err error, format string, args ...any) error {
	return fmt.Errorf("%s at byte offset %d: %w", fmt.Sprintf(format, args...), at, err)
}

// Byte reads one byte.
func (d *Decoder) Byte() (byte, error) {
	if d.off >= len(d.buf) {
		return 0, d.errorf(d.off, ErrTruncated, "read byte")
	}
	c := d.buf[d.off]
	d.off++
	return c, nil
}

// Bytes returns the next n bytes without copying.
func (d *Decoder) Bytes(n int64) ([]byte, error) {
	if n < 0 || n > int64(d.Remaining()) {
		return nil, d.errorf(d.off, ErrTruncated, "read %d bytes with %d left", n, d.Remaining())
	}
	b := d.buf[d.off : d.off+int(n) : d.off+int(n)]
	d.off += int(n)
	return b, nil
}

// Int16 reads a big-endian int16.
func (d *Decoder) Int16() (int16, error) {
	b, err := d.Bytes(2)
	if err != nil {
		return 0, err
	}
	return int16(binary.BigEndian.Uint16(b)), nil
}

// Int32 reads a big-endian int32.
func (d *Decoder) Int32() (int32, error) {
	b, err := d.Bytes(4)
	if err != nil {
		return 0, err
	}
	return int32(binary.BigEndian.Uint32(b)), nil
}

// Int64 reads a big-endian int64.
func (d *Decoder) Int64() (int64, error) {
	b, err := d.Bytes(8)
	if err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}

// VarInt reads a Java VarInt; like Java it keeps the low 32 bits.
func (d *Decoder) VarInt() (int32, error) {
	at := d.off
	u, err := d.varUint(5)
	if err != nil {
		return 0, d.errorf(at, err, "read varint")
	}
	return int32(uint32(u)), nil
}

// VarLong reads a Java VarLong.
func (d *Decoder) VarLong() (int64, error) {
	at := d.off
	u, err := d.varUint(10)
	if err != nil {
		return 0, d.errorf(at, err, "read varlong")
	}
	return int64(u), nil
}

// Count reads a VarInt that sizes something, refusing a negative value.
func (d *Decoder) Count(what string) (int, error) {
	at := d.off
	v, err := d.VarInt()
	if err != nil {
		return 0, err
	}
	if v < 0 {
		return 0, d.errorf(at, ErrCorrupt, "read %s: negative count %d", what, v)
	}
	return int(v), nil
}

func (d *Decoder) varUint(max int) (uint64, error) {
	var u uint64
	for i := 0; i < max; i++ {
		if d.off >= len(d.buf) {
			return 0, ErrTruncated
		}
		c := d.buf[d.off]
		d.off++
		u = u<<7 | uint64(c&0x7f)
		if c&0x80 == 0 {
			return u, nil
		}
	}
	return 0, ErrCorrupt
}

// UTF reads a Java modified UTF-8 string (DataInput.readUTF).
func (d *Decoder) UTF() (string, error) {
	at := d.off
	n, err := d.Int16()
	if err != nil {
		return "", err
	}
	b, err := d.Bytes(int64(uint16(n)))
	if err != nil {
		return "", err
	}
	s, err := DecodeModifiedUTF8(b)
	if err != nil {
		return "", d.errorf(at, err, "read UTF string")
	}
	return s, nil
}
