package seed

import (
	"context"
	"database/sql"
	"fmt"
)

// deptKey names a department of the seed's reference data; tables refer to
// departments by key, and the code is computed once from the key's row.
type deptKey int

// The departments of the reference data.
const (
	deptDRC deptKey = iota
	deptTax
	deptMarket
	deptCourt
	deptEnv
	deptHousing
	deptHRSS
	deptEmergency
	deptFinance
	deptPRT
	deptCustoms
	deptTransport
	deptNatRes
	deptApproval
	deptPBOC
	deptPolice
	deptCulture
	deptHealth
)

// department is a Dandong authority. Its code is a government agency's USCC:
// 1 (机构编制) 1 (机关), the city's region code 210600, an organisation code
// body with its GB 11714 check character and the USCC check character.
type department struct {
	Name  string
	Abbr  string // 发文机关代字 in decision numbers, e.g. 丹市监
	Body  string // eight characters of the organisation code
	Staff string // slug of the staff ids, e.g. staff:dd-amr-01
	Code  string // computed
}

// departments is indexed by deptKey.
var departments = func() []department {
	ds := []department{
		deptDRC:       {Name: "丹东市发展和改革委员会（市信用办）", Abbr: "丹发改", Body: "00119627", Staff: "credit"},
		deptTax:       {Name: "国家税务总局丹东市税务局", Abbr: "丹税", Body: "00120584", Staff: "tax"},
		deptMarket:    {Name: "丹东市市场监督管理局", Abbr: "丹市监", Body: "00121349", Staff: "amr"},
		deptCourt:     {Name: "辽宁省丹东市中级人民法院", Abbr: "辽06", Body: "00118852", Staff: "court"},
		deptEnv:       {Name: "丹东市生态环境局", Abbr: "丹环", Body: "00122715", Staff: "env"},
		deptHousing:   {Name: "丹东市住房和城乡建设局", Abbr: "丹住建", Body: "00119430", Staff: "housing"},
		deptHRSS:      {Name: "丹东市人力资源和社会保障局", Abbr: "丹人社", Body: "00120167", Staff: "hrss"},
		deptEmergency: {Name: "丹东市应急管理局", Abbr: "丹应急", Body: "00123908", Staff: "emergency"},
		deptFinance:   {Name: "丹东市财政局", Abbr: "丹财", Body: "00118379", Staff: "finance"},
		deptPRT:       {Name: "丹东市公共资源交易中心", Abbr: "丹公资", Body: "00124561", Staff: "prt"},
		deptCustoms:   {Name: "中华人民共和国丹东海关", Abbr: "丹关", Body: "00117926", Staff: "customs"},
		deptTransport: {Name: "丹东市交通运输局", Abbr: "丹交", Body: "00121893", Staff: "transport"},
		deptNatRes:    {Name: "丹东市自然资源局", Abbr: "丹自然资", Body: "00122348", Staff: "natres"},
		deptApproval:  {Name: "丹东市行政审批局", Abbr: "丹审批", Body: "00125072", Staff: "approval"},
		deptPBOC:      {Name: "中国人民银行丹东市分行", Abbr: "丹银", Body: "00116785", Staff: "pboc"},
		deptPolice:    {Name: "丹东市公安局", Abbr: "丹公", Body: "00117453", Staff: "police"},
		deptCulture:   {Name: "丹东市文化旅游和广播电视局", Abbr: "丹文旅", Body: "00123376", Staff: "culture"},
		deptHealth:    {Name: "丹东市卫生健康委员会", Abbr: "丹卫健", Body: "00124129", Staff: "health"},
	}
	for i := range ds {
		ds[i].Code = mustUSCC("11210600" + ds[i].Body + string(orgCodeCheck(ds[i].Body)))
	}
	return ds
}()

// creditOffice is the city credit office (市信用办), the source of records that
// reach the platform through it and the approver of list entries.
var creditOffice = deptDRC

// DepartmentCodes returns the codes of the reference departments in a fixed
// order, for tests and tools that need a valid authority code.
func DepartmentCodes() []string {
	out := make([]string, len(departments))
	for i, d := range departments {
		out[i] = d.Code
	}
	return out
}

// execer is what *sql.DB and *sql.Tx both offer.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Departments inserts the demo departments of Dandong that the demo data
// decides its records with, and that tools such as the import benchmark
// use; departments that exist (by code) are left as they are. A city's own
// departments are managed with `credithub reference import` and the credit
// office's mutations, not by the seed.
func Departments(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("seed: begin: %w", err)
	}
	if err := insertDepartments(ctx, tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("seed: commit departments: %w", err)
	}
	return nil
}

// insertDepartments inserts the demo departments on q.
func insertDepartments(ctx context.Context, q execer) error {
	for _, d := range departments {
		if _, err := q.ExecContext(ctx,
			`INSERT INTO departments (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING`,
			d.Code, d.Name); err != nil {
			return fmt.Errorf("seed: insert department %s: %w", d.Name, err)
		}
	}
	// A department change is a reference change: servers reload.
	if _, err := q.ExecContext(ctx, `UPDATE reference_revision SET revision = revision + 1, changed_at = now()`); err != nil {
		return fmt.Errorf("seed: reference revision: %w", err)
	}
	return nil
}
