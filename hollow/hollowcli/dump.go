package hollowcli

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/keascope/keascope/hollow/canonical"
	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
)

func runDump(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("dump", "SNAPSHOT [DELTA...] | --store DIR [--version V]", stderr)
	canon := fs.Bool("canonical", false, "print the test vectors' canonical JSON")
	store := fs.String("store", "", "read a store directory instead of blob files")
	version := fs.Int64("version", 0, "with --store: version to load (default: the announced one)")
	typ := fs.String("type", "", "only this type (not with --canonical)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	var s *read.State
	var err error
	switch {
	case *store != "" && fs.NArg() == 0:
		s, _, err = loadStore(context.Background(), *store, *version)
	case *store == "" && fs.NArg() >= 1:
		s, err = loadFiles(fs.Arg(0), fs.Args()[1:])
	default:
		fs.Usage()
		return 2
	}
	if err != nil {
		return fail(stderr, "dump", err)
	}
	if *canon {
		err = canonical.Write(stdout, s)
	} else {
		err = dumpRecords(stdout, s, *typ)
	}
	if err != nil {
		return fail(stderr, "dump", err)
	}
	return 0
}

// dumpRecords writes one JSON object per record and line.
func dumpRecords(w io.Writer, s *read.State, only string) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for _, n := range s.TypeNames() {
		if only != "" && n != only {
			continue
		}
		t := s.Type(n)
		for o := range t.Ordinals() {
			line := map[string]any{"type": n, "ordinal": o, "record": recordValue(s, t, o)}
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// recordValue renders a record for people: references to one-field types
// (String, Long, ...) show the referenced value, others the ordinal.
func recordValue(s *read.State, t *read.Type, o int) any {
	sc := t.Schema()
	switch sc.Kind {
	case schema.Object:
		m := make(map[string]any, len(sc.Fields))
		for f, fd := range sc.Fields {
			m[fd.Name] = fieldValue(s, t, o, f, fd)
		}
		return m
	case schema.Map:
		return t.Entries(o)
	}
	return t.Elements(o)
}

func fieldValue(s *read.State, t *read.Type, o, f int, fd schema.Field) any {
	v := t.Value(o, f)
	switch x := v.(type) {
	case nil:
		return nil
	case float32:
		return jsonFloat(float64(x))
	case float64:
		return jsonFloat(x)
	case []byte:
		return hex.EncodeToString(x)
	case int:
		if fd.Type == schema.Reference {
			if rt := s.Type(fd.Ref); rt != nil && rt.Schema().Kind == schema.Object && len(rt.Schema().Fields) == 1 {
				return fieldValue(s, rt, x, 0, rt.Schema().Fields[0])
			}
		}
	}
	return v
}

func jsonFloat(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Sprint(f)
	}
	return f
}
