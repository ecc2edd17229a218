package dashboard

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// writeError answers with a status and a one-line JSON reason; never a
// stack trace or an HTML page.
func writeError(w http.ResponseWriter, status int, reason string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Del("Content-Encoding")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": reason})
}

// sourceError maps a Source failure to a status: what the client asked for
// does not exist (404) or the store cannot be read (503).
func sourceError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, ErrUnknownVersion):
		writeError(w, http.StatusNotFound, "unknown version: not retained by the store")
	case errors.Is(err, ErrUnknownServer):
		writeError(w, http.StatusNotFound, "unknown server")
	default:
		writeError(w, http.StatusServiceUnavailable, "store unavailable: "+err.Error())
	}
}

// writeJSON sends v, gzipped when the client accepts it and it is large
// enough to be worth it.
func writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "encode response")
		return
	}
	writeBody(w, r, "application/json", b)
}

func writeBody(w http.ResponseWriter, r *http.Request, ctype string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding")
	if len(b) < 2048 || !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Write(b)
		return
	}
	h.Set("Content-Encoding", "gzip")
	zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	zw.Write(b)
	zw.Close()
}
