package miniotest

import (
	"net/http"
	"testing"
)

func TestStartStopRestart(t *testing.T) {
	s := Start(t)
	ready := func() bool {
		resp, err := http.Get(s.Endpoint() + "/minio/health/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
	if !ready() {
		t.Fatal("not ready after Start")
	}
	s.Stop()
	if ready() {
		t.Fatal("still answering after Stop")
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	if !ready() {
		t.Fatal("not ready after restart")
	}
}
