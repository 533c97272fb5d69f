package graph_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/credithub/credithub/internal/credit"
)

// BenchmarkPropagationToOtherServers measures, with three hub servers on
// one Redis (and on the cluster), how long after a write is acknowledged
// by one server the other two answer with it. Each iteration warms both
// readers' caches with the organisation's penalty count (the answer is
// then served from memory after one generation check), makes a write on
// the first server, and from the moment it is acknowledged has each reader
// ask again until its answer shows the write. Reported: the delay's p50,
// p99 and maximum over both readers, in microseconds, and how many answers
// asked after the acknowledgement still missed the write (0: the hub bumps
// the generations before it acknowledges, so the first answer asked after
// it is the new one, and the delay is one uncached read).
//
//	go test -run '^$' -bench PropagationToOtherServers -benchtime 300x ./graph
func BenchmarkPropagationToOtherServers(b *testing.B) {
	for _, kind := range redisKinds {
		b.Run(kind, func(b *testing.B) {
			s := servers(b, kind, 3)
			writer, readers := s[0], s[1:]
			writeKey := writer.key(credit.RoleCreditOffice)
			readKeys := []string{readers[0].key(credit.RoleBank), readers[1].key(credit.RoleBank)}
			count := func(i int) int {
				r := readers[i].doAs(readKeys[i], penaltyCount, map[string]any{"c": intakeOrg})
				var out countOut
				if r.status != 200 || len(r.Errors) > 0 || unmarshal(r.Data, &out) != nil {
					b.Fatalf("read on server %d: %d %s", i+2, r.status, r.raw)
				}
				return out.CreditCheck.PenaltiesLast3Years
			}
			writer.query(recordPenaltyMutation, penaltyIn("丹市监罚〔2026〕0号", nil), &intakePenaltyOut{})
			delays := make([]time.Duration, 0, 2*b.N)
			stale := 0
			b.ResetTimer()
			for n := range b.N {
				b.StopTimer()
				for i := range readers {
					count(i)
					count(i) // from the cache
				}
				b.StartTimer()
				r := writer.doAs(writeKey, recordPenaltyMutation, penaltyIn(fmt.Sprintf("丹市监罚〔2026〕%d号", n+1), nil))
				acked := time.Now()
				if r.status != 200 || len(r.Errors) > 0 {
					b.Fatalf("write: %d %s", r.status, r.raw)
				}
				want := n + 2
				var mu sync.Mutex
				var wg sync.WaitGroup
				for i := range readers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for got := count(i); got < want; got = count(i) {
							mu.Lock()
							stale++
							mu.Unlock()
						}
						d := time.Since(acked)
						mu.Lock()
						delays = append(delays, d)
						mu.Unlock()
					}()
				}
				wg.Wait()
			}
			b.StopTimer()
			slices.Sort(delays)
			at := func(q float64) float64 {
				return float64(delays[min(len(delays)-1, int(q*float64(len(delays))))].Microseconds())
			}
			b.ReportMetric(at(0.50), "p50-µs")
			b.ReportMetric(at(0.99), "p99-µs")
			b.ReportMetric(float64(delays[len(delays)-1].Microseconds()), "max-µs")
			b.ReportMetric(float64(stale), "stale")
		})
	}
}
