package hollowcli

import (
	"bytes"
	"encoding/json"
	"github.com/keascope/keascope/hollow/internal/vectors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, &out, &errb)
	return out.String(), errb.String(), code
}

func vec(p string) string { return filepath.Join(vectors.Dir(), p) }

func sameJSON(t *testing.T, got string, wantFile string, ignoreTag bool) {
	t.Helper()
	want, err := os.ReadFile(wantFile)
	if err != nil {
		t.Fatal(err)
	}
	var g, w map[string]any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	json.Unmarshal(want, &w)
	if ignoreTag {
		delete(g, "randomizedTag")
		delete(w, "randomizedTag")
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("dump differs from %s", wantFile)
	}
}

func TestDumpCanonical(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		want      string
		ignoreTag bool
	}{
		{[]string{vec("single/metric-ref.blob")}, vec("single/metric-ref.json"), false},
		{[]string{vec("single/empty.blob")}, vec("single/empty.json"), false},
		{[]string{vec("rich/snapshot-1"), vec("rich/delta-1-2")}, vec("rich/state-2.json"), true},
		{[]string{vec("rich-sharded/snapshot-2"), vec("rich-sharded/reversedelta-2-1")}, vec("rich-sharded/state-1.json"), true},
		{[]string{"--store", vec("fs")}, vec("fs/state-20261123205303003.json"), false},
		{[]string{"--store", vec("fs"), "--version", "20261123205303003"}, vec("fs/state-20261123205303003.json"), false},
	} {
		out, errs, code := run(t, append([]string{"dump", "--canonical"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("dump %v: exit %d: %s", tc.args, code, errs)
		}
		sameJSON(t, out, tc.want, tc.ignoreTag)
	}
}

func TestInspectDumpDiff(t *testing.T) {
	out, errs, code := run(t, "inspect", vec("fs"))
	if code != 0 || !strings.Contains(out, "Gauge") || !strings.Contains(out, "announced version 20261123205303003") {
		t.Fatalf("inspect store: %d %s %s", code, out, errs)
	}
	out, _, code = run(t, "inspect", vec("rich/delta-1-2"))
	if code != 0 || !strings.Contains(out, "SetOfString") {
		t.Fatalf("inspect delta: %d %s", code, out)
	}
	out, _, code = run(t, "dump", "--type", "Gauge", "--store", vec("fs"))
	if code != 0 || strings.Count(out, "\n") != 3 || !strings.Contains(out, `"name":"g0"`) {
		t.Fatalf("dump: %d %s", code, out)
	}
	out, errs, code = run(t, "diff", "--store", vec("fs"), "20261123205301001", "20261123205303003")
	if code != 0 || !strings.Contains(out, "~ Gauge g0 ts:") || !strings.Contains(out, "type Gauge:") {
		t.Fatalf("diff: %d %s %s", code, out, errs)
	}
	if _, _, code := run(t, "nope"); code != 2 {
		t.Fatalf("unknown command exit %d", code)
	}
	if _, errs, code := run(t, "dump", vec("nope")); code != 1 || errs == "" {
		t.Fatalf("missing file: exit %d", code)
	}
}
