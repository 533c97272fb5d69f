package graph

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/service"
)

// resolvePersisted is part of the pipeline's execute stage: it turns a
// persisted operation (extensions.persistedQuery.sha256Hash, the Automatic
// Persisted Queries protocol) into its text, registers one sent with its
// text (never for anonymous callers: they run it unregistered), and holds
// roles restricted to persisted operations (PERSISTED_ONLY_ROLES) to the
// operator's allow-list. It reports false with the outcome to give when
// the operation must not run.
func (p *pipeline) resolvePersisted(ctx context.Context, req *service.Request, params *graphql.RawParams) (outcome, bool) {
	hash := persistedHash(params.Extensions)
	only := p.persistedOnly[req.Caller.Role]
	switch {
	case params.Query == "" && hash != "":
		q, allowListed, found, err := p.svc.PersistedOperation(ctx, hash)
		if err != nil {
			return requestError(http.StatusServiceUnavailable, credit.Unavailable, "persisted operations cannot be read now; try again"), false
		}
		if !found {
			o := requestError(http.StatusBadRequest, credit.PersistedQueryNotFound, "PersistedQueryNotFound: no operation is registered with this hash")
			return o, false
		}
		if only && !allowListed {
			return persistedRequired(req.Caller.Role), false
		}
		params.Query = q
	case hash != "":
		if err := p.svc.RegisterOperation(ctx, req, hash, params.Query); err != nil && credit.CodeOf(err) != credit.Forbidden {
			return requestError(http.StatusBadRequest, credit.CodeOf(err), err.Error()), false
		}
		fallthrough
	default:
		if !only {
			return outcome{}, true
		}
		ok, err := p.svc.AllowListed(ctx, params.Query)
		if err != nil {
			return requestError(http.StatusServiceUnavailable, credit.Unavailable, "persisted operations cannot be read now; try again"), false
		}
		if !ok {
			return persistedRequired(req.Caller.Role), false
		}
	}
	return outcome{}, true
}

func persistedRequired(role credit.Role) outcome {
	o := requestError(http.StatusBadRequest, credit.BadUserInput, fmt.Sprintf(
		"the %s role may run only the operations the operator installed (credithub operations add): "+
			"send extensions.persistedQuery.sha256Hash of one of them", role))
	o.errors[0].Extensions["reason"] = "PERSISTED_QUERY_REQUIRED"
	return o
}

// persistedHash returns extensions.persistedQuery.sha256Hash, lower-cased,
// or "".
func persistedHash(ext map[string]any) string {
	pq, _ := ext["persistedQuery"].(map[string]any)
	h, _ := pq["sha256Hash"].(string)
	return strings.ToLower(h)
}
