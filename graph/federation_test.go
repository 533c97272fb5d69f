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
