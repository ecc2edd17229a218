// Package consumer follows a Hollow dataset in a blob store: it loads the
// nearest snapshot at or before the wanted version, follows deltas forward
// and reverse deltas backward, and falls back to a fresh snapshot after a
// broken or long chain. Each new version is an immutable read state that
// any number of goroutines may read while the consumer moves on; listeners
// learn which ordinals each type added, removed or modified. A bad blob
// leaves the consumer serving its last good state and returns an error.
package consumer
