package interop_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
)

type fedQuery struct {
	Name      string         `json:"name"`
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables,omitempty"`
	Token     string         `json:"token,omitempty"`
	// ForwardedFor is the end user's address a router passes on.
	ForwardedFor string `json:"forwardedFor,omitempty"`
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
// federate composes and runs queries through @apollo/gateway; sdlToken
// reads the hub's SDL; with a routerToken the gateway acts as a production
// router (its key on every request, each query's token as the end user's).
func federate(t *testing.T, h *hub, sdlToken, routerToken string, queries []fedQuery) *fedRun {
	t.Helper()
	data, _ := json.Marshal(map[string]any{
		h.org: map[string]any{"insuredPersons": 42, "status": "ARREARS"},
		h.rep: map[string]any{"status": "ACTIVE"},
	})
	in, _ := json.Marshal(queries)
	out := node(t, "federation.mjs", []string{"HUB_URL=" + h.url, "HUB_SDL_TOKEN=" + sdlToken, "HUB_ROUTER_TOKEN=" + routerToken, "INSURANCE_DATA=" + string(data)}, in)
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
	run := federate(t, h, h.keys[credit.RoleDashboard], "", []fedQuery{
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

// TestFederationInProduction composes from a hub with introspection off,
// through a router with a ROUTER key that forwards its end users' tokens.
func TestFederationInProduction(t *testing.T) {
	t.Parallel()
	h := startHub(t, true)
	ctx := context.Background()
	office, bank, router := h.keys[credit.RoleCreditOffice], h.keys[credit.RoleBank], h.keys[credit.RoleRouter]
	revoked, stored, err := auth.CreateKey(ctx, h.db, auth.KeySpec{Role: credit.RoleBank, Institution: "已吊销的银行"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.db.RevokeAPIKey(ctx, stored.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	run := federate(t, h, router, router, []fedQuery{
		{Name: "org as the office", Query: subjectWithInsurance, Variables: map[string]any{"c": h.org}, Token: office},
		{Name: "person as the office", Query: legalRepWithInsurance, Variables: map[string]any{"c": h.org}, Token: office},
		{Name: "person as a bank", Query: legalRepWithInsurance, Variables: map[string]any{"c": h.org}, Token: bank},
		{Name: "org as the public", Query: subjectWithInsurance, Variables: map[string]any{"c": h.org}, ForwardedFor: "203.0.113.9"},
		{Name: "a revoked end user", Query: subjectWithInsurance, Variables: map[string]any{"c": h.org}, Token: revoked},
	})
	if len(run.Composition.Errors) > 0 {
		t.Fatalf("a ROUTER key could not compose with introspection off: %v", run.Composition.Errors)
	}
	t.Run("an organisation joins for the office and for the public", func(t *testing.T) {
		for _, name := range []string{"org as the office", "org as the public"} {
			data, errs := run.get(name)
			if len(errs) > 0 || path(data, "subject", "socialInsurance", "insuredPersons") != 42.0 {
				t.Errorf("%s: got %v %v", name, data, errs)
			}
		}
	})
	t.Run("a person joins for an end user who may see the code, and only then", func(t *testing.T) {
		data, errs := run.get("person as the office")
		if len(errs) > 0 || path(data, "subject", "legalRepresentative", "code") != h.rep ||
			path(data, "subject", "legalRepresentative", "socialInsurance", "status") != "ACTIVE" {
			t.Errorf("office: got %v %v", data, errs)
		}
		data, errs = run.get("person as a bank")
		code, _ := path(data, "subject", "legalRepresentative", "code").(string)
		if len(errs) > 0 || !strings.HasPrefix(code, "MASKED-") || path(data, "subject", "legalRepresentative", "displayCode") != "**************"+h.rep[14:] ||
			path(data, "subject", "legalRepresentative", "socialInsurance") != nil {
			t.Errorf("bank: masking must follow the end user: got %v %v", data, errs)
		}
		for _, k := range run.byName["person as a bank"].Received {
			if k == h.rep || strings.Contains(k, "*") {
				t.Errorf("bank: the other subgraph was asked to resolve %q", k)
			}
		}
	})
	t.Run("the query-use log records the end user, not the router", func(t *testing.T) {
		var n int
		if err := h.db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM query_log WHERE caller_id = $1 AND role = 'BANK' AND $2 = ANY (subject_codes)`,
			h.keyIDs[credit.RoleBank], h.org).Scan(&n); err != nil || n == 0 {
			rows, _ := h.db.SQL().QueryContext(ctx, `SELECT caller_id || ' ' || role || ' ' || array_to_string(subject_codes, ',') FROM query_log`)
			var all []string
			for rows != nil && rows.Next() {
				var r string
				rows.Scan(&r)
				all = append(all, r)
			}
			t.Errorf("the bank's read through the router: %d rows, %v; the log holds %v", n, err, all)
		}
		if err := h.db.SQL().QueryRowContext(ctx, `SELECT count(*) FROM query_log WHERE caller_id = $1`, h.keyIDs[credit.RoleRouter]).Scan(&n); err != nil || n != 0 {
			t.Errorf("the router itself logged as a reader: %d rows, %v", n, err)
		}
	})
	t.Run("a revoked end user's key is refused through the router", func(t *testing.T) {
		data, errs := run.get("a revoked end user")
		if len(errs) == 0 || path(data, "subject") != nil {
			t.Errorf("got %v %v", data, errs)
		}
	})
	t.Run("a malformed representation is BAD_USER_INPUT naming its index", func(t *testing.T) {
		body := `{"query":"query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { name } } }","variables":{"r":[{"__typename":"Subject","code":"` + h.org + `"},{"__typename":"Subject"}]}}`
		a := h.post(t, jsonType, jsonType, office, body)
		if a.code() != "BAD_USER_INPUT" || !strings.Contains(string(a.raw), "representations[1]") {
			t.Errorf("got %d %s", a.status, a.raw)
		}
	})
}
