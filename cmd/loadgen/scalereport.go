package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// scaleReport prints the results of make bench-scale as one Markdown table:
// per mode, the latency and rate at each data set size, and the ratio of
// the larger sizes' p50 and p99 to the smallest's (the target:
// within 1.2×).
//
//	loadgen scale-report -in results.jsonl
func scaleReport(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("scale-report", flag.ContinueOnError)
	in := fs.String("in", "", "results, one JSON object a line, each with its data set's size")
	target := fs.Float64("target", 1.2, "the largest acceptable ratio of a larger size's latency to the smallest's")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	type sized struct {
		Size int `json:"size"`
		result
	}
	var modes []string
	var sizes []int
	by := map[string]map[int]result{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var r sized
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return fmt.Errorf("%s: %w", *in, err)
		}
		if by[r.Mode] == nil {
			by[r.Mode] = map[int]result{}
			modes = append(modes, r.Mode)
		}
		if _, ok := by[r.Mode][r.Size]; !ok && !containsInt(sizes, r.Size) {
			sizes = append(sizes, r.Size)
		}
		by[r.Mode][r.Size] = r.result
	}
	if err := sc.Err(); err != nil {
		return err
	}
	sort.Ints(sizes)
	if len(sizes) == 0 {
		return fmt.Errorf("%s: no results", *in)
	}
	head := "| mode |"
	rule := "|---|"
	for _, s := range sizes {
		head += fmt.Sprintf(" %s: req/s · p50 · p99 ms |", count(s))
		rule += "---:|"
	}
	for _, s := range sizes[1:] {
		head += fmt.Sprintf(" p50, p99 at %s / %s |", count(s), count(sizes[0]))
		rule += "---|"
	}
	fmt.Fprintln(stdout, head)
	fmt.Fprintln(stdout, rule)
	for _, m := range modes {
		line := "| " + m + " |"
		for _, s := range sizes {
			r, ok := by[m][s]
			if !ok {
				line += " — |"
				continue
			}
			errs := ""
			if r.Errors > 0 {
				errs = fmt.Sprintf(" (%d errors)", r.Errors)
			}
			line += fmt.Sprintf(" %.0f · %.2f · %.2f%s |", r.RPS, r.P50ms, r.P99ms, errs)
		}
		base, ok := by[m][sizes[0]]
		for _, s := range sizes[1:] {
			r, ok2 := by[m][s]
			if !ok || !ok2 || base.P50ms == 0 || base.P99ms == 0 {
				line += " — |"
				continue
			}
			p50, p99 := r.P50ms/base.P50ms, r.P99ms/base.P99ms
			mark := ""
			if p50 > *target || p99 > *target {
				mark = " ✗"
			}
			line += fmt.Sprintf(" %.2f, %.2f%s |", p50, p99, mark)
		}
		fmt.Fprintln(stdout, line)
	}
	fmt.Fprintf(stdout, "\n✗: above %.1f× the latency at %s subjects.\n", *target, count(sizes[0]))
	return nil
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// count writes n as 200k or 5M.
func count(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}
