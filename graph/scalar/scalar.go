// Package scalar marshals the schema's custom scalars: Date (YYYY-MM-DD),
// DateTime (RFC 3339) and Yuan (an exact decimal string with two places).
package scalar

import (
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/credithub/credithub/internal/credit"
)

// MarshalDate writes a credit.Date as "YYYY-MM-DD".
func MarshalDate(d credit.Date) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(d.String()))
	})
}

// UnmarshalDate reads "YYYY-MM-DD" and rejects days that do not exist.
func UnmarshalDate(v any) (credit.Date, error) {
	s, ok := v.(string)
	if !ok {
		return credit.Date{}, credit.Errorf(credit.BadUserInput, "a Date must be a string in the form YYYY-MM-DD, got %T", v)
	}
	d, err := credit.ParseDate(s)
	if err != nil {
		return credit.Date{}, credit.Errorf(credit.BadUserInput, "%s", err.Error())
	}
	if y := d.Year(); y < MinYear || y > MaxYear {
		return credit.Date{}, credit.Errorf(credit.BadUserInput, "%q is outside the years %d to %d that credit records can have", s, MinYear, MaxYear)
	}
	return d, nil
}

// MinYear and MaxYear bound the dates the API accepts: no credit record of
// the city is older or later, and PostgreSQL has no year 0.
const (
	MinYear = 1900
	MaxYear = 2999
)

// MarshalDateTime writes an instant in RFC 3339 in the city's zone.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.In(credit.Shanghai).Format(time.RFC3339)))
	})
}

// UnmarshalDateTime reads an RFC 3339 instant.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, credit.Errorf(credit.BadUserInput, "a DateTime must be an RFC 3339 string, got %T", v)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, credit.Errorf(credit.BadUserInput, "%q is not an RFC 3339 date-time such as 2026-11-27T09:30:00+08:00", s)
	}
	return t, nil
}

// MarshalYuan writes an amount as a decimal string in yuan, e.g. "2000.00".
func MarshalYuan(f credit.Fen) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(f.String()))
	})
}

// UnmarshalYuan reads a decimal string in yuan with at most two places. A
// JSON number is refused: it would pass through a float on the way.
func UnmarshalYuan(v any) (credit.Fen, error) {
	s, ok := v.(string)
	if !ok {
		return 0, credit.Errorf(credit.BadUserInput, `a Yuan amount must be a decimal string such as "2000.00", not a number`)
	}
	f, err := credit.ParseYuan(s)
	if err != nil {
		return 0, credit.Errorf(credit.BadUserInput, "%s", err.Error())
	}
	return f, nil
}

// MarshalInt64ID writes a numeric id as the GraphQL ID it is: a string.
func MarshalInt64ID(id int64) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(strconv.FormatInt(id, 10)))
	})
}

// UnmarshalInt64ID reads a numeric id given as a string (or a number).
func UnmarshalInt64ID(v any) (int64, error) {
	switch x := v.(type) {
	case string:
		if id, err := strconv.ParseInt(x, 10, 64); err == nil && id > 0 {
			return id, nil
		}
	case json.Number:
		if id, err := x.Int64(); err == nil && id > 0 {
			return id, nil
		}
	case int64:
		if x > 0 {
			return x, nil
		}
	case int:
		if x > 0 {
			return int64(x), nil
		}
	}
	return 0, credit.Errorf(credit.BadUserInput, "%v is not an id of this hub (a positive whole number)", v)
}
