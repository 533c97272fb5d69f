// Package credit is the domain of the credit hub: subjects and their identifiers,
// records, lists, measures and the rules that decide what they mean. It has no
// framework and no I/O; everything else in the module depends on it, never the
// other way round.
package credit

import (
	"errors"
	"fmt"
)

// ErrorCode classifies an Error. The values are the ones the GraphQL schema
// declares in `enum ErrorCode` and clients switch on in `extensions.code`.
type ErrorCode string

// The error codes. Keep them in step with `enum ErrorCode` in schema.graphqls.
const (
	BadUserInput    ErrorCode = "BAD_USER_INPUT"
	Unauthenticated ErrorCode = "UNAUTHENTICATED"
	Forbidden       ErrorCode = "FORBIDDEN"
	NotFound        ErrorCode = "NOT_FOUND"
	Conflict        ErrorCode = "CONFLICT"
	RateLimited     ErrorCode = "RATE_LIMITED"
	Unavailable     ErrorCode = "UNAVAILABLE"
	Internal        ErrorCode = "INTERNAL"
	// The request-level codes GraphQL clients know: the operation text does
	// not parse, does not validate against the schema, or was sent as a
	// hash the server does not know.
	GraphQLParseFailed      ErrorCode = "GRAPHQL_PARSE_FAILED"
	GraphQLValidationFailed ErrorCode = "GRAPHQL_VALIDATION_FAILED"
	PersistedQueryNotFound  ErrorCode = "PERSISTED_QUERY_NOT_FOUND"
)

// Error is the one error type the hub shows to clients. Its Message is safe to
// show: it names the field and the rule, never SQL, hosts or stack traces.
// Field, when set, is the input path the error is about (e.g. "code" or
// "input.fine").
type Error struct {
	Code    ErrorCode
	Field   string
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Errorf returns an *Error with a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns a BAD_USER_INPUT *Error about one input field.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of the first *Error in err's chain, INTERNAL for any
// other non-nil error and "" for nil.
func CodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}
