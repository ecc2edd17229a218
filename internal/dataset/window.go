package dataset

import (
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// Resolutions of the interval records in the dataset.
const (
	// Fine records are the intervals as collected (default 1 s).
	Fine = "fine"
	// Minute records roll the fine ones up per wall-clock minute.
	Minute = "minute"
)

// Window is the rolling window the current Hollow state holds: the fine
// intervals of the last FineSpan and per-minute roll-ups of the last
// MinuteSpan. Each Add changes only a few records (the new interval, the
// one that ages out, a finished minute), which is what keeps every delta
// small however long the window is.
type Window struct {
	FineSpan   time.Duration
	MinuteSpan time.Duration

	fine    []*metrics.Interval // ascending by End
	minutes []*metrics.Interval // completed minutes, ascending
	// open is the minute being filled; it enters the dataset when the
	// first interval of the next minute arrives.
	open *metrics.Interval
}

// NewWindow returns an empty window.
func NewWindow(fine, minute time.Duration) *Window {
	return &Window{FineSpan: fine, MinuteSpan: minute}
}

// Add appends an interval and ages out what fell off either span.
func (w *Window) Add(iv *metrics.Interval) {
	w.fine = append(w.fine, iv)
	cut := iv.End.Add(-w.FineSpan)
	i := 0
	for i < len(w.fine) && !w.fine[i].End.After(cut) {
		i++
	}
	w.fine = w.fine[i:]

	minute := iv.End.Add(-time.Nanosecond).Truncate(time.Minute)
	if w.open != nil && !w.open.Start.Truncate(time.Minute).Equal(minute) {
		w.open.Compact()
		w.minutes = append(w.minutes, w.open)
		w.open = nil
	}
	if w.open == nil {
		w.open = metrics.New(minute, iv.Source)
	}
	w.open.Merge(iv)
	w.open.Start = minute
	iv.Compact() // kept for the whole window: store only non-empty buckets

	mcut := iv.End.Add(-w.MinuteSpan)
	j := 0
	for j < len(w.minutes) && !w.minutes[j].End.After(mcut) {
		j++
	}
	w.minutes = w.minutes[j:]
}

// Fine returns the fine intervals, oldest first. The slice is shared; do
// not modify it.
func (w *Window) Fine() []*metrics.Interval { return w.fine }

// Minutes returns the completed minute roll-ups, oldest first.
func (w *Window) Minutes() []*metrics.Interval { return w.minutes }

// Restore refills the window from a stored state, so a restarted monitor
// continues the same records.
func (w *Window) Restore(fine, minutes []*metrics.Interval) {
	w.fine = append(w.fine[:0], fine...)
	w.minutes = append(w.minutes[:0], minutes...)
	w.open = nil
}
