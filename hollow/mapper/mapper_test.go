package mapper

import (
	"bytes"
	"math"
	"reflect"
	"testing"

	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
	"github.com/keascope/keascope/hollow/write"
)

type Subnet struct {
	ID     int32 `hollow:",key"`
	Prefix string
}

type Interval struct {
	Server   string `hollow:"server,key"`
	Start    int64  `hollow:",key"`
	Label    string `hollow:",inline"`
	Acks     int32
	Ratio    float64
	Load     float32
	Up       bool
	Raw      []byte
	Maybe    *int64
	Note     *string `hollow:",inline"`
	Subnet   *Subnet
	Subnets  []Subnet
	Names    []string
	Counters map[string]int64
	Flags    map[string]struct{}
	skipped  int
	Ignored  int `hollow:"-"`
}

func TestRoundTrip(t *testing.T) {
	w := write.NewStateEngine()
	m := New(w)
	seven := int64(7)
	note := "é😀"
	in := []Interval{
		{Server: "kea-1", Start: 1, Label: "x😀", Acks: -5, Ratio: math.NaN(), Load: 0.5, Up: true, Raw: []byte{0, 1},
			Maybe: &seven, Note: &note, Subnet: &Subnet{ID: 1, Prefix: "10.0.0.0/8"},
			Subnets: []Subnet{{ID: 2, Prefix: "p2"}, {ID: 1, Prefix: "10.0.0.0/8"}}, Names: []string{"a", "b", "a"},
			Counters: map[string]int64{"ack": 3, "nak": 0}, Flags: map[string]struct{}{"hot": {}}},
		{Server: "kea-2", Start: 2, Subnets: []Subnet{}},
	}
	for i := range in {
		if _, err := m.Add(&in[i]); err != nil {
			t.Fatal(err)
		}
	}
	sc := w.Schema("Interval")
	if sc == nil || !reflect.DeepEqual(sc.PrimaryKey, []string{"server", "start"}) || sc.Fields[0].Type != schema.Reference || sc.Fields[2].Type != schema.String {
		t.Fatalf("schema %+v", sc)
	}
	if w.Schema("ListOfSubnet") == nil || w.Schema("MapOfStringToLong") == nil || w.Schema("SetOfString") == nil {
		t.Fatalf("collection types missing: %v", w.Schemas())
	}
	var buf bytes.Buffer
	if err := w.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	s, err := read.ParseSnapshot(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	out, err := All[Interval](s)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || !math.IsNaN(out[0].Ratio) {
		t.Fatalf("read %d records: %+v", len(out), out)
	}
	out[0].Ratio, in[0].Ratio = 0, 0
	for i := range in {
		if !reflect.DeepEqual(out[i], in[i]) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, out[i], in[i])
		}
	}
	if s.Type("Subnet").Count() != 2 {
		t.Errorf("identical Subnets were not shared: %d records", s.Type("Subnet").Count())
	}
}

func TestLowerCamel(t *testing.T) {
	for in, want := range map[string]string{"Name": "name", "ID": "id", "HTTPCode": "httpCode", "X": "x", "ServerID": "serverID"} {
		if got := lowerCamel(in); got != want {
			t.Errorf("lowerCamel(%s) = %s, want %s", in, got, want)
		}
	}
}

// TestReadMismatch reads a state whose field types differ from the Go
// struct's: an error, not a panic.
func TestReadMismatch(t *testing.T) {
	type A struct{ X int64 }
	type B struct {
		X string `hollow:",inline"`
	}
	w := write.NewStateEngine()
	if _, err := New(w).Add(A{X: 3}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w.WriteSnapshot(&buf)
	s, _ := read.ParseSnapshot(buf.Bytes())
	var b B
	r := NewReader(s)
	r.reg.byName = map[string]*typeInfo{}
	ti, _ := r.reg.info(reflect.TypeOf(b))
	ti.schema.Name = "A"
	if err := r.read(ti, 0, reflect.ValueOf(&b).Elem()); err == nil {
		t.Fatal("LONG read into a string without error")
	}
}
