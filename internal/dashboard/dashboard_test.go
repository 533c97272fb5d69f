package dashboard

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, method, path string) *httptest.ResponseRecorder {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(Prefix, Handler())
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec
}

func TestThePageAndItsAssetsAreServedFromTheBinary(t *testing.T) {
	for path, want := range map[string]string{
		"/dashboard/":       `<html lang="zh-CN">`,
		"/dashboard/app.js": "savedKey()",
		"/dashboard/api.js": "sessionStorage.setItem",
		"/dashboard/vendor/echarts-6.1.0/echarts.min.js": "Apache Software Foundation",
		"/dashboard/vendor/echarts-6.1.0/LICENSE":        "Apache License",
	} {
		rec := get(t, http.MethodGet, path)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("GET %s: %d, want 200 with %q", path, rec.Code, want)
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") ||
			rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: headers %v, want a CSP allowing only its own origin", path, rec.Header())
		}
	}
	// Nothing in the page names another host: it must work with no network.
	for _, f := range []string{"assets/index.html", "assets/app.js", "assets/api.js", "assets/stats.js", "assets/panels.js",
		"assets/lookup.js", "assets/style.css"} {
		b, err := assets.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); strings.Contains(s, "http://") || strings.Contains(s, "https://") || strings.Contains(s, "//cdn") {
			t.Errorf("%s refers to another host", f)
		}
	}
	if rec := get(t, http.MethodGet, "/dashboard"); rec.Code != http.StatusMovedPermanently && rec.Code != http.StatusTemporaryRedirect {
		t.Errorf("GET /dashboard: %d, want a redirect to /dashboard/", rec.Code)
	}
	if rec := get(t, http.MethodGet, "/dashboard/nothing.js"); rec.Code != http.StatusNotFound {
		t.Errorf("GET an unknown file: %d, want 404", rec.Code)
	}
	if rec := get(t, http.MethodPost, "/dashboard/"); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", rec.Code)
	}
}
