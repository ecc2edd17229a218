// Package vectors locates the Java-written Hollow test vectors for the
// hollow packages' tests: ../shared/hollow-vectors beside the repository
// (where CI puts shared/), or the -vectors flag, or $HOLLOW_VECTORS.
package vectors

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var dir = flag.String("vectors", defaultDir(), "directory of Java-written Hollow vectors")

func defaultDir() string {
	if v := os.Getenv("HOLLOW_VECTORS"); v != "" {
		return v
	}
	// Test binaries run in their package's directory, two or three levels
	// below the repository root.
	for _, up := range []string{"../../..", "../.."} {
		d := filepath.Join(up, "..", "shared", "hollow-vectors")
		if _, err := os.Stat(d); err == nil {
			return d
		}
	}
	return "../../../shared/hollow-vectors"
}

// Dir is the vectors directory.
func Dir() string { return *dir }

// Path joins elements onto the vectors directory.
func Path(elem ...string) string { return filepath.Join(append([]string{*dir}, elem...)...) }

// Read returns a vector's bytes, failing the test if it cannot.
func Read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(Path(name))
	if err != nil {
		t.Fatalf("read vector: %v", err)
	}
	return b
}
