package monitor

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestPruneKeepsNewestSnapshotsAndTheirChain(t *testing.T) {
	dir := t.TempDir()
	names := []string{"announced.version", "snapshot-1", "header-1"}
	for v := 2; v <= 9; v++ {
		names = append(names,
			"header-"+itoa(v), "delta-"+itoa(v-1)+"-"+itoa(v), "reversedelta-"+itoa(v)+"-"+itoa(v-1))
		if v%3 == 0 {
			names = append(names, "snapshot-"+itoa(v))
		}
	}
	for _, n := range names {
		os.WriteFile(filepath.Join(dir, n), []byte(n), 0o644)
	}
	// Snapshots 1, 3, 6, 9: keeping 2 keeps 6 and 9 and everything from 6 on.
	removed, err := Prune(dir, 2, func(name string) bool { return name != "delta-1-2" })
	if err != nil {
		t.Fatal(err)
	}
	want := "delta-2-3,delta-3-4,delta-4-5,header-1,header-2,header-3,header-4,header-5," +
		"reversedelta-2-1,reversedelta-3-2,reversedelta-4-3,reversedelta-5-4,snapshot-1,snapshot-3"
	if strings.Join(removed, ",") != want {
		t.Fatalf("removed %v\nwant    %s", removed, want)
	}
	left, _ := os.ReadDir(dir)
	var got []string
	for _, e := range left {
		got = append(got, e.Name())
	}
	sort.Strings(got)
	for _, must := range []string{"announced.version", "snapshot-6", "snapshot-9", "delta-6-7", "reversedelta-6-5", "header-6", "delta-1-2"} {
		if !contains(got, must) {
			t.Errorf("pruned %s, which must stay", must)
		}
	}
	if again, _ := Prune(dir, 2, nil); len(again) != 1 || again[0] != "delta-1-2" {
		t.Errorf("second prune removed %v", again)
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
