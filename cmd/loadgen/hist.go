package main

import (
	"math/bits"
	"time"
)

// hist is a log-linear latency histogram in the manner of HDR histograms:
// values below 2^subBits nanoseconds have a bucket each, larger ones fall
// into 2^subBits buckets per power of two, so every recorded duration is
// known to within 1/2^subBits (1.6 %) whatever the run's length. It has a
// fixed size (about 30 KB) and no allocation per value; each worker keeps
// its own and they are merged at the end.
type hist struct {
	counts [histBuckets]uint64
	n      uint64
	max    time.Duration
}

const (
	subBits     = 6
	subCount    = 1 << subBits
	histBuckets = subCount + (64-subBits)*subCount
)

func bucketOf(v uint64) int {
	if v < subCount {
		return int(v)
	}
	shift := bits.Len64(v) - subBits - 1
	return subCount + shift*subCount + int(v>>shift) - subCount
}

// bucketMid is the middle of bucket i's range of values.
func bucketMid(i int) uint64 {
	if i < subCount {
		return uint64(i)
	}
	shift := (i - subCount) / subCount
	lo := uint64(subCount+(i-subCount)%subCount) << shift
	return lo + (uint64(1)<<shift)/2
}

func (h *hist) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d))]++
	h.n++
	if d > h.max {
		h.max = d
	}
}

func (h *hist) merge(o *hist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	if o.max > h.max {
		h.max = o.max
	}
}

// quantile returns the value at quantile q (0 < q ≤ 1): the smallest
// bucket holding at least q of the values, reported by its middle.
func (h *hist) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.5)
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			v := time.Duration(bucketMid(i))
			if v > h.max {
				v = h.max
			}
			return v
		}
	}
	return h.max
}
