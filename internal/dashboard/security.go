package dashboard

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// csp allows nothing but this origin's own files: no inline script or
// style, no framing, no plugins. uPlot styles elements through the CSSOM,
// which a CSP does not restrict.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'none'; frame-ancestors 'none'"

func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
}

const tokenCookie = "keascope_token"

// authorize accepts a request carrying the token, as a bearer header or
// cookie. A browser cannot put a header on a page load or an EventSource,
// so /?token=T sets the cookie and redirects to the bare URL, which keeps
// the token out of the address bar and history.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) bool {
	if s.token == "" {
		return true
	}
	if q := r.URL.Query().Get("token"); q != "" && r.URL.Path == "/" {
		if !s.tokenOK(q) {
			writeError(w, http.StatusUnauthorized, "wrong token")
			return false
		}
		http.SetCookie(w, &http.Cookie{
			Name: tokenCookie, Value: q, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil,
		})
		u := url.URL{Path: "/"}
		http.Redirect(w, r, u.String(), http.StatusSeeOther)
		return false
	}
	if h, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && s.tokenOK(h) {
		return true
	}
	if c, err := r.Cookie(tokenCookie); err == nil && s.tokenOK(c.Value) {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="keascope"`)
	writeError(w, http.StatusUnauthorized, "token required: send 'Authorization: Bearer TOKEN' or open /?token=TOKEN")
	return false
}

func (s *Server) tokenOK(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.token)) == 1
}

// hostAllowed defends a token-less dashboard against DNS rebinding: a page
// from another site that re-points its name at 127.0.0.1 would otherwise
// read the API. Without a token only loopback names and IP literals pass;
// with one, the token is the defence.
func (s *Server) hostAllowed(host string) bool {
	if s.token != "" {
		return true
	}
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if h == "" || strings.EqualFold(h, "localhost") || strings.HasSuffix(strings.ToLower(h), ".localhost") {
		return true
	}
	return net.ParseIP(h) != nil
}
