package canonical

import (
	"bufio"
	"crypto/sha256"
	"io"

	"github.com/keascope/keascope/hollow/read"
)

// Digest hashes a state's schemas, shard counts and records, not its tag or
// header tags: two states with equal digests hold the same data at the same
// ordinals. Producers use it for the integrity check.
func Digest(s *read.State) [32]byte {
	h := sha256.New()
	w := bufio.NewWriter(h)
	for _, name := range s.TypeNames() {
		writeType(w, s.Type(name))
		io.WriteString(w, "\n")
	}
	w.Flush()
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}
