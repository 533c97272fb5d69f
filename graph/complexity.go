package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// complexityLimit is gqlgen's extension.FixedComplexityLimit (same error,
// same statistics) with each operation's complexity remembered: gqlgen
// computes it on every request, ≈ 5 % of an uncached read's server CPU,
// although it depends only on the parsed operation (one per query text,
// gqlgen's query cache) and its variables' values. The subject's code
// (an ID) takes a new value in nearly every request and prices nothing:
// the complexity functions (newExecutor) read page sizes, never an ID. So
// the key is the operation and the values of its variables other than
// IDs; a complexity function that priced an ID argument would have to be
// keyed on it too.
type complexityLimit struct {
	limit int
	es    graphql.ExecutableSchema

	mu   sync.Mutex
	memo map[complexityKey]int
}

type complexityKey struct {
	op   *ast.OperationDefinition
	vars string
}

// complexityMemoSize bounds the memo as readMemoSize does the read memo.
const complexityMemoSize = 1024

const complexityExtensionName = "ComplexityLimit" // gqlgen's name: its statistics are found by it

func (c *complexityLimit) ExtensionName() string { return complexityExtensionName }

func (c *complexityLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	return nil
}

func (c *complexityLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	op := oc.Doc.Operations.ForName(oc.OperationName)
	k := complexityKey{op: op, vars: variableValues(oc.Variables, pricedVariables(op))}
	c.mu.Lock()
	n, ok := c.memo[k]
	c.mu.Unlock()
	if !ok {
		n = complexity.Calculate(ctx, c.es, op, oc.Variables)
		c.mu.Lock()
		if c.memo == nil || len(c.memo) >= complexityMemoSize {
			c.memo = make(map[complexityKey]int, 64)
		}
		c.memo[k] = n
		c.mu.Unlock()
	}
	oc.Stats.SetExtension(complexityExtensionName, &extension.ComplexityStats{Complexity: n, ComplexityLimit: c.limit})
	if n > c.limit {
		err := gqlerror.Errorf("operation has complexity %d, which exceeds the limit of %d", n, c.limit)
		errcode.Set(err, "COMPLEXITY_LIMIT_EXCEEDED")
		return err
	}
	return nil
}

// pricedVariables are the operation's variables that may change its
// complexity: every one but those of type ID.
func pricedVariables(op *ast.OperationDefinition) []string {
	if op == nil {
		return nil
	}
	names := make([]string, 0, len(op.VariableDefinitions))
	for _, v := range op.VariableDefinitions {
		if v.Type == nil || v.Type.Name() != "ID" {
			names = append(names, v.Variable)
		}
	}
	return names
}
