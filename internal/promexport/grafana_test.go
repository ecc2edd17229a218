package promexport

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// The Grafana dashboard in deploy/ must only query names this exporter
// serves, or its panels stay empty after a rename.
func TestGrafanaDashboardUsesExportedNames(t *testing.T) {
	files, err := filepath.Glob("../../deploy/grafana/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Grafana dashboards found: %v", err)
	}
	exported := map[string]bool{}
	ch := make(chan *prometheus.Desc, 64)
	go func() { New().Describe(ch); close(ch) }()
	nameRE := regexp.MustCompile(`fqName: "([^"]+)"`)
	for d := range ch {
		exported[nameRE.FindStringSubmatch(d.String())[1]] = true
	}
	useRE := regexp.MustCompile(`\b(?:kea_dhcp4|keascope)_[a-z0-9_]+`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range useRE.FindAllString(string(b), -1) {
			base := name
			for _, suf := range []string{"_bucket", "_sum", "_count"} {
				if trimmed := strings.TrimSuffix(name, suf); trimmed != name && exported[trimmed] {
					base = trimmed
				}
			}
			if !exported[base] {
				t.Errorf("%s queries %s, which is not exported", filepath.Base(f), name)
			}
		}
	}
}
