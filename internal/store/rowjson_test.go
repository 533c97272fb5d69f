package store_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/seed"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// decodeRowJSON (github.com/goccy/go-json) must decode the read rows
// exactly as encoding/json does: every subject of a seeded city read with
// every relation and column, and every subject's check records, decoded
// both ways and compared. A guard for upgrades of the decoder.
func TestRowJSONDecodesAsEncodingJSONDoes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	today := credit.MustDate("2026-12-04")
	if _, err := seed.Run(ctx, db.SQL(), seed.Options{Subjects: 400, Seed: 5, Today: today}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	var codes []string
	x := sqlx.NewDb(db.SQL(), "postgres")
	if err := x.SelectContext(ctx, &ids, `SELECT id FROM subjects ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if err := x.SelectContext(ctx, &codes, `SELECT code FROM subjects ORDER BY id`); err != nil {
		t.Fatal(err)
	}

	all := func(kind string) credit.Fields { return credit.Fields(store.RecordColumns(kind)) }
	entries := credit.EntryRead{Fields: all("ListEntry"), Measures: true, MeasureFields: all("Measure")}
	pages := []credit.RecordPage{{First: 20}}
	leaf := &credit.SubjectRead{Fields: all("Subject")}
	read := &credit.SubjectRead{Fields: all("Subject"), LicenceFields: all("Licence"), PenaltyFields: all("Penalty"),
		LegalRep:     &credit.SubjectRead{Fields: all("Subject"), LicenceCount: true, PenaltyCounts: []credit.Date{{}}},
		KeyPersons:   &credit.KeyPersonRead{Person: &credit.SubjectRead{Fields: all("Subject"), LicencePages: pages, LicenceFields: all("Licence")}},
		Roles:        &credit.KeyPersonRead{Organization: leaf},
		LicencePages: pages, LicenceCount: true, PenaltyPages: pages, PenaltyCounts: []credit.Date{{}, credit.MustDate("2024-02-29")},
		Entries: &entries, Attributed: &credit.AttributedRead{Entry: entries, Organization: leaf}, TaxGrade: true}
	scopes := []credit.UseScope{credit.ScopePublic, credit.ScopeShared, credit.ScopeAuthorized}
	rows, err := db.SubjectReadRows(ctx, ids, read, credit.RecordView{Scopes: scopes}, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(ids) {
		t.Fatalf("%d rows for %d subjects", len(rows), len(ids))
	}
	for _, raw := range rows {
		var want, got store.NodeJSON
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if err := store.DecodeRowJSON(raw, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("the subject read decodes otherwise:\n%s\nencoding/json %#v\ngo-json %#v", raw, want, got)
		}
	}

	since := credit.MustDate("2023-12-04")
	for _, code := range codes {
		row, err := db.CheckRowOf(ctx, code, today, since)
		if err != nil {
			t.Fatal(err)
		}
		var want, got credit.CheckRecords
		want.TaxGrade, got.TaxGrade = new(credit.TaxCreditGrade), new(credit.TaxCreditGrade)
		for _, part := range []struct {
			raw       []byte
			want, got any
		}{{row.Subject, &want.Subject, &got.Subject}, {row.Entries, &want.Entries, &got.Entries},
			{row.Attributed, &want.Attributed, &got.Attributed}, {row.Penalties, &want.Penalties, &got.Penalties},
			{row.KeyPersons, &want.KeyPersons, &got.KeyPersons}, {row.Disputed, &want.Disputed, &got.Disputed},
			{row.TaxGrade, want.TaxGrade, got.TaxGrade}} {
			if len(part.raw) == 0 {
				continue
			}
			if err := json.Unmarshal(part.raw, part.want); err != nil {
				t.Fatal(err)
			}
			if err := store.DecodeRowJSON(part.raw, part.got); err != nil {
				t.Fatal(err)
			}
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("the check records of %s decode otherwise:\nencoding/json %#v\ngo-json %#v", code, want, got)
		}
	}
}
