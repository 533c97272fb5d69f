package main

import (
	"strings"
	"time"
)

// The statistics (README "Statistics"), as a dashboard sends them, each a
// mode of its own: stats-records, stats-timeliness, stats-amounts,
// stats-published, stats-lists, stats-joint, stats-checks, and
// stats-dashboard, the page's headline query (several statistics in one
// request). Their period is the year up to -stats-to (default today in
// Asia/Shanghai); published penalties look back three years. The role
// matters: a DASHBOARD key counts published records, a CREDIT_OFFICE key
// everything (stats-checks wants CREDIT_OFFICE or AUDITOR).
var statsQueries = map[string]string{
	"records": `{ recordStats(from: "$FROM", to: "$TO", groupBy: [DEPARTMENT, MONTH]) {
		rows { group { departmentCode departmentName month } licences penalties records } total { licences penalties records } } }`,
	"timeliness": `{ timelinessStats(from: "$FROM", to: "$TO", groupBy: [DEPARTMENT, MONTH]) {
		rows { group { departmentCode month } records onTime late unknownDeadline missingFields onTimeRate } total { records onTimeRate } } }`,
	"amounts": `{ amountStats(from: "$FROM", to: "$TO", groupBy: [DOMAIN, SEVERITY]) {
		rows { group { domain severity } penalties fines confiscated amount emptyFines emptyConfiscations } total { fines amount } } }`,
	"published": `{ publishedPenaltyStats(from: "$FROM3", to: "$TO", groupBy: [DEPARTMENT, SEVERITY]) {
		rows { group { departmentCode severity } penalties fines } total { penalties fines } } }`,
	"lists": `{ listEntryStats(from: "$FROM", to: "$TO", groupBy: [LIST_KIND, DOMAIN]) {
		rows { group { listKind domain domainName } entered active exited expired repaired revoked } total { active } } }`,
	"joint": `{ jointCaseStats(from: "$FROM", to: "$TO") { casesOpened
		rows { group { departmentCode departmentName } cases pushed accepted rejected executed fedBack overdue } total { pushed } } }`,
	"checks": `{ checkStats(from: "$FROM", to: "$TO", groupBy: [ROLE, INSTITUTION, MONTH]) {
		rows { group { role institution month } uses subjects } total { uses } } }`,
	"dashboard": `{ records: recordStats(from: "$FROM", to: "$TO", groupBy: [MONTH]) { rows { group { month } licences penalties } total { records } }
		timeliness: timelinessStats(from: "$FROM", to: "$TO", groupBy: [DEPARTMENT]) { rows { group { departmentName } onTime late onTimeRate } total { onTimeRate } }
		published: publishedPenaltyStats(from: "$FROM3", to: "$TO", groupBy: [SEVERITY]) { total { penalties } }
		lists: listEntryStats(from: "$FROM", to: "$TO", groupBy: [LIST_KIND, DOMAIN]) { rows { group { listKind domainName } active } total { active } } }`,
}

func init() {
	for name, q := range statsQueries {
		operations["stats-"+name] = operation{query: q}
	}
}

// statsPeriod puts the period into the statistics' queries: the year up
// to to ("" for today in Asia/Shanghai), and three years for published
// penalties.
func statsPeriod(op operation, to string) (operation, error) {
	end := time.Now().In(time.FixedZone("CST", 8*3600))
	if to != "" {
		var err error
		if end, err = time.Parse("2006-01-02", to); err != nil {
			return op, err
		}
	}
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	op.query = strings.NewReplacer("$FROM3", day(end.AddDate(-3, 0, 1)), "$FROM", day(end.AddDate(-1, 0, 1)),
		"$TO", day(end)).Replace(op.query)
	return op, nil
}
