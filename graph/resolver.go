// Package graph is the GraphQL layer: gqlgen's generated executor, thin
// resolvers, request-scoped loaders, the error presenter and the HTTP handler.
package graph

//go:generate go tool gqlgen generate

import (
	"github.com/credithub/credithub/internal/push"
	"github.com/credithub/credithub/internal/service"
)

// Resolver holds the resolvers' dependencies; nothing else.
type Resolver struct {
	Service *service.Service
	// Push delivers pushed assignments to subscriptions (nil: none).
	Push *push.Hub
}
