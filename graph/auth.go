package graph

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
)

// PurposeHeader carries the purpose of a read when the query does not.
const PurposeHeader = "X-Credit-Purpose"

// authenticate puts the request's caller into its context. A request with
// a token that is not valid gets 401 and a GraphQL error; it is never
// served as PUBLIC instead.
func authenticate(a *auth.Authenticator, log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := a.Authenticate(r.Context(), r.Header.Get("Authorization"))
		if err != nil {
			code := credit.CodeOf(err)
			status := http.StatusUnauthorized
			msg := err.Error()
			if code != credit.Unauthenticated {
				log.ErrorContext(r.Context(), "authentication failed", "err", err)
				status, msg = http.StatusServiceUnavailable, "authentication is unavailable; try again"
				code = credit.Unavailable
			}
			writeRequestError(w, status, msg, code)
			return
		}
		caller.Purpose = r.Header.Get(PurposeHeader)
		next.ServeHTTP(w, r.WithContext(credit.WithCaller(r.Context(), caller)))
	})
}

// writeRequestError answers a request that never reached GraphQL execution,
// in the shape of a GraphQL response (no data entry).
func writeRequestError(w http.ResponseWriter, status int, msg string, code credit.ErrorCode) {
	w.Header().Set("Content-Type", "application/json")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="credithub"`)
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": string(code)}}},
	})
}
