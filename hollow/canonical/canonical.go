package canonical

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
)

// Write renders s as canonical JSON.
func Write(w io.Writer, s *read.State) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "{\n\"randomizedTag\": \"%d\",\n\"headerTags\": {", s.RandomizedTag())
	tags := s.HeaderTags()
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			bw.WriteString(", ")
		}
		writeString(bw, k)
		bw.WriteString(": ")
		writeString(bw, tags[k])
	}
	bw.WriteString("},\n\"types\": {\n")
	for i, name := range s.TypeNames() {
		if i > 0 {
			bw.WriteString(",\n")
		}
		writeType(bw, s.Type(name))
	}
	bw.WriteString("\n}\n}\n")
	return bw.Flush()
}

func writeType(w *bufio.Writer, t *read.Type) {
	writeString(w, t.Name())
	w.WriteString(": {\"schema\": ")
	WriteSchema(w, t.Schema())
	fmt.Fprintf(w, ", \"numShards\": %d, \"records\": {", t.NumShards())
	first := true
	for o := range t.Ordinals() {
		if !first {
			w.WriteString(", ")
		}
		first = false
		fmt.Fprintf(w, "\"%d\": ", o)
		WriteRecord(w, t, o)
	}
	w.WriteString("}}")
}

func writePaths(w *bufio.Writer, p []string) {
	if p == nil {
		w.WriteString("null")
		return
	}
	w.WriteString("[")
	for i, s := range p {
		if i > 0 {
			w.WriteString(", ")
		}
		writeString(w, s)
	}
	w.WriteString("]")
}

// WriteSchema renders one schema.
func WriteSchema(w *bufio.Writer, s *schema.Schema) {
	fmt.Fprintf(w, "{\"kind\": \"%s\"", s.Kind)
	switch s.Kind {
	case schema.Object:
		w.WriteString(", \"primaryKey\": ")
		writePaths(w, s.PrimaryKey)
		w.WriteString(", \"fields\": [")
		for i, f := range s.Fields {
			if i > 0 {
				w.WriteString(", ")
			}
			w.WriteString("{\"name\": ")
			writeString(w, f.Name)
			fmt.Fprintf(w, ", \"type\": \"%s\"", f.Type)
			if f.Type == schema.Reference {
				w.WriteString(", \"ref\": ")
				writeString(w, f.Ref)
			}
			w.WriteString("}")
		}
		w.WriteString("]")
	case schema.List:
		w.WriteString(", \"element\": ")
		writeString(w, s.Element)
	case schema.Set:
		w.WriteString(", \"element\": ")
		writeString(w, s.Element)
		w.WriteString(", \"hashKey\": ")
		writePaths(w, s.HashKey)
	case schema.Map:
		w.WriteString(", \"key\": ")
		writeString(w, s.Key)
		w.WriteString(", \"value\": ")
		writeString(w, s.Value)
		w.WriteString(", \"hashKey\": ")
		writePaths(w, s.HashKey)
	}
	w.WriteString("}")
}

// WriteRecord renders record o of t.
func WriteRecord(w *bufio.Writer, t *read.Type, o int) {
	s := t.Schema()
	switch s.Kind {
	case schema.Object:
		w.WriteString("{")
		for f, fd := range s.Fields {
			if f > 0 {
				w.WriteString(", ")
			}
			writeString(w, fd.Name)
			w.WriteString(": ")
			writeField(w, t, o, f, fd.Type)
		}
		w.WriteString("}")
	case schema.List, schema.Set:
		es := t.Elements(o)
		if s.Kind == schema.Set {
			slices.Sort(es)
		}
		w.WriteString("[")
		for i, e := range es {
			if i > 0 {
				w.WriteString(", ")
			}
			w.WriteString(strconv.Itoa(e))
		}
		w.WriteString("]")
	case schema.Map:
		es := t.Entries(o)
		slices.SortFunc(es, func(a, b [2]int) int {
			if a[0] != b[0] {
				return a[0] - b[0]
			}
			return a[1] - b[1]
		})
		w.WriteString("[")
		for i, e := range es {
			if i > 0 {
				w.WriteString(", ")
			}
			fmt.Fprintf(w, "[%d, %d]", e[0], e[1])
		}
		w.WriteString("]")
	}
}

func writeField(w *bufio.Writer, t *read.Type, o, f int, ft schema.FieldType) {
	if t.IsNull(o, f) {
		w.WriteString("null")
		return
	}
	switch ft {
	case schema.Int:
		v, _ := t.Int(o, f)
		w.WriteString(strconv.Itoa(int(v)))
	case schema.Long:
		v, _ := t.Long(o, f)
		fmt.Fprintf(w, "\"%d\"", v)
	case schema.Reference:
		v, _ := t.Ref(o, f)
		w.WriteString(strconv.Itoa(v))
	case schema.Boolean:
		v, _ := t.Bool(o, f)
		w.WriteString(strconv.FormatBool(v))
	case schema.Float:
		v, _ := t.FloatBits(o, f)
		fmt.Fprintf(w, "\"0x%08x\"", v)
	case schema.Double:
		v, _ := t.DoubleBits(o, f)
		fmt.Fprintf(w, "\"0x%016x\"", v)
	case schema.String:
		u, _ := t.StringUTF16(o, f)
		writeUTF16(w, u)
	case schema.Bytes:
		v, _ := t.Bytes(o, f)
		fmt.Fprintf(w, "\"%s\"", hex.EncodeToString(v))
	}
}

func writeString(w *bufio.Writer, s string) {
	var u []uint16
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			u = append(u, uint16(0xd800+(r>>10)), uint16(0xdc00+(r&0x3ff)))
			continue
		}
		u = append(u, uint16(r))
	}
	writeUTF16(w, u)
}

// writeUTF16 writes a JSON string escaping every non-ASCII code unit, so
// unpaired surrogates survive exactly as Java holds them.
func writeUTF16(w *bufio.Writer, u []uint16) {
	w.WriteByte('"')
	for _, c := range u {
		switch {
		case c == '"' || c == '\\':
			w.WriteByte('\\')
			w.WriteByte(byte(c))
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(w, "\\u%04x", c)
		default:
			w.WriteByte(byte(c))
		}
	}
	w.WriteByte('"')
}
