package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/credithub/credithub/graph"
	"github.com/credithub/credithub/internal/auth"
	"github.com/credithub/credithub/internal/credit"
	"github.com/credithub/credithub/internal/dashboard"
	"github.com/credithub/credithub/internal/seed"
	"github.com/credithub/credithub/internal/service"
	"github.com/credithub/credithub/internal/testenv"
)

// The dashboard in a real browser: the hub in-process on a seeded database,
// the page served as serve mounts it, Chromium driving it as the credit
// office's wall screen and a window clerk would.

const (
	dashFrom, dashTo = "2025-11-28", "2026-11-27"
	taxDepartment    = "11210600001205841G"
	approvalBureau   = "11210600001250722E" // 丹东市行政审批局
	centralBank      = "11210600001167857E" // 中国人民银行丹东市分行
)

// hub starts the hub on a seeded database with its clock on dashTo and a
// joint case opened that day, and returns its URL, keys by role and the
// code of a subject on a black list.
func hub(t *testing.T) (string, map[credit.Role]string, string) {
	t.Helper()
	ctx := context.Background()
	db := testenv.DB(t)
	today := credit.MustDate(dashTo)
	if _, err := seed.Run(ctx, db.SQL(), seed.Options{Subjects: 300, Seed: 14, Today: today}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, credit.Shanghai)
	svc := service.New(db, service.WithClock(func() time.Time { return now }))
	var org string
	if err := db.SQL().QueryRow(`SELECT code FROM subjects s WHERE kind = 'LEGAL_PERSON'
		AND NOT EXISTS (SELECT 1 FROM list_entries e WHERE e.subject_id = s.id) ORDER BY code LIMIT 1`).Scan(&org); err != nil {
		t.Fatal(err)
	}
	// The city's adoption of two national measures for the domain: the
	// national baseline names kinds of authority, a push needs a department.
	f := testenv.NewFixtures(t, db)
	f.Measure("DASH_STRICT_REVIEW", credit.Punishment, credit.Black, "MAJOR_TAX_VIOLATION", approvalBureau, credit.ApprovalWindow)
	f.Measure("DASH_LOAN_REFUSAL", credit.Punishment, credit.Black, "MAJOR_TAX_VIOLATION", centralBank, credit.BankCredit)
	dept := credit.WithCaller(ctx, credit.Caller{ID: "staff:tax", Role: credit.RoleDepartment, Department: taxDepartment})
	entry, err := svc.ProposeListEntry(dept, credit.ListEntryInput{SubjectCode: org, Kind: credit.Black,
		Domain: "MAJOR_TAX_VIOLATION", DecisionNo: "丹税稽罚〔2026〕88号", DecidedOn: today, Facts: "虚开增值税专用发票"})
	if err != nil {
		t.Fatal(err)
	}
	office := credit.WithCaller(ctx, credit.Caller{ID: "staff:office", Role: credit.RoleCreditOffice})
	if _, _, err := svc.ApproveListEntry(office, entry.ID, nil); err != nil {
		t.Fatal(err)
	}
	authn, err := auth.New(ctx, db, auth.JWTConfig{}, false)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", graph.NewHandler(svc, graph.HandlerOptions{Auth: authn}))
	mux.Handle(dashboard.Prefix, dashboard.Handler()) // as serve mounts it
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	keys := map[credit.Role]string{}
	for _, r := range []credit.Role{credit.RoleDashboard, credit.RoleWindow} {
		k, _, err := auth.CreateKey(ctx, db, auth.KeySpec{Role: r, Institution: "测试 " + string(r)}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		keys[r] = k
	}
	return srv.URL, keys, org
}

// statsFor asks the API directly what the page's headline figures must show.
func statsFor(t *testing.T, url, key string) map[string]string {
	t.Helper()
	const q = `query($from: Date!, $to: Date!, $from3: Date!) {
		recordStats(from: $from, to: $to, groupBy: [MONTH]) { rows { group { month } } total { records } }
		timelinessStats(from: $from, to: $to) { total { onTimeRate } }
		publishedPenaltyStats(from: $from3, to: $to) { total { penalties } }
		amountStats(from: $from, to: $to) { total { amount } }
		black: listEntryStats(from: $from, to: $to, groupBy: [LIST_KIND], filter: {listKind: BLACK}) { total { active } }
		red: listEntryStats(from: $from, to: $to, groupBy: [LIST_KIND], filter: {listKind: RED}) { total { active } }
		jointCaseStats(from: $from, to: $to) { total { pushed } } }`
	body, _ := json.Marshal(map[string]any{"query": q, "variables": map[string]string{"from": dashFrom, "to": dashTo, "from3": "2023-11-28"}})
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			RecordStats struct {
				Rows  []any
				Total struct{ Records int }
			}
			TimelinessStats       struct{ Total struct{ OnTimeRate float64 } }
			PublishedPenaltyStats struct{ Total struct{ Penalties int } }
			AmountStats           struct{ Total struct{ Amount string } }
			Black, Red            struct{ Total struct{ Active int } }
			JointCaseStats        struct{ Total struct{ Pushed int } }
		}
		Errors []any
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
		t.Fatalf("statistics: %v %v", err, out.Errors)
	}
	d := out.Data
	return map[string]string{
		"kpi-records": strconv.Itoa(d.RecordStats.Total.Records), "kpi-ontime": strconv.FormatFloat(d.TimelinessStats.Total.OnTimeRate, 'g', -1, 64),
		"kpi-published": strconv.Itoa(d.PublishedPenaltyStats.Total.Penalties), "kpi-amount": d.AmountStats.Total.Amount,
		"kpi-black": strconv.Itoa(d.Black.Total.Active), "kpi-red": strconv.Itoa(d.Red.Total.Active),
		"kpi-pushed": strconv.Itoa(d.JointCaseStats.Total.Pushed), "months": strconv.Itoa(len(d.RecordStats.Rows)),
	}
}

func TestTheDashboardInAHeadlessBrowser(t *testing.T) {
	t.Parallel()
	b := newBrowser(t)
	url, keys, blacklisted := hub(t)
	b.run(t, "open the page", chromedp.Navigate(url+"/dashboard/?from="+dashFrom+"&to="+dashTo))

	// A key the hub does not know is refused cleanly, and forgotten.
	b.login(t, "chk_not-a-key-of-this-hub")
	b.waitFor(t, "the refusal", `document.getElementById('login-error').textContent !== ''`)
	var refused struct {
		State, Message string
		Stored         bool
	}
	b.eval(t, `({state: document.body.dataset.state, message: document.getElementById('login-error').textContent,
		stored: sessionStorage.length + localStorage.length > 0})`, &refused)
	if refused.State != "login" || !strings.Contains(refused.Message, "密钥无效") || refused.Stored {
		t.Errorf("bad key: %+v, want the login form with 密钥无效… and nothing stored", refused)
	}

	// The wall screen's DASHBOARD key: headline figures equal the API's.
	b.login(t, keys[credit.RoleDashboard])
	b.waitFor(t, "the statistics", `document.body.dataset.state === 'ready'`)
	want := statsFor(t, url, keys[credit.RoleDashboard])
	var shown map[string]struct{ Value, Text string }
	b.eval(t, `Object.fromEntries([...document.querySelectorAll('.kpi .value')].map(e => [e.id, {value: e.dataset.value, text: e.textContent}]))`, &shown)
	for id, v := range want {
		if id == "months" {
			continue
		}
		got := shown[id]
		digits := strings.NewReplacer(",", "", "%", "").Replace(got.Text)
		if got.Value != v || digits == "" || digits == "—" {
			t.Errorf("%s: the page shows %q (value %q), the API says %s", id, got.Text, got.Value, v)
		}
	}
	if n, _ := strconv.Atoi(want["kpi-records"]); n == 0 || want["kpi-pushed"] == "0" {
		t.Errorf("the seeded period has %v: want records and a pushed joint case", want)
	}
	// Each chart is drawn on a canvas with something on it, its table beneath.
	var drawn map[string]int
	b.eval(t, `Object.fromEntries(['timeliness', 'records', 'lists', 'joint'].map(p => {
		const c = document.querySelector('#panel-' + p + ' canvas');
		if (!c || !c.width) return [p, 0];
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
		return [p, n];
	}))`, &drawn)
	for _, p := range []string{"timeliness", "records", "lists", "joint"} {
		if drawn[p] < 2000 {
			t.Errorf("chart %s: %d painted pixels, want a drawn chart", p, drawn[p])
		}
	}
	var table struct {
		Rows     int
		CSV      string
		Key      bool
		Objected bool
	}
	b.eval(t, `import('./panels.js').then(m => { const p = document.getElementById('panel-records');
		return {rows: p.querySelectorAll('tbody tr').length, csv: m.csv(p._csv.headers, p._csv.rows),
			key: sessionStorage.getItem('credithub.apiKey') !== null && localStorage.length === 0,
			objected: !document.getElementById('panel-objections').hidden}; })`, &table)
	months, _ := strconv.Atoi(want["months"])
	if table.Rows != months+1 || !strings.HasPrefix(table.CSV, "\uFEFF月份,行政许可,行政处罚,合计\r\n") || !table.Key || table.Objected {
		t.Errorf("records table: %d rows (want %d months and the total), CSV %.60q, key in sessionStorage only %v, "+
			"objections panel shown %v", table.Rows, months, table.CSV, table.Key, table.Objected)
	}
	b.screenshot(t, "dashboard.png")

	// A DASHBOARD key may not make checks: a clean refusal.
	b.run(t, "look up as DASHBOARD", chromedp.SetValue(chromedp.CSS("#lookup-code"), blacklisted),
		chromedp.Click(chromedp.CSS("#lookup button")))
	b.waitFor(t, "the refusal", `document.querySelector('#lookup-result .refusal') !== null`)
	var code string
	b.eval(t, `document.querySelector('#lookup-result .refusal').dataset.code`, &code)
	if code != "FORBIDDEN" {
		t.Errorf("DASHBOARD look-up: %q, want a FORBIDDEN refusal", code)
	}

	// A window clerk: no statistics, the explained check of an applicant.
	b.run(t, "log out", chromedp.Click(chromedp.CSS("#logout")))
	b.login(t, keys[credit.RoleWindow])
	b.waitFor(t, "the page", `document.body.dataset.state === 'ready'`)
	b.run(t, "look up as WINDOW", chromedp.SetValue(chromedp.CSS("#lookup-code"), blacklisted),
		chromedp.Click(chromedp.CSS("#lookup button")))
	b.waitFor(t, "the check", `document.querySelector('#lookup-result .result, #lookup-result .error') !== null`)
	var check struct {
		Verdict, Subject, Banner, Figures string
		Reasons, Measures                 int
	}
	b.eval(t, `({verdict: (document.getElementById('lookup-verdict') || {}).textContent || document.getElementById('lookup-result').textContent,
		subject: (document.querySelector('#lookup-result h3') || {}).textContent || '',
		banner: document.getElementById('banner').textContent,
		figures: document.getElementById('kpi-records').textContent,
		reasons: document.querySelectorAll('#lookup-result .reasons li').length,
		measures: document.querySelectorAll('#lookup-result table tr').length - 1})`, &check)
	if !strings.Contains(check.Verdict, "绿色通道：不适用") || !strings.Contains(check.Subject, blacklisted) ||
		check.Reasons == 0 || check.Measures < 1 || !strings.Contains(check.Banner, "无权查看统计") || check.Figures != "—" {
		t.Errorf("WINDOW look-up of a blacklisted company: %+v, want no green channel, its reasons and measures, "+
			"and the statistics refused (no figure left from the DASHBOARD key)", check)
	}
	b.screenshot(t, "dashboard-lookup.png")
	if f := b.foreign(url); len(f) > 0 {
		t.Errorf("the page reached outside the hub: %v", f)
	}
}
