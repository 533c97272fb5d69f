package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// stagedPenalty is a valid penalty of organisation org with decision number
// no of department D1, on line.
func stagedPenalty(line int, org, no, facts string) store.StagedPenalty {
	return store.StagedPenalty{
		StagedParty: store.StagedParty{Line: line, Subject: credit.Subject{Code: org, Kind: credit.LegalPerson, Name: "公司" + org}},
		Penalty: credit.Penalty{RecordParty: credit.RecordParty{Name: "公司" + org, Category: credit.CategoryOrganization, USCC: org},
			DecisionNo: no, ViolationType: "违法行为", Facts: facts, LegalBasis: "依据", Category: "罚款", Content: "罚款",
			Fine: 100, DecidedOn: credit.MustDate("2024-03-05"), AuthorityName: "部门", AuthorityCode: "D1",
			SourceName: "部门", SourceCode: "D1", Severity: credit.General, UseScope: credit.ScopePublic,
			ReceivedAt: time.Date(2026, 11, 27, 2, 3, 4, 0, time.UTC)},
	}
}

func TestImportCopiesNewDecisionsStraightInAndUpsertsWhenOneWasStoredMeanwhile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := testenv.DB(t)
	testenv.NewFixtures(t, db).Department("D1", "部门")
	sess, err := db.ImportSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	chunk := func(first, n int) store.ImportResult {
		t.Helper()
		rows := make([]store.StagedPenalty, n)
		for j := range rows {
			rows[j] = stagedPenalty(first+j, testenv.USCC(first+j), fmt.Sprintf("罚%d号", first+j), "事实")
		}
		var res store.ImportResult
		if err := sess.InTx(ctx, func(tx *store.ImportTx) error {
			res, err = tx.ImportPenalties(ctx, rows)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return res
	}
	outbox := func() int {
		t.Helper()
		var n int
		if err := db.SQL().QueryRow(`SELECT count(*) FROM export_outbox WHERE record_kind = 'PENALTY'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	if res := chunk(1, 3); res.New != 3 || res.Copied != 3 || res.Updated != 0 || res.Registered != 3 {
		t.Fatalf("first chunk: got %+v, want 3 new, copied straight in, 3 registered", res)
	}
	if got := outbox(); got != 3 {
		t.Errorf("outbox rows after the first chunk: got %d, want 3", got)
	}

	// Meanwhile a push stores decision 罚5号, which the next chunk brings
	// with other facts: its COPY fails on the key, and the chunk is upserted.
	org := testenv.NewFixtures(t, db).Subject(testenv.USCC(900), credit.LegalPerson, "别的公司")
	if _, err := db.SQL().Exec(`INSERT INTO penalties (subject_id, xdr_name, xdr_category, decision_no, violation_type, facts,
			legal_basis, penalty_category, content, decided_on, authority_name, authority_code, source_name, source_code, severity)
		VALUES ($1, 'x', 'ORGANIZATION', '罚5号', '违法行为', '推送的事实', '依据', '罚款', '罚款', '2024-03-05', '部门', 'D1', '部门', 'D1', 'GENERAL')`,
		org); err != nil {
		t.Fatal(err)
	}
	if res := chunk(4, 3); res.New != 2 || res.Updated != 1 || res.Copied != 0 {
		t.Fatalf("chunk with a decision stored meanwhile: got %+v, want 2 new, 1 updated, upserted", res)
	}
	var n int
	var facts string
	if err := db.SQL().QueryRow(`SELECT count(*), max(facts) FILTER (WHERE decision_no = '罚5号') FROM penalties`).Scan(&n, &facts); err != nil {
		t.Fatal(err)
	}
	if n != 6 || facts != "事实" {
		t.Errorf("got %d penalties and 罚5号 with facts %q; want 6, the file's facts", n, facts)
	}
	// 3 copied, 1 pushed, 2 new and 1 changed by the upsert.
	if got := outbox(); got != 7 {
		t.Errorf("outbox rows: got %d, want 7", got)
	}

	// The upsert found all but one new, so the next chunk is upserted too,
	// and when all of its decisions were new, the one after is copied again.
	if res := chunk(7, 2); res.New != 2 || res.Copied != 0 {
		t.Errorf("chunk after a stored decision: got %+v; want 2 new, upserted", res)
	}
	if res := chunk(9, 2); res.New != 2 || res.Copied != 2 {
		t.Errorf("chunk after all-new decisions: got %+v; want 2 new, copied in", res)
	}
	// A file imported again is all stored: probed, then upserted, changing nothing.
	again, err := db.ImportSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	sess = again
	if res := chunk(1, 3); res.New != 0 || res.Updated != 0 {
		t.Errorf("the first chunk again: got %+v, want nothing new or updated", res)
	}
	if got := outbox(); got != 11 {
		t.Errorf("outbox rows after the re-run: got %d, want 11 (nothing more)", got)
	}
}
