package write

import "fmt"

// Retain keeps a record of the previous cycle in the current one without
// encoding it again. A producer whose dataset changes little per cycle
// (a rolling window) retains the records it already wrote and adds only the
// new ones, which makes a cycle cost proportional to the change. The caller
// must also retain every record the retained one references.
func (e *StateEngine) Retain(typeName string, ordinal int) error {
	t, ok := e.types[typeName]
	if !ok {
		return fmt.Errorf("retain %s: %w", typeName, ErrUnknownType)
	}
	if ordinal < 0 || ordinal >= len(t.records) || t.records[ordinal] == "" {
		return fmt.Errorf("retain %s ordinal %d: no such record", typeName, ordinal)
	}
	t.cur.Add(ordinal)
	return nil
}
