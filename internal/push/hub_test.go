package push_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/push"
	"github.com/credithub/credithub/internal/store"
	"github.com/credithub/credithub/internal/testenv"
)

// env is a database with departments D1 and D2, one measure for each and
// an active entry whose case tests open.
type env struct {
	t     *testing.T
	url   string
	db    *store.DB
	entry credit.ListEntry
	m1    credit.Measure
	m2    credit.Measure
}

func newEnv(t *testing.T) *env {
	t.Helper()
	url := testenv.NewDatabase(t)
	db, err := store.Open(context.Background(), url, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := testenv.NewFixtures(t, db)
	f.Department("TAX", "税务局")
	f.Department("D1", "部门一")
	f.Department("D2", "部门二")
	m1 := f.Measure("M1", credit.Punishment, credit.Black, "MAJOR_TAX_VIOLATION", "D1", credit.BankCredit)
	m2 := f.Measure("M2", credit.Punishment, credit.Black, "MAJOR_TAX_VIOLATION", "D2", credit.ApprovalWindow)
	org := f.Subject(testenv.USCC(1), credit.LegalPerson, "公司")
	e := &env{t: t, url: url, db: db, m1: credit.Measure{ID: m1, ImplementingDepartment: "D1"},
		m2: credit.Measure{ID: m2, ImplementingDepartment: "D2"}}
	e.entry = credit.ListEntry{ID: f.ListEntry(testenv.Entry{Subject: org, Kind: credit.Black, Domain: "MAJOR_TAX_VIOLATION",
		Dept: "TAX", DecidedOn: "2026-01-05", EndsOn: "2029-01-04"}), DepartmentCode: "TAX"}
	return e
}

// open opens a case pushing measures, committing unless rollback.
func (e *env) open(rollback bool, measures ...credit.Measure) []credit.Assignment {
	e.t.Helper()
	var as []credit.Assignment
	errRollback := errors.New("roll back")
	err := e.db.InTx(context.Background(), func(tx *store.DB) error {
		var err error
		entry := e.entry
		if _, as, err = tx.OpenJointCase(context.Background(), entry, pushedTo(measures), time.Now(), "staff:office"); err != nil {
			return err
		}
		if rollback {
			return errRollback
		}
		return nil
	})
	if err != nil && !(rollback && errors.Is(err, errRollback)) {
		e.t.Fatal(err)
	}
	// The next case needs an entry of its own.
	e.entry.ID = e.newEntry()
	return as
}

func (e *env) newEntry() int64 {
	var id int64
	if err := e.db.SQL().QueryRow(`INSERT INTO list_entries (subject_id, kind, domain, department_code, decision_no,
			decided_on, facts, starts_on, ends_on, status, proposed_by, approved_by)
		SELECT subject_id, kind, domain, department_code, decision_no || '+', decided_on, facts, starts_on, ends_on,
			status, proposed_by, approved_by FROM list_entries ORDER BY id DESC LIMIT 1 RETURNING id`).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func (e *env) hub(opts ...push.Option) *push.Hub {
	e.t.Helper()
	h, err := push.Listen(context.Background(), e.url, e.db, opts...)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { h.Close() })
	return h
}

func next(t *testing.T, what string, ch <-chan credit.Assignment) credit.Assignment {
	t.Helper()
	select {
	case a, ok := <-ch:
		if !ok {
			t.Fatalf("%s: subscription closed", what)
		}
		return a
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: nothing pushed", what)
	}
	return credit.Assignment{}
}

func TestCommittedPushesReachTheirDepartmentOnEveryServerRolledBackOnesNobody(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, b := e.hub(), e.hub() // two servers
	aD1, bD1, aD2 := a.Subscribe(ctx, "D1"), b.Subscribe(ctx, "D1"), a.Subscribe(ctx, "D2")

	e.open(true, e.m1) // rolled back: no NOTIFY is ever sent
	pushed := e.open(false, e.m1)
	for name, ch := range map[string]<-chan credit.Assignment{"server A": aD1, "server B": bD1} {
		// Notifications arrive in commit order: had the rolled-back push
		// been announced, it would come first.
		if got := next(t, name, ch); got.ID != pushed[0].ID || got.DepartmentCode != "D1" {
			t.Errorf("%s, D1: got %+v, want the committed push %d", name, got, pushed[0].ID)
		}
	}
	// D2 had nothing pushed yet: the first push it sees is its own.
	own := e.open(false, e.m2)
	if got := next(t, "D2", aD2); got.ID != own[0].ID {
		t.Errorf("D2: got %+v, want its push %d", got, own[0].ID)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var delivered, pending int
		err := e.db.SQL().QueryRow(`SELECT count(*) FILTER (WHERE delivered_at IS NOT NULL),
			count(*) FILTER (WHERE delivered_at IS NULL) FROM push_outbox`).Scan(&delivered, &pending)
		if err != nil {
			t.Fatal(err)
		}
		if delivered == 2 && pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox: %d delivered, %d pending; want both pushes delivered (the rolled-back one never written)", delivered, pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestASlowSubscriberIsClosedNotWaitedFor(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	h := e.hub(push.WithBuffer(1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	slow, live := h.Subscribe(ctx, "D1"), h.Subscribe(ctx, "D1")
	first := e.open(false, e.m1)
	if got := next(t, "live", live); got.ID != first[0].ID {
		t.Fatalf("live: got %+v", got)
	}
	second := e.open(false, e.m1) // slow has not read the first: it falls behind
	if got := next(t, "live", live); got.ID != second[0].ID {
		t.Errorf("live: got %+v, want the second push", got)
	}
	if got := next(t, "slow", slow); got.ID != first[0].ID {
		t.Errorf("slow: got %+v, want the first push still buffered", got)
	}
	select {
	case _, ok := <-slow:
		if ok {
			t.Errorf("slow: got a second push, want its subscription closed")
		}
	case <-time.After(10 * time.Second):
		t.Errorf("slow: neither closed nor fed")
	}
	if n := h.Subscribers("D1"); n != 1 {
		t.Errorf("D1 subscribers: %d, want 1 left", n)
	}
	cancel()
	if _, ok := <-live; ok {
		t.Errorf("live: open after its context ended")
	}
	if n := h.Subscribers("D1"); n != 0 {
		t.Errorf("D1 subscribers after cancel: %d, want 0", n)
	}
}

// pushedTo returns the measures with their catalogue departments.
func pushedTo(ms []credit.Measure) []credit.CaseMeasure {
	out := make([]credit.CaseMeasure, len(ms))
	for i, m := range ms {
		out[i] = credit.CaseMeasure{Measure: m, Department: m.ImplementingDepartment}
	}
	return out
}
