package hollowcli

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/read"
)

func runInspect(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("inspect", "BLOB|STORE-DIR", stderr)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	path := fs.Arg(0)
	fi, err := os.Stat(path)
	if err != nil {
		return fail(stderr, "inspect", err)
	}
	if fi.IsDir() {
		err = inspectStore(stdout, path)
	} else {
		err = inspectBlob(stdout, path)
	}
	if err != nil {
		return fail(stderr, "inspect", err)
	}
	return 0
}

func inspectBlob(w io.Writer, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	h, err := read.ParseHeader(b)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "blob %s: %d bytes, origin tag %d, destination tag %d\n", path, len(b), h.OriginTag, h.DestinationTag)
	printTags(w, h.Tags)
	if s, err := read.ParseSnapshot(b); err == nil {
		fmt.Fprintln(w, "snapshot")
		printTypes(w, s)
		return nil
	}
	fmt.Fprintf(w, "not a loadable snapshot (a delta or header); %d schemas:\n", len(h.Schemas))
	for _, sc := range h.Schemas {
		fmt.Fprintf(w, "  %s %s\n", sc.Kind, sc.Name)
	}
	return nil
}

func printTags(w io.Writer, tags map[string]string) {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  tag %s = %s\n", k, tags[k])
	}
}

func printTypes(w io.Writer, s *read.State) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "type\tkind\tshards\trecords\tmax ordinal\tsnapshot bytes\t")
	for _, n := range s.TypeNames() {
		t := s.Type(n)
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t\n", n, t.Schema().Kind, t.NumShards(), t.Count(), t.MaxOrdinal(), t.SnapshotBytes())
	}
	tw.Flush()
}

func inspectStore(w io.Writer, dir string) error {
	ctx := context.Background()
	store, err := blob.NewFS(dir)
	if err != nil {
		return err
	}
	names, err := store.List(ctx, "")
	if err != nil {
		return err
	}
	counts := map[blob.Kind]int{}
	sizes := map[blob.Kind]int64{}
	for _, n := range names {
		bn, ok := blob.ParseName(n)
		if !ok {
			continue
		}
		counts[bn.Kind]++
		if fi, err := os.Stat(dir + "/" + n); err == nil {
			sizes[bn.Kind] += fi.Size()
		}
	}
	fmt.Fprintf(w, "store %s\n", dir)
	for _, k := range []blob.Kind{blob.Snapshot, blob.Delta, blob.ReverseDelta, blob.Header} {
		fmt.Fprintf(w, "  %-12s %4d blobs %10d bytes\n", k, counts[k], sizes[k])
	}
	s, v, err := loadStore(ctx, dir, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "announced version %d, randomized tag %d\n", v, s.RandomizedTag())
	printTags(w, s.HeaderTags())
	printTypes(w, s)
	return nil
}
