package seed

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/credithub/credithub/internal/calendar"
	"github.com/credithub/credithub/internal/credit"
)

// chunkSize is how many subjects the generator produces per batch. A batch
// holds every row about its subjects, so memory stays bounded by the chunk
// whatever the total; and because chunks are cut at fixed sizes the output
// depends only on the options, never on timing.
const chunkSize = 4000

// generator produces the demo rows. It is used by one goroutine at a time;
// its only source of randomness is rng, so the rows depend on the seed alone.
type generator struct {
	rng   *rand.Rand
	today credit.Date
	from  credit.Date // the start of the five-year window of records
	cal   *calendar.Calendar
	rules *rules

	codes hashSet // subject codes: one key space for USCCs and ID numbers
	names hashSet // organisation names
	ids   [numTables]int64
	seq   map[seqKey]int

	// Per-sector indexes into the record templates, and the weights of the
	// list domains, computed once.
	licenceCache  map[sector][]int
	penaltyCache  map[sector][]int
	deptPenalties [][]int
	blackWeights  []int
	redWeights    []int

	licenceSerial int64
	count         [numTables]int64
	// Subjects by kind, for the summary.
	orgs, shops, persons int64
}

// seqKey numbers decision documents per issuing department, kind of
// document and year, so that decision numbers are unique by construction.
type seqKey struct {
	dept deptKey
	kind string
	year int
}

// newGenerator returns a generator for the given seed and day, with the
// calendar and rules it needs.
func newGenerator(seed int64, today credit.Date, cal *calendar.Calendar, r *rules) *generator {
	return &generator{
		// The second PCG word is a fixed stream selector: any constant
		// works, changing it changes every row.
		rng:   rand.New(rand.NewPCG(uint64(seed), 0x5eed_da_d0_2106)),
		today: today,
		from:  today.AddMonths(-60),
		cal:   cal,
		rules: r,
		codes: make(hashSet),
		names: make(hashSet),
		seq:   make(map[seqKey]int),

		licenceCache:  make(map[sector][]int),
		penaltyCache:  make(map[sector][]int),
		deptPenalties: deptPenaltyKinds(),
		blackWeights:  domainWeights(blackListDomains),
		redWeights:    domainWeights(redListDomains),
	}
}

// deptPenaltyKinds returns, per department, its organisation penalty kinds.
func deptPenaltyKinds() [][]int {
	out := make([][]int, len(departments))
	for d := range departments {
		out[d] = penaltyKindsOf(deptKey(d))
	}
	return out
}

// domainWeights returns the weights of the domain specs, for pickWeighted.
func domainWeights(specs []domainSpec) []int {
	w := make([]int, len(specs))
	for i, s := range specs {
		w[i] = s.weight
	}
	return w
}

// nextID returns the next id of a bigserial table. Ids are assigned here so
// that child rows reference their parents without a round trip.
func (g *generator) nextID(t table) int64 {
	g.ids[t]++
	return g.ids[t]
}

// next returns the next document number of a department, kind and year.
func (g *generator) next(d deptKey, kind string, year int) int {
	k := seqKey{d, kind, year}
	g.seq[k]++
	return g.seq[k]
}

// chance reports true with probability p.
func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// between returns a uniformly random day in [a, b]; it returns a when b is
// before a.
func (g *generator) between(a, b credit.Date) credit.Date {
	n := days(a, b)
	if n <= 0 {
		return a
	}
	return a.AddDays(g.rng.IntN(n + 1))
}

// days returns the number of days from a to b.
func days(a, b credit.Date) int {
	return int(b.Time().Sub(a.Time()).Hours() / 24)
}

// maxDate returns the later of two dates.
func maxDate(a, b credit.Date) credit.Date {
	if a.After(b) {
		return a
	}
	return b
}

// minDate returns the earlier of two dates.
func minDate(a, b credit.Date) credit.Date {
	if a.Before(b) {
		return a
	}
	return b
}

// at returns an instant on day d in Dandong between the given hours.
func (g *generator) at(d credit.Date, fromHour, toHour int) time.Time {
	secs := fromHour*3600 + g.rng.IntN((toHour-fromHour)*3600)
	y, m, day := d.Time().Date()
	return time.Date(y, m, day, 0, 0, secs, 0, credit.Shanghai)
}

// logUniform returns an integer in [lo, hi) whose logarithm is uniform, the
// shape of fines and amounts: many small ones, few large.
func (g *generator) logUniform(lo, hi int64) int64 {
	l, h := math.Log(float64(lo)), math.Log(float64(hi))
	return int64(math.Exp(l + g.rng.Float64()*(h-l)))
}

// timeliness returns a record's publication deadline (nil when no rule or
// the official calendar does not cover the days it needs) and when the platform received
// it: mostly within the deadline, about one in ten late.
func (g *generator) timeliness(decided credit.Date) (any, time.Time) {
	var deadline any
	// The DISCLOSURE_DEADLINE rule in force on the decision date (the demo
	// data starts years after its first row).
	days, ok := g.rules.book.DisclosureDays(decided)
	if !ok {
		days = 7
	}
	due, err := g.cal.AddWorkingDays(decided.Time(), days)
	if err == nil && ok {
		deadline = credit.DateFromTime(due)
	} else {
		// The deadline stays NULL, as the schema asks; received_at still
		// needs a plausible day for the demo, so Monday to Friday.
		due, _, _ = g.cal.AddWorkingDaysOrEstimate(decided.Time(), days)
	}
	dueDate := credit.DateFromTime(due)
	recv := minDate(g.workday(g.between(decided, dueDate)), dueDate)
	if g.chance(0.10) {
		recv = g.workday(dueDate.AddDays(1 + g.rng.IntN(40)))
	}
	recv = minDate(recv, g.today)
	return deadline, g.at(recv, 8, 18)
}

// workday returns d or, when the official calendar says d is a day off, the
// next working day: offices decide and push records on working days, and
// statistics around the Spring Festival should show it. Days the calendar
// does not cover are kept.
func (g *generator) workday(d credit.Date) credit.Date {
	for range 14 { // the longest holiday with its weekends is 8-9 days
		working, err := g.cal.IsWorkingDay(d.Time())
		if err != nil || working {
			return d
		}
		d = d.AddDays(1)
	}
	return d
}

// decisionDay returns a random working day in [lo, hi], or lo when the days
// off run to the end of the range.
func (g *generator) decisionDay(lo, hi credit.Date) credit.Date {
	d := g.workday(g.between(lo, hi))
	if d.After(hi) {
		return lo
	}
	return d
}

// pickWeighted returns an index into weights, drawn in proportion to them.
func (g *generator) pickWeighted(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.rng.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}
