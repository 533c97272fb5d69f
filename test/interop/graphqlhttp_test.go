package interop_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/credithub/credithub/internal/credit"
)

// answer is one HTTP exchange with the hub.
type answer struct {
	status int
	header http.Header
	raw    []byte
	body   struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	hasData bool
}

func (h *hub) post(t *testing.T, contentType, accept, token, body string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", accept)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	a := answer{status: res.StatusCode, header: res.Header}
	a.raw, _ = io.ReadAll(res.Body)
	json.Unmarshal(a.raw, &a.body)
	var keys map[string]json.RawMessage
	json.Unmarshal(a.raw, &keys)
	_, a.hasData = keys["data"]
	return a
}

func (a answer) code() string {
	if len(a.body.Errors) == 0 {
		return ""
	}
	c, _ := a.body.Errors[0].Extensions["code"].(string)
	return c
}

const (
	jsonType     = "application/json"
	responseType = "application/graphql-response+json"
)

// TestGraphQLOverHTTPBeyondTheAudit holds what the hub answers today and
// marks what the issue asks for and the new pipeline brings.
func TestGraphQLOverHTTPBeyondTheAudit(t *testing.T) {
	t.Parallel()
	h := startHub(t, false)
	office := h.keys[credit.RoleCreditOffice]

	t.Run("every answer carries a request id", func(t *testing.T) {
		a := h.post(t, jsonType, jsonType, "", `{"query":"{ __typename }"}`)
		if a.status != http.StatusOK || a.header.Get("X-Request-Id") == "" || !bytes.Contains(a.raw, []byte(`"Query"`)) {
			t.Errorf("got %d %v %s", a.status, a.header, a.raw)
		}
	})
	t.Run("a parse error is a request error without data", func(t *testing.T) {
		for _, accept := range []string{jsonType, responseType} {
			a := h.post(t, jsonType, accept, "", `{"query":"{ subject("}`)
			want := map[string]int{jsonType: 200, responseType: 400}[accept]
			if a.status != want || a.hasData || len(a.body.Errors) == 0 {
				t.Errorf("Accept %s: got %d %s, want %d, errors and no data", accept, a.status, a.raw, want)
			}
		}
	})
	t.Run("bad JSON answers 400 with extensions.code", func(t *testing.T) {
		a := h.post(t, jsonType, jsonType, "", `{"query":`)
		if a.status != http.StatusBadRequest || a.code() == "" {
			t.Errorf("got %d %s", a.status, a.raw)
		}
	})
	t.Run("a refused content type answers JSON", func(t *testing.T) {
		a := h.post(t, "text/plain", jsonType, "", `{ __typename }`)
		if a.status < 400 || !strings.Contains(a.header.Get("Content-Type"), "json") || a.code() == "" {
			t.Errorf("got %d %s %q", a.status, a.header.Get("Content-Type"), a.raw)
		}
	})
	t.Run("parse and validation errors carry their codes, declared in ErrorCode", func(t *testing.T) {
		a := h.post(t, jsonType, jsonType, office, `{"query":"{ __type(name: \"ErrorCode\") { enumValues { name } } }"}`)
		for _, code := range []string{"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "PERSISTED_QUERY_NOT_FOUND"} {
			if !bytes.Contains(a.raw, []byte(`"`+code+`"`)) {
				t.Errorf("ErrorCode lacks %s", code)
			}
		}
		for body, want := range map[string]string{
			`{"query":"{ subject("}`:      "GRAPHQL_PARSE_FAILED",
			`{"query":"{ noSuchField }"}`: "GRAPHQL_VALIDATION_FAILED",
		} {
			if got := h.post(t, jsonType, jsonType, office, body).code(); got != want {
				t.Errorf("%s: got code %q, want %s", body, got, want)
			}
		}
	})
	t.Run("limit and persisted-query errors under graphql-response+json answer 4xx without data", func(t *testing.T) {
		deep := `{"query":"{ a: subject(code: \"x\") { legalRepresentative { legalRepresentative { legalRepresentative { legalRepresentative { legalRepresentative { legalRepresentative { legalRepresentative { legalRepresentative { legalRepresentative { legalRepresentative { legalRepresentative { legalRepresentative { code } } } } } } } } } } } } } }"}`
		unknownAPQ := `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"0000000000000000000000000000000000000000000000000000000000000000"}}}`
		for name, body := range map[string]string{"depth": deep, "unknown persisted query": unknownAPQ} {
			a := h.post(t, jsonType, responseType, office, body)
			if a.status < 400 || a.status > 499 || a.hasData {
				t.Errorf("%s: got %d %s", name, a.status, a.raw)
			}
		}
	})
	t.Run("answers carry RateLimit headers", func(t *testing.T) {
		a := h.post(t, jsonType, jsonType, "", `{"query":"{ __typename }"}`)
		for _, hd := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} {
			if a.header.Get(hd) == "" {
				t.Errorf("no %s", hd)
			}
		}
	})
}
