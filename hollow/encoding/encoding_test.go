package encoding

import (
	"bytes"
	"testing"
)

func TestVarInt(t *testing.T) {
	for _, tc := range []struct {
		v    int32
		want []byte
	}{
		{1, []byte{0x01}}, {127, []byte{0x7f}}, {128, []byte{0x81, 0x00}}, {267, []byte{0x82, 0x0b}},
		{-1, []byte{0x8f, 0xff, 0xff, 0xff, 0x7f}}, {0, []byte{0}},
	} {
		got := AppendVarInt(nil, tc.v)
		if !bytes.Equal(got, tc.want) {
			t.Errorf("AppendVarInt(%d) = %x, want %x", tc.v, got, tc.want)
		}
		back, err := NewDecoder(got).VarInt()
		if err != nil || back != tc.v {
			t.Errorf("VarInt(%x) = %d, %v", got, back, err)
		}
	}
	for _, v := range []int64{0, 1, -1, 1 << 40, -1 << 63, 1<<63 - 1} {
		back, err := NewDecoder(AppendVarLong(nil, v)).VarLong()
		if err != nil || back != v {
			t.Errorf("VarLong round trip %d = %d, %v", v, back, err)
		}
	}
}

func TestZigZag(t *testing.T) {
	for _, v := range []int32{0, -1, 1, -2, 1<<31 - 1, -1 << 31} {
		if UnZigZag32(ZigZag32(v)) != v {
			t.Errorf("zigzag32 %d", v)
		}
	}
	if ZigZag32(-1) != 1 || ZigZag32(1) != 2 || ZigZag64(-2) != 3 {
		t.Error("zigzag values")
	}
}

func TestBitArray(t *testing.T) {
	a := NewBitArray(64 * 10)
	widths := []int{1, 7, 64, 33, 2, 60, 64, 5}
	var off int64
	vals := []uint64{1, 0x55, 0xdeadbeefcafebabe, 0x1ffffffff, 2, 1<<60 - 1, 1<<64 - 1, 17}
	for i, w := range widths {
		a.Set(off, w, vals[i])
		off += int64(w)
	}
	off = 0
	for i, w := range widths {
		if got := a.Get(off, w); got != vals[i] {
			t.Errorf("element %d width %d = %x, want %x", i, w, got, vals[i])
		}
		off += int64(w)
	}
	b := a.AppendTo(nil)
	back, err := NewDecoder(b).ReadBitArray()
	if err != nil || back.Get(8, 64) != a.Get(8, 64) {
		t.Fatalf("round trip: %v", err)
	}
}

func TestModifiedUTF8(t *testing.T) {
	s := "a\x00é漢😀"
	enc := EncodeModifiedUTF8(s)
	want := []byte{'a', 0xc0, 0x80, 0xc3, 0xa9, 0xe6, 0xbc, 0xa2, 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80}
	if !bytes.Equal(enc, want) {
		t.Fatalf("encode = %x, want %x", enc, want)
	}
	back, err := DecodeModifiedUTF8(enc)
	if err != nil || back != s {
		t.Fatalf("decode = %q, %v", back, err)
	}
}

func TestHashes(t *testing.T) {
	if StringHash(ToUTF16("hello")) != 99162322 {
		t.Error("String.hashCode(hello)")
	}
	if StringHash(ToUTF16("😀")) != int32(0xd83d)*31+0xde00 {
		t.Error("String.hashCode non-BMP")
	}
	// Reference values of MurmurHash3_x86_32.
	if Murmur3(nil, 0) != 0 || uint32(Murmur3([]byte("hello"), 0)) != 0x248bfa47 {
		t.Errorf("murmur3 = %x", uint32(Murmur3([]byte("hello"), 0)))
	}
	if LongHash(1<<32) != 1 {
		t.Error("long hash")
	}
}

func TestGapList(t *testing.T) {
	ords := []int{0, 3, 4, 200, 70000}
	b := AppendGapList(nil, ords)
	got, err := NewDecoder(b).ReadGapList(70000)
	if err != nil || len(got) != len(ords) || got[4] != 70000 {
		t.Fatalf("gap list = %v, %v", got, err)
	}
	if _, err := NewDecoder(b).ReadGapList(100); err == nil {
		t.Error("want error for ordinal above max")
	}
}

func TestBitSet(t *testing.T) {
	var s BitSet
	for _, o := range []int{0, 5, 64, 700} {
		s.Add(o)
	}
	b := s.AppendTo(nil)
	if len(b) != 4+256*8 {
		t.Fatalf("bitset size %d", len(b))
	}
	back, err := NewDecoder(b).ReadBitSet()
	if err != nil || back.Count() != 4 || !back.Has(700) || back.Max() != 700 {
		t.Fatalf("bitset round trip: %v", err)
	}
}
