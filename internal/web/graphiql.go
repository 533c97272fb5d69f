package web

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"io/fs"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql/playground"
)

// graphiqlFiles are GraphiQL and React as published on npm (versions and
// licences in graphiql/README.md), served from the binary so that the page
// works without internet access.
//
//go:embed graphiql/*.js graphiql/*.css graphiql/LICENSE.* graphiql/README.md
var graphiqlFiles embed.FS

// graphiqlAssets is where the files are served.
const graphiqlAssets = "/graphiql/"

// graphiqlPage is gqlgen's GraphiQL page pointed at the embedded files,
// with their subresource integrity computed from the bytes served.
func graphiqlPage(endpoint string) http.Handler {
	asset := func(name string) (string, string) {
		b, err := fs.ReadFile(graphiqlFiles, "graphiql/"+name)
		if err != nil {
			panic(err) // embedded at build time: cannot be missing
		}
		sum := sha256.Sum256(b)
		return graphiqlAssets + name, "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
	}
	js, jsSRI := asset("graphiql.min.js")
	css, cssSRI := asset("graphiql.min.css")
	react, reactSRI := asset("react.production.min.js")
	reactDOM, reactDOMSRI := asset("react-dom.production.min.js")
	return playground.Handler("credithub", endpoint,
		playground.WithGraphiqlVersion(js, css, jsSRI, cssSRI),
		playground.WithGraphiqlReactVersion(react, reactDOM, reactSRI, reactDOMSRI),
		playground.WithStoragePrefix("credithub:"),
	)
}

// graphiqlAssetHandler serves the embedded files; they change only with the
// binary, so browsers may keep them for a day.
func graphiqlAssetHandler() http.Handler {
	sub, err := fs.Sub(graphiqlFiles, "graphiql")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix(graphiqlAssets, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}
