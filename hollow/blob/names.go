package blob

import (
	"strconv"
	"strings"
)

// AnnouncedName is the file holding the announced version, as in Java's
// HollowFilesystemAnnouncer.
const AnnouncedName = "announced.version"

// Kind is the kind of a blob.
type Kind string

// Blob kinds, named as Java names their files.
const (
	Snapshot     Kind = "snapshot"
	Delta        Kind = "delta"
	ReverseDelta Kind = "reversedelta"
	Header       Kind = "header"
)

// SnapshotName is the name of the snapshot of version v.
func SnapshotName(v int64) string { return "snapshot-" + strconv.FormatInt(v, 10) }

// DeltaName is the name of the delta from version from to version to.
func DeltaName(from, to int64) string {
	return "delta-" + strconv.FormatInt(from, 10) + "-" + strconv.FormatInt(to, 10)
}

// ReverseDeltaName is the name of the reverse delta from version from back
// to the older version to.
func ReverseDeltaName(from, to int64) string {
	return "reversedelta-" + strconv.FormatInt(from, 10) + "-" + strconv.FormatInt(to, 10)
}

// HeaderName is the name of the header of version v.
func HeaderName(v int64) string { return "header-" + strconv.FormatInt(v, 10) }

// Name is a parsed blob name. From is 0 for snapshots and headers.
type Name struct {
	Kind     Kind
	From, To int64
}

// String is the blob's file name.
func (n Name) String() string {
	switch n.Kind {
	case Delta:
		return DeltaName(n.From, n.To)
	case ReverseDelta:
		return ReverseDeltaName(n.From, n.To)
	case Header:
		return HeaderName(n.To)
	}
	return SnapshotName(n.To)
}

// ParseName parses a blob file name; ok is false for any other file.
func ParseName(s string) (Name, bool) {
	kind, rest, ok := strings.Cut(s, "-")
	if !ok {
		return Name{}, false
	}
	num := func(x string) (int64, bool) {
		v, err := strconv.ParseInt(x, 10, 64)
		return v, err == nil && v >= 0 && strconv.FormatInt(v, 10) == x
	}
	switch Kind(kind) {
	case Snapshot, Header:
		v, ok := num(rest)
		return Name{Kind: Kind(kind), To: v}, ok
	case Delta, ReverseDelta:
		a, b, ok := strings.Cut(rest, "-")
		if !ok {
			return Name{}, false
		}
		x, ok1 := num(a)
		y, ok2 := num(b)
		return Name{Kind: Kind(kind), From: x, To: y}, ok1 && ok2
	}
	return Name{}, false
}
