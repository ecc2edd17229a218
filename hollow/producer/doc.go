// Package producer runs Hollow producer cycles over a blob store: each
// cycle repopulates the write state engine, and when the data changed it
// mints a version, checks that the new snapshot equals the previous state
// plus the delta (and the reverse delta leads back), runs validators, then
// publishes header, delta, reverse delta and (every few states) snapshot,
// and finally announces the version. A cycle with no change publishes
// nothing. Restore continues the chain of an announced version, with the
// same ordinals and randomized tag.
package producer
