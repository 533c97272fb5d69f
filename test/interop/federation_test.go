package interop_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/testenv"
)

type fedQuery struct {
	Name      string         `json:"name"`
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
	Token     string         `json:"token,omitempty"`
}

type fedResult struct {
	Name   string          `json:"name"`
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Received []string `json:"received"`
}

type fedRun struct {
	Composition struct {
		Errors     []string `json:"errors"`
		Supergraph string   `json:"supergraph"`
	} `json:"composition"`
	Results []fedResult `json:"results"`
	byName  map[string]fedResult
}

// federate composes h with the insurance subgraph (reading the hub's SDL
// with sdlToken) and runs queries through an Apollo gateway.
func federate(t *testing.T, h *hub, sdlToken string, queries []fedQuery) *fedRun {
	t.Helper()
	data, _ := json.Marshal(map[string]any{
		h.org: map[string]any{"insuredPersons": 42, "status": "ARREARS"},
		h.rep: map[string]any{"status": "ACTIVE"},
	})
	in, _ := json.Marshal(queries)
	out := node(t, "federation.mjs", []string{"HUB_URL=" + h.url, "HUB_SDL_TOKEN=" + sdlToken, "INSURANCE_DATA=" + string(data)}, in)
	var run fedRun
	if err := json.Unmarshal(out, &run); err != nil {
		t.Fatalf("federation.mjs: %v\n%s", err, out)
	}
	run.byName = map[string]fedResult{}
	for _, r := range run.Results {
		run.byName[r.Name] = r
	}
	return &run
}

// get returns the named result's data as a generic tree, and its errors.
func (r *fedRun) get(name string) (map[string]any, []string) {
	res := r.byName[name]
	var data map[string]any
	json.Unmarshal(res.Data, &data)
	var errs []string
	for _, e := range res.Errors {
		errs = append(errs, e.Message)
	}
	return data, errs
}

// path walks a decoded JSON tree.
func path(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

const subjectWithInsurance = `query($c: ID!) { subject(code: $c) { code name socialInsurance { insuredPersons status } } }`
const legalRepWithInsurance = `query($c: ID!) { subject(code: $c, purpose: "贷前审查") { name legalRepresentative { code displayCode socialInsurance { status } } } }`

// TestFederationThroughAnApolloGateway composes the hub with a second
// subgraph that extends Subject by code, and joins organisations and
// persons both ways through @apollo/gateway.
func TestFederationThroughAnApolloGateway(t *testing.T) {
	t.Parallel()
	h := startHub(t, false)
	office, bank := h.keys[credit.RoleCreditOffice], h.keys[credit.RoleBank]
	run := federate(t, h, h.keys[credit.RoleDashboard], []fedQuery{
		{Name: "org", Query: subjectWithInsurance, Variables: map[string]any{"c": h.org}, Token: office},
		{Name: "person", Query: subjectWithInsurance, Variables: map[string]any{"c": h.rep}, Token: office},
		{Name: "legal representative", Query: legalRepWithInsurance, Variables: map[string]any{"c": h.org}, Token: office},
		{Name: "into the hub", Query: `{ employersInArrears { code name kind } }`, Token: office},
		{Name: "public org", Query: subjectWithInsurance, Variables: map[string]any{"c": h.org}},
		{Name: "public person", Query: legalRepWithInsurance, Variables: map[string]any{"c": h.org}},
		{Name: "bank person", Query: legalRepWithInsurance, Variables: map[string]any{"c": h.org}, Token: bank},
	})
	if len(run.Composition.Errors) > 0 || !strings.Contains(run.Composition.Supergraph, "socialInsurance") {
		t.Fatalf("composition: %v", run.Composition.Errors)
	}

	t.Run("an organisation joins by its code", func(t *testing.T) {
		data, errs := run.get("org")
		if len(errs) > 0 || path(data, "subject", "name") != "丹东联邦测试有限公司" ||
			path(data, "subject", "socialInsurance", "insuredPersons") != 42.0 || strings.Join(run.byName["org"].Received, ",") != h.org {
			t.Errorf("got %v %v, the subgraph received %v", data, errs, run.byName["org"].Received)
		}
	})
	t.Run("a person joins by their citizen ID number", func(t *testing.T) {
		data, errs := run.get("person")
		if len(errs) > 0 || path(data, "subject", "name") != "王小明" || path(data, "subject", "socialInsurance", "status") != "ACTIVE" {
			t.Errorf("got %v %v", data, errs)
		}
	})
	t.Run("a legal representative reached through the hub joins", func(t *testing.T) {
		data, errs := run.get("legal representative")
		if len(errs) > 0 || path(data, "subject", "legalRepresentative", "socialInsurance", "status") != "ACTIVE" {
			t.Errorf("got %v %v", data, errs)
		}
	})
	t.Run("the other subgraph's subjects resolve in the hub (_entities)", func(t *testing.T) {
		data, errs := run.get("into the hub")
		list, _ := path(data, "employersInArrears").([]any)
		if len(errs) > 0 || len(list) != 1 || path(list[0], "name") != "丹东联邦测试有限公司" || path(list[0], "kind") != "LEGAL_PERSON" {
			t.Errorf("got %v %v", data, errs)
		}
	})
	t.Run("PUBLIC: an organisation joins", func(t *testing.T) {
		data, errs := run.get("public org")
		if len(errs) > 0 || path(data, "subject", "socialInsurance", "insuredPersons") != 42.0 {
			t.Errorf("got %v %v", data, errs)
		}
	})
	for _, name := range []string{"public person", "bank person"} {
		t.Run(name+": the key handed to other subgraphs is never a masked code", func(t *testing.T) {
			for _, k := range run.byName[name].Received {
				if strings.Contains(k, "*") || strings.HasSuffix(k, h.rep[14:]) {
					t.Errorf("the subgraph was asked to resolve %q", k)
				}
			}
			data, errs := run.get(name)
			code, _ := path(data, "subject", "legalRepresentative", "code").(string)
			display, _ := path(data, "subject", "legalRepresentative", "displayCode").(string)
			if len(errs) > 0 || !strings.HasPrefix(code, "MASKED-") || !strings.HasSuffix(display, h.rep[14:]) || !strings.Contains(display, "*") {
				t.Errorf("want an opaque key and the masked number to show: got %v %v", data, errs)
			}
			// The reference joins nothing: no insurance data, never another person's.
			if si := path(data, "subject", "legalRepresentative", "socialInsurance"); si != nil {
				t.Errorf("joined on an opaque reference: %v", si)
			}
		})
	}
}

// TestFederationInProduction composes from a hub with introspection off.
func TestFederationInProduction(t *testing.T) {
	t.Parallel()
	h := startHub(t, true)
	office := h.keys[credit.RoleCreditOffice]
	run := federate(t, h, h.keys[credit.RoleDashboard], []fedQuery{
		{Name: "org", Query: subjectWithInsurance, Variables: map[string]any{"c": h.org}, Token: office},
	})
	t.Run("a DASHBOARD key reads _service with introspection off, and joins work", func(t *testing.T) {
		data, errs := run.get("org")
		if len(run.Composition.Errors) > 0 || len(errs) > 0 || path(data, "subject", "socialInsurance", "insuredPersons") != 42.0 {
			t.Errorf("composition %v; got %v %v", run.Composition.Errors, data, errs)
		}
	})
	t.Run("a ROUTER key composes and forwards the end user's identity", func(t *testing.T) {
		pending(t, "the ROUTER role (API key or JWT) reads _service and resolves _entities for the end user it forwards", func(p *probe) {
			db := testenv.DB(t)
			if _, _, err := auth.CreateKey(context.Background(), db, auth.KeySpec{Role: credit.Role("ROUTER"), Institution: "联邦路由"}, time.Now()); err != nil {
				p.Errorf("no ROUTER key: %v", err)
			}
		})
	})
	t.Run("a malformed representation is BAD_USER_INPUT naming its index", func(t *testing.T) {
		body := `{"query":"query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { name } } }","variables":{"r":[{"__typename":"Subject","code":"` + h.org + `"},{"__typename":"Subject"}]}}`
		a := h.post(t, jsonType, jsonType, office, body)
		if a.code() != "BAD_USER_INPUT" || !strings.Contains(string(a.raw), "representations[1]") {
			t.Errorf("got %d %s", a.status, a.raw)
		}
	})
}
