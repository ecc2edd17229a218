// Package hollow is a Go implementation of Netflix Hollow, byte-compatible
// with the Java library (blob format 1030): Go producers write snapshots,
// deltas and reverse deltas that Java consumers load, and Go consumers read
// what Java producers publish.
//
// The subpackages, from bytes up:
//
//   - encoding: VarInt, ZigZag, bit-packed arrays, Java strings and hashes
//   - schema: OBJECT, LIST, SET and MAP schemas and their bytes
//   - read: the read state engine (snapshots, deltas, generic record access)
//   - write: the write state engine and blob writer
//   - mapper: Go structs to Hollow records and back
//   - blob: the blob store interface and Java's filesystem layout
//   - producer: cycles, versions, integrity checks, announcements
//   - consumer: following a store version by version, with listeners
//   - index: primary-key and hash indexes over a read state
//   - canonical: the canonical JSON form of a state (test vectors, dumps)
//   - hollowcli: `keascope hollow inspect|dump|diff`
//
// A producer publishes one version per cycle; a consumer follows:
//
//	store, _ := blob.NewFS(dir)
//	p := producer.New(store, producer.Config{})
//	m := mapper.New(p.Engine())
//	p.RunCycle(ctx, func(w *write.StateEngine) error {
//		for _, g := range gauges {
//			if _, err := m.Add(g); err != nil {
//				return err
//			}
//		}
//		return nil
//	})
//
//	c := consumer.New(store, consumer.Config{})
//	c.Refresh(ctx)
//	gauges, _ := mapper.All[Gauge](c.Current())
package hollow
