package credit

import (
	"encoding/json"
	"fmt"
)

// Strings is a list of strings read from a PostgreSQL array that the query
// selected as JSON (to_json(col)), which keeps this package free of driver
// types while decoding quotes and escapes exactly.
type Strings []string

// Scan implements sql.Scanner for a JSON array (or NULL).
func (s *Strings) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*s = nil
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("credit.Strings: cannot scan %T", src)
	}
	var out []string
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Errorf("credit.Strings: %w", err)
	}
	*s = out
	return nil
}
