// Package dashboard serves the statistics page for the city credit office
// and its wall screen at /dashboard/: static files embedded in the binary
// (HTML, script, style and a vendored Apache ECharts), so that the page
// works on an intranet with no network beyond the hub. The page reads the
// hub's own GraphQL API with the API key its user pastes; this package
// holds no data and no rule.
package dashboard

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed assets
var assets embed.FS

// Prefix is where Handler expects to be mounted.
const Prefix = "/dashboard/"

// contentSecurityPolicy allows the page to load only its own files and to
// talk only to its own origin (the GraphQL endpoint): nothing from a CDN,
// no inline script. ECharts sets element styles from script, which
// style-src must allow.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; " +
	"frame-ancestors 'self'"

// Handler serves the page and its assets under Prefix; mount it with
// mux.Handle(dashboard.Prefix, dashboard.Handler()) (a request for
// /dashboard is redirected to /dashboard/ by the mux).
func Handler() http.Handler {
	sub, err := fs.Sub(assets, "assets")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	files := http.StripPrefix(Prefix, http.FileServer(http.FS(sub)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		// The files change only with the binary; the vendored library is
		// large and versioned by its path, the page is small and revalidated.
		if strings.HasPrefix(r.URL.Path, Prefix+"vendor/") {
			h.Set("Cache-Control", "public, max-age=86400")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}
