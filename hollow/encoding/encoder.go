package encoding

import (
	"encoding/binary"
	"fmt"
)

// AppendInt16 appends a big-endian int16.
func AppendInt16(b []byte, v int16) []byte { return binary.BigEndian.AppendUint16(b, uint16(v)) }

// AppendInt32 appends a big-endian int32.
func AppendInt32(b []byte, v int32) []byte { return binary.BigEndian.AppendUint32(b, uint32(v)) }

// AppendInt64 appends a big-endian int64.
func AppendInt64(b []byte, v int64) []byte { return binary.BigEndian.AppendUint64(b, uint64(v)) }

// AppendUTF appends s as DataOutput.writeUTF does: a uint16 byte length and
// modified UTF-8. Strings over 65535 encoded bytes are refused, as in Java.
func AppendUTF(b []byte, s string) ([]byte, error) {
	enc := EncodeModifiedUTF8(s)
	if len(enc) > 0xffff {
		return b, fmt.Errorf("write UTF string: %d bytes exceeds 65535", len(enc))
	}
	b = AppendInt16(b, int16(uint16(len(enc))))
	return append(b, enc...), nil
}
