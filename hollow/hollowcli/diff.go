package hollowcli

import (
	"context"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"

	"github.com/keascope/keascope/hollow/index"
	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
)

func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("diff", "--store DIR FROM-VERSION TO-VERSION | SNAPSHOT-A SNAPSHOT-B", stderr)
	store := fs.String("store", "", "store directory the versions are in")
	typ := fs.String("type", "", "only this type")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	var a, b *read.State
	var err error
	if *store != "" {
		va, err1 := strconv.ParseInt(fs.Arg(0), 10, 64)
		vb, err2 := strconv.ParseInt(fs.Arg(1), 10, 64)
		if err1 != nil || err2 != nil {
			fs.Usage()
			return 2
		}
		if a, _, err = loadStore(context.Background(), *store, va); err == nil {
			b, _, err = loadStore(context.Background(), *store, vb)
		}
	} else if a, err = loadFiles(fs.Arg(0), nil); err == nil {
		b, err = loadFiles(fs.Arg(1), nil)
	}
	if err != nil {
		return fail(stderr, "diff", err)
	}
	if err := diff(stdout, a, b, *typ); err != nil {
		return fail(stderr, "diff", err)
	}
	return 0
}

// diff prints, per type with a primary key, "+ key" for added records,
// "- key" for removed ones and "~ key field: old -> new" for changed
// fields. Types without a primary key get added/removed counts by content.
func diff(w io.Writer, a, b *read.State, only string) error {
	for _, n := range b.TypeNames() {
		if only != "" && n != only {
			continue
		}
		tb, ta := b.Type(n), a.Type(n)
		if ta == nil {
			fmt.Fprintf(w, "type %s: new, %d records\n", n, tb.Count())
			continue
		}
		pk := tb.Schema().PrimaryKey
		if len(pk) == 0 || tb.Schema().Kind != schema.Object {
			continue
		}
		keysA, err := keyed(a, n, pk)
		if err != nil {
			return err
		}
		keysB, err := keyed(b, n, pk)
		if err != nil {
			return err
		}
		var added, removed, changed int
		for _, k := range sortedKeys(keysB) {
			ob := keysB[k]
			oa, ok := keysA[k]
			if !ok {
				added++
				fmt.Fprintf(w, "+ %s %s\n", n, keyText(b, tb, ob, pk))
				continue
			}
			fields := changedFields(a, ta, oa, b, tb, ob)
			if len(fields) > 0 {
				changed++
			}
			for _, f := range fields {
				fmt.Fprintf(w, "~ %s %s %s\n", n, keyText(b, tb, ob, pk), f)
			}
		}
		for _, k := range sortedKeys(keysA) {
			if _, ok := keysB[k]; !ok {
				removed++
				fmt.Fprintf(w, "- %s %s\n", n, keyText(a, ta, keysA[k], pk))
			}
		}
		fmt.Fprintf(w, "type %s: %d added, %d removed, %d changed\n", n, added, removed, changed)
	}
	return nil
}

func keyed(s *read.State, typ string, pk []string) (map[string]int, error) {
	out := map[string]int{}
	t := s.Type(typ)
	for o := range t.Ordinals() {
		k, err := index.Key(s, typ, pk, o)
		if err != nil {
			return nil, err
		}
		out[k] = o
	}
	return out, nil
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(x, y string) int { return m[x] - m[y] })
	return ks
}

func keyText(s *read.State, t *read.Type, o int, pk []string) string {
	m := recordValue(s, t, o).(map[string]any)
	var out []any
	for _, p := range pk {
		out = append(out, m[p])
	}
	return fmt.Sprint(out...)
}

// changedFields compares two records field by field, following references
// to one-field types so a re-pointed String shows its value.
func changedFields(sa *read.State, ta *read.Type, oa int, sb *read.State, tb *read.Type, ob int) []string {
	ma, _ := recordValue(sa, ta, oa).(map[string]any)
	mb, _ := recordValue(sb, tb, ob).(map[string]any)
	var out []string
	for _, fd := range tb.Schema().Fields {
		if !reflect.DeepEqual(ma[fd.Name], mb[fd.Name]) {
			out = append(out, fmt.Sprintf("%s: %v -> %v", fd.Name, show(ma[fd.Name]), show(mb[fd.Name])))
		}
	}
	return out
}

func show(v any) any {
	if v == nil {
		return "null"
	}
	return v
}
