package store

import (
	"cmp"
	"context"
	"slices"

	"github.com/lib/pq"

	"github.com/credithub/credithub/internal/credit"
)

// linkCandidate is a row of a chunk that names a legal representative: the
// organisation, the person, the record's decision date and the row's line.
type linkCandidate struct {
	org, person int64
	since       credit.Date
	line        int
}

// linkCandidates are the rows of a chunk that name a legal representative.
type linkCandidates []linkCandidate

func (c *linkCandidates) add(org, person int64, since credit.Date, line int) {
	*c = append(*c, linkCandidate{org: org, person: person, since: since, line: line})
}

// linkLegalReps links legal representatives by the rule of
// LinkLegalRepresentative, for the whole chunk at once: an organisation
// gets the representative a row names, from the row's decision date, when
// none of its legal representatives' roles lasts to that date; of several
// rows of one organisation that could, the first line's does, as it would if
// the rows were pushed one by one.
//
// It holds key_persons in SHARE ROW EXCLUSIVE mode until the chunk commits:
// that mode conflicts with every other writer of key persons, so the roles
// read next are all there are until the commit, and the links the rule picks
// from them are copied in without a conflict to fear. (The per-organisation
// advisory locks of single pushes would take one lock slot each, and tens of
// thousands would exhaust PostgreSQL's lock table.) Organisations whose legal
// representative's role has no end are left out first, as no record links
// over them; most organisations of a file appear in many chunks, and the
// session remembers them.
func (tx *ImportTx) linkLegalReps(ctx context.Context, c linkCandidates, res *ImportResult) error {
	c = c.without(tx.sess.openRep)
	if len(c) == 0 {
		return nil
	}
	if _, err := tx.exec(ctx, `LOCK TABLE key_persons IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return err
	}
	orgs := make([]int64, 0, len(c))
	for _, x := range c {
		orgs = append(orgs, x.org)
	}
	slices.Sort(orgs)
	orgs = slices.Compact(orgs)
	var roles []struct {
		Org   int64        `db:"organization_id"`
		Until *credit.Date `db:"until"`
	}
	if err := tx.sel(ctx, &roles, `SELECT organization_id, until FROM key_persons
		WHERE organization_id = ANY($1) AND role = 'LEGAL_REPRESENTATIVE'`, pq.Array(orgs)); err != nil {
		return err
	}
	// The latest day each organisation has a legal representative for, or
	// open for one whose role has no end.
	lastDay := make(map[int64]credit.Date, len(roles))
	open := make(map[int64]bool)
	for _, r := range roles {
		if r.Until == nil {
			open[r.Org] = true
			tx.learnedRep = append(tx.learnedRep, r.Org)
		} else if d, ok := lastDay[r.Org]; !ok || r.Until.After(d) {
			lastDay[r.Org] = *r.Until
		}
	}
	slices.SortFunc(c, func(a, b linkCandidate) int { return cmp.Or(cmp.Compare(a.org, b.org), cmp.Compare(a.line, b.line)) })
	var links linkCandidates
	for _, x := range c {
		if open[x.org] || (len(links) > 0 && links[len(links)-1].org == x.org) {
			continue // one link per organisation and chunk: the first line's
		}
		if d, ok := lastDay[x.org]; ok && !d.Before(x.since) {
			continue // a role lasts to this row's date
		}
		links = append(links, x)
	}
	if len(links) == 0 {
		return nil
	}
	err := tx.copyRows(ctx, "key_persons", []string{"organization_id", "person_id", "role", "since"}, len(links),
		func(i int, l *copyLine) {
			l.int(links[i].org)
			l.int(links[i].person)
			l.str(string(credit.LegalRepresentative))
			l.date(links[i].since)
		})
	if err != nil {
		return err
	}
	res.Linked = len(links)
	for _, l := range links {
		res.changed = append(res.changed, l.org, l.person)
		tx.learnedRep = append(tx.learnedRep, l.org)
	}
	return nil
}

// without returns the candidates whose organisation is not in skip.
func (c linkCandidates) without(skip map[int64]bool) linkCandidates {
	out := make(linkCandidates, 0, len(c))
	for _, x := range c {
		if !skip[x.org] {
			out = append(out, x)
		}
	}
	return out
}
