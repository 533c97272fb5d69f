package web

import (
	"net/http"
	"strings"
)

// CORS headers the hub answers with. Requests carry their token in the
// Authorization header, which a browser sends cross-origin only after a
// preflight that allows it.
const (
	corsAllowMethods = "GET, POST, OPTIONS"
	corsAllowHeaders = "Authorization, Content-Type, Accept, X-Request-Id, X-Credit-Purpose"
	// Headers a dashboard's script may read: the request id to quote in a
	// support ticket, and the rate-limit state.
	corsExposeHeaders = "X-Request-Id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After"
	corsMaxAge        = "600"
)

// withCORS lets browser pages on the allowed origins call next. An origin
// on the list gets itself back in Access-Control-Allow-Origin with
// Access-Control-Allow-Credentials (so a page behind a cookie-based single
// sign-on proxy works too); "*" on the list allows any origin, answered
// with a literal "*" and never with credentials, as the Fetch standard
// requires. Preflights (OPTIONS with Access-Control-Request-Method) are
// answered here: 204 with the allowed methods and headers, or 403 for an
// origin not on the list. Requests without an Origin header (servers,
// curl) pass untouched; a cross-origin request from an origin not on the
// list passes without CORS headers, so the browser keeps its answer from
// the page.
func withCORS(origins []string, next http.Handler) http.Handler {
	allowed := map[string]bool{}
	anyOrigin := false
	for _, o := range origins {
		if o == "*" {
			anyOrigin = true
			continue
		}
		allowed[strings.ToLower(o)] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if preflight {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
		}
		switch {
		case allowed[strings.ToLower(origin)]:
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
		case anyOrigin:
			h.Set("Access-Control-Allow-Origin", "*")
		default:
			if preflight {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		if !preflight {
			h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Access-Control-Allow-Methods", corsAllowMethods)
		h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
		h.Set("Access-Control-Max-Age", corsMaxAge)
		w.WriteHeader(http.StatusNoContent)
	})
}
