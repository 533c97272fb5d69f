package auth

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
)

// KeySpec describes an API key to create.
type KeySpec struct {
	Role        credit.Role
	Institution string
	Department  string
	// ExpiresIn is how long the key lives; 0 for a key that does not expire.
	ExpiresIn time.Duration
	CreatedBy string
}

// CreateKey validates spec, stores a new key's hash and returns the key,
// which is shown once and never again. BAD_USER_INPUT names the flag at fault.
func CreateKey(ctx context.Context, db *store.DB, spec KeySpec, now time.Time) (key string, stored store.APIKey, err error) {
	if !spec.Role.Valid() || spec.Role == credit.RolePublic {
		return "", stored, credit.FieldErrorf("role", "must be one of "+credit.KeyRoles+", got %q", spec.Role)
	}
	if strings.TrimSpace(spec.Institution) == "" {
		return "", stored, credit.FieldErrorf("institution", "must name the institution the key is for")
	}
	if spec.Role == credit.RoleDepartment && spec.Department == "" {
		return "", stored, credit.FieldErrorf("department", "a DEPARTMENT key must be bound to a department code")
	}
	if spec.Role != credit.RoleDepartment && spec.Department != "" {
		return "", stored, credit.FieldErrorf("department", "only a DEPARTMENT key is bound to a department")
	}
	if spec.ExpiresIn < 0 {
		return "", stored, credit.FieldErrorf("expires", "must not be negative")
	}
	key, prefix := NewKey()
	stored = store.APIKey{Prefix: prefix, Hash: HashKey(key), Role: spec.Role, Institution: strings.TrimSpace(spec.Institution), CreatedBy: spec.CreatedBy}
	if spec.Department != "" {
		stored.Department = &spec.Department
	}
	if spec.ExpiresIn > 0 {
		exp := now.Add(spec.ExpiresIn)
		stored.ExpiresAt = &exp
	}
	err = db.InTx(ctx, func(tx *store.DB) error {
		if stored.ID, err = tx.CreateAPIKey(ctx, stored); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Event{Actor: actor(spec.CreatedBy), Action: "apikey.created",
			Target: "apikey:" + strconv.FormatInt(stored.ID, 10),
			Detail: map[string]any{"prefix": prefix, "role": spec.Role, "institution": stored.Institution,
				"department": spec.Department, "expires_at": stored.ExpiresAt}})
	})
	if credit.CodeOf(err) == credit.BadUserInput {
		return "", stored, credit.FieldErrorf("department", "no department has the code %q", spec.Department)
	}
	return key, stored, err
}

// RevokeKey revokes key id, with an audit row. NOT_FOUND if there is no
// such key, CONFLICT if it was revoked before.
func RevokeKey(ctx context.Context, db *store.DB, id int64, by string, now time.Time) error {
	return db.InTx(ctx, func(tx *store.DB) error {
		if err := tx.RevokeAPIKey(ctx, id, now); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Event{Actor: actor(by), Action: "apikey.revoked",
			Target: "apikey:" + strconv.FormatInt(id, 10)})
	})
}

// actor is who manages keys: the command line runs as an administrator.
func actor(by string) credit.Caller {
	if by == "" {
		by = "cli"
	}
	return credit.Caller{ID: by, Role: credit.RoleAdmin, Institution: "credithub command line"}
}

// ParseExpiry reads a key lifetime such as "90d", "12h" or "0" (never).
func ParseExpiry(s string) (time.Duration, error) {
	if s == "" || s == "0" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return 0, credit.FieldErrorf("expires", "must be a number of days such as 90d, got %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, credit.FieldErrorf("expires", "must be a lifetime such as 90d or 12h, got %q", s)
	}
	return d, nil
}
