package graph_test

import (
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

func TestFederationEntitiesResolveSubjectsByCodeWithTheCallersAccess(t *testing.T) {
	e := newEnv(t)
	w := newAccessWorld(e)
	q := `query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { code displayCode name kind } } }`
	reps := map[string]any{"r": []map[string]any{
		{"__typename": "Subject", "code": w.org},
		{"__typename": "Subject", "code": w.person},
		{"__typename": "Subject", "code": testenv.USCC(404)},
	}}
	var out struct {
		Entities []*struct{ Code, DisplayCode, Name, Kind string } `json:"_entities"`
	}
	e.as(credit.RolePublic)
	e.query(q, reps, &out)
	if len(out.Entities) != 3 || out.Entities[0].Name != "丹东矩阵有限公司" || out.Entities[2] != nil {
		t.Fatalf("got %+v, want the organisation, the person and null for an unknown code", out.Entities)
	}
	if p := out.Entities[1]; !strings.HasPrefix(p.Code, "MASKED-") || p.DisplayCode != "2106**********"+w.person[14:] || p.Name != "张**" {
		t.Fatalf("a public router request sees the person masked: got %+v", p)
	}
	var sdl struct {
		Service struct{ SDL string } `json:"_service"`
	}
	e.as(credit.RoleDashboard)
	e.query(`{ _service { sdl } }`, nil, &sdl)
	for _, want := range []string{`@link(url: "https://specs.apollo.dev/federation/v2.3"`, `type Subject @key(fields: "code")`} {
		if !strings.Contains(sdl.Service.SDL, want) {
			t.Errorf("SDL lacks %q", want)
		}
	}
}

func TestMalformedEntityRepresentationsAreBadUserInputNamingTheirIndex(t *testing.T) {
	e := newEnv(t)
	w := newAccessWorld(e)
	e.as(credit.RoleCreditOffice)
	q := `query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { name } } }`
	good := map[string]any{"__typename": "Subject", "code": w.org}
	for name, bad := range map[string]any{
		"no __typename":      map[string]any{"code": w.org},
		"a number for type":  map[string]any{"__typename": 7, "code": w.org},
		"another type":       map[string]any{"__typename": "Licence", "code": w.org},
		"no key":             map[string]any{"__typename": "Subject"},
		"a key of null":      map[string]any{"__typename": "Subject", "code": nil},
		"a number for a key": map[string]any{"__typename": "Subject", "code": 91210602},
		"a key not a code":   map[string]any{"__typename": "Subject", "code": "2106**********0157"},
	} {
		r := e.do(q, map[string]any{"r": []any{good, good, bad}}, "")
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "representations[2]") {
			t.Errorf("%s: got %s, want one BAD_USER_INPUT naming representations[2]", name, r.raw)
		}
	}
	// An opaque reference is well formed and names nobody: null, no error.
	var out struct {
		Entities []*struct{ Name string } `json:"_entities"`
	}
	ref := credit.MaskedRefPrefix + "4YYULDHNZQ4CCI5Y5OA3A2MN"
	e.query(q, map[string]any{"r": []any{good, map[string]any{"__typename": "Subject", "code": ref}}}, &out)
	if len(out.Entities) != 2 || out.Entities[0] == nil || out.Entities[1] != nil {
		t.Errorf("a reference: got %+v, want the organisation and null", out.Entities)
	}
}
