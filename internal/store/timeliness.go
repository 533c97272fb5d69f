package store

import (
	"context"

	"github.com/credithub/credithub/internal/credit"
)

// Disclosure timeliness: how many of each department's licences and
// penalties reached the platform by their publication deadline.

// TimelinessCounts are the counts of one department, or of all of them
// (Total) in the row the database adds with GROUPING SETS.
type TimelinessCounts struct {
	Total           bool    `db:"is_total"`
	DepartmentCode  *string `db:"department_code"`
	DepartmentName  *string `db:"department_name"`
	Licences        int     `db:"licences"`
	Penalties       int     `db:"penalties"`
	Records         int     `db:"records"`
	OnTime          int     `db:"on_time"`
	Late            int     `db:"late"`
	UnknownDeadline int     `db:"unknown_deadline"`
	MissingFields   int     `db:"missing_fields"`
}

// A record's published_on_time column (generated, migration 00014) is
// whether it reached the platform by its deadline: the day it was
// received, in the city's zone, is not after it, the same day
// credit.DateOf gives for received_at, so that on time here means what
// Licence.PublishedOnTime and Penalty.PublishedOnTime mean (the whole
// deadline day counts). NULL when the deadline is unknown. China has had
// no daylight saving since 1991, so the zone's offset is +08:00 for every
// record.

// A record's missing_fields column (generated, migration 00014) is true
// when it lacks a field the 双公示 standard requires: the party's name; for
// organisations and individual businesses the unified social credit code
// or, for codes from before it, at least one legacy identifier; for
// organisations the legal representative (FRDB); for natural persons the
// identity document's type and number; and the record's own required
// fields (licences: XK_XKWS, XK_WSH, XK_XKLB, XK_NR, XK_XKJG, XK_XKJGDM,
// XK_LYDW, XK_LYDWDM; penalties: CF_WSH, CF_WFXW, CF_SY, CF_YJ, CF_CFLB,
// CF_NR, CF_CFJG, CF_CFJGDM, CF_SJLY, CF_SJLYDM). A field of only spaces
// counts as empty. Stored with the record, it is read from the covering
// indexes with the rest of what the statistics count.

// DisclosureTimeliness returns the timeliness counts of the records decided
// from from to to (inclusive), per department ordered by code, then the
// total, which the database sums from the rows' counts (GROUPING SETS) and
// which comes also when no record matches. department, when not empty,
// limits them to that department. Every record counts once in records and
// in exactly one of on time, late and unknown deadline (a NULL deadline:
// the calendar had no official data); missing fields counts independently
// of those. Revoked penalties are left out: they were decided in error and
// count nowhere. Revoked licences stay: revocation ends a licence that was
// granted and had to be published. It is TimelinessStats by department,
// over every use scope: one statement, and the same counts by construction.
func (db *DB) DisclosureTimeliness(ctx context.Context, from, to credit.Date, department string) ([]TimelinessCounts, error) {
	rows, err := db.TimelinessStats(ctx, credit.StatsQuery{From: from, To: to,
		GroupBy: []credit.StatsDimension{credit.DimDepartment}, Filter: credit.StatsFilter{Department: department}}, StatsView{})
	if err != nil {
		return nil, err
	}
	out := make([]TimelinessCounts, len(rows))
	for i, r := range rows {
		out[i] = TimelinessCounts{Total: r.IsTotal, DepartmentCode: r.DepartmentCode, DepartmentName: r.DepartmentName,
			Licences: r.Licences, Penalties: r.Penalties, Records: r.Records(), OnTime: r.OnTime, Late: r.Late,
			UnknownDeadline: r.UnknownDeadline, MissingFields: r.MissingFields}
	}
	return out, nil
}
