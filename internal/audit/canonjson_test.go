package audit_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/audit"
	"github.com/credithub/credithub/internal/store"
)

func TestCanonicalJSONGivesOneFormPerValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"whitespace goes", " { \"a\" : [ 1 , 2 ] } ", `{"a":[1,2]}`},
		{"keys are sorted by bytes", `{"b":1,"a":2,"B":3,"aa":4,"名":5}`, `{"B":3,"a":2,"aa":4,"b":1,"名":5}`},
		{"the last duplicate key wins", `{"a":1,"a":2}`, `{"a":2}`},
		{"exponents are written out", `[1e2,1E+2,1.5e-3,-2e0]`, `[100,100,0.0015,-2]`},
		{"trailing fraction zeros go", `[1.50,10.0,0.0,100]`, `[1.5,10,0,100]`},
		{"minus zero is zero", `[-0,-0.0,0e5]`, `[0,0,0]`},
		{"large integers stay exact", `12345678901234567890123`, `12345678901234567890123`},
		{"small fractions stay exact", `0.000000000000000000001`, `0.000000000000000000001`},
		{"escapes become characters", `"\u4e39\u4e1c\u003c\/"`, `"丹东</"`},
		{"only required escapes remain", "\"a\\\"b\\\\c\\n\\u0001\\u001f\u2028\"", "\"a\\\"b\\\\c\\n\\u0001\\u001f\u2028\""},
		{"non-BMP characters stay UTF-8", `"\ud83d\ude00"`, "\"\U0001F600\""},
		{"literals stay", `[true,false,null,{},[]]`, `[true,false,null,{},[]]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := audit.CanonicalJSON([]byte(tt.in))
			if err != nil || string(got) != tt.want {
				t.Errorf("CanonicalJSON(%s) = %s, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCanonicalJSONRejectsWhatJSONBCannotStore(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`"a\u0000b"`, `1e1001`, `{"a":1} {}`, `{`, ``} {
		if got, err := audit.CanonicalJSON([]byte(in)); err == nil {
			t.Errorf("CanonicalJSON(%q) = %s, want an error", in, got)
		}
	}
}

// jsonb rewrites what it stores; the chain must still verify after the round
// trip, whatever Go's encoder produced.
func TestDetailsSurviveTheJSONBRoundTrip(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 1)
	ctx := context.Background()
	details := []any{
		nil,
		map[string]any{"fine": 0.2, "big": 1e21, "tiny": 1e-7, "neg": -0.0, "max": 1.7976931348623157e308},
		map[string]any{"html": "<a href='x'>&</a>", "sep": "\u2028\u2029", "ctl": "\x01\x1f\t", "emoji": "😀"},
		map[string]any{"z": 1, "a": []any{map[string]any{"y": true, "b": nil}}, "中文": "丹东市"},
		json.RawMessage(`{"b" : 1.50, "a": 1E2, "a": 3, "s": "\u00e9"}`),
		[]int{3, 2, 1},
		"a plain string",
		struct {
			When time.Time `json:"when"`
			Fen  int64     `json:"fen"`
		}{time.Date(2026, 4, 1, 9, 30, 0, 123456789, time.FixedZone("CST", 8*3600)), 9007199254740993},
	}
	for i, d := range details {
		if err := audit.Append(ctx, db, audit.Event{Actor: officer, Action: "test.recorded", Target: "detail", Detail: d}); err != nil {
			t.Fatalf("append detail %d: %v", i, err)
		}
	}
	if rep := verify(t, db); !rep.Intact() || rep.Rows != int64(len(details)) {
		t.Errorf("got intact=%v rows=%d (%+v), want %d intact rows", rep.Intact(), rep.Rows, rep.Broken, len(details))
	}
}

func TestDetailWithNULIsRefusedAndLeavesTheChainIntact(t *testing.T) {
	t.Parallel()
	db, _ := newDB(t, 1)
	err := audit.Append(context.Background(), db, audit.Event{Actor: officer, Action: "test.recorded",
		Detail: map[string]string{"s": "a\x00b"}})
	if err == nil {
		t.Fatal("got no error, want the NUL refused")
	}
	appendN(t, db, 1)
	if rep := verify(t, db); !rep.Intact() || rep.Rows != 1 {
		t.Errorf("got intact=%v rows=%d, want 1 intact row", rep.Intact(), rep.Rows)
	}
}

func TestHashCoversEveryField(t *testing.T) {
	t.Parallel()
	base := store.AuditRow{Seq: 7, At: time.Date(2026, 4, 1, 1, 2, 3, 456000, time.UTC), Actor: "key:7", Role: "AUDITOR",
		Institution: "x", Action: "a.b", Target: "t:1", Detail: []byte(`{}`), PrevHash: audit.Genesis}
	h0, err := audit.Hash(base)
	if err != nil {
		t.Fatal(err)
	}
	changes := map[string]func(r *store.AuditRow){
		"seq":         func(r *store.AuditRow) { r.Seq++ },
		"at":          func(r *store.AuditRow) { r.At = r.At.Add(time.Microsecond) },
		"actor":       func(r *store.AuditRow) { r.Actor += "x" },
		"role":        func(r *store.AuditRow) { r.Role = "ADMIN" },
		"institution": func(r *store.AuditRow) { r.Institution = "" },
		"action":      func(r *store.AuditRow) { r.Action = "a.c" },
		"target":      func(r *store.AuditRow) { r.Target = "t:2" },
		"detail":      func(r *store.AuditRow) { r.Detail = []byte(`{"a":1}`) },
		"prev_hash":   func(r *store.AuditRow) { r.PrevHash = h0 },
		// Length prefixes keep a boundary shift from colliding.
		"actor/role boundary": func(r *store.AuditRow) { r.Actor, r.Role = "key:7A", "UDITOR" },
	}
	for name, change := range changes {
		r := base
		change(&r)
		h, err := audit.Hash(r)
		if err != nil || string(h) == string(h0) {
			t.Errorf("changing %s: got the same hash (err %v), want a different one", name, err)
		}
	}
	same := base
	same.At = base.At.In(time.FixedZone("CST", 8*3600))
	if h, _ := audit.Hash(same); string(h) != string(h0) {
		t.Errorf("the same instant in another zone: got a different hash, want the same")
	}
}
