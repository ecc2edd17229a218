package promexport

import dtopb "github.com/prometheus/client_model/go"

// dto wraps a parsed metric family with label-matching lookups.
type dto struct{ mf *dtopb.MetricFamily }

func (d *dto) find(labels map[string]string) *dtopb.Metric {
	if d == nil {
		return nil
	}
next:
	for _, m := range d.mf.GetMetric() {
		have := map[string]string{}
		for _, lp := range m.GetLabel() {
			have[lp.GetName()] = lp.GetValue()
		}
		for k, v := range labels {
			if have[k] != v {
				continue next
			}
		}
		return m
	}
	return nil
}

func (d *dto) value(labels map[string]string) (float64, bool) {
	m := d.find(labels)
	switch {
	case m == nil:
		return 0, false
	case m.Counter != nil:
		return m.Counter.GetValue(), true
	case m.Gauge != nil:
		return m.Gauge.GetValue(), true
	}
	return 0, false
}

func (d *dto) histogram(labels map[string]string) *dtopb.Histogram {
	if m := d.find(labels); m != nil {
		return m.Histogram
	}
	return nil
}
