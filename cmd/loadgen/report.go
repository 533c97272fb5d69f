package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// pgbenchLog turns pgbench's per-transaction logs (--log) into a result:
// requests/s as pgbench reported it, p50 and p99 from the logged latencies.
func pgbenchLog(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("pgbench-log", flag.ContinueOnError)
	mode := fs.String("mode", "pgbench", "label of the result")
	clients := fs.Int("clients", 0, "clients of the run")
	tps := fs.Float64("tps", 0, "tps pgbench reported (0: logged transactions / -duration)")
	failed := fs.Int64("failed", 0, "failed transactions pgbench reported")
	duration := fs.Duration("duration", 0, "the run's -T")
	note := fs.String("note", "", "a remark on the run")
	cpuFile := fs.String("cpu", "", "output of loadgen watch over the run, to report CPU per transaction")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var h hist
	var failedLogged int64
	for _, path := range fs.Args() {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 3 {
				continue
			}
			us, err := strconv.ParseInt(fields[2], 10, 64)
			if err != nil { // "failed" or "skipped"
				failedLogged++
				continue
			}
			h.record(time.Duration(us) * time.Microsecond)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return err
		}
	}
	res := result{Mode: *mode, Clients: *clients, Seconds: duration.Seconds(), Requests: int64(h.n),
		RPS: *tps, P50ms: ms(h.quantile(0.5)), P99ms: ms(h.quantile(0.99)), MaxMs: ms(h.max),
		Errors: max(*failed, failedLogged), Note: *note}
	if res.RPS == 0 && *duration > 0 {
		res.RPS = float64(h.n) / duration.Seconds()
	}
	if *cpuFile != "" {
		var w watched
		if b, err := os.ReadFile(*cpuFile); err == nil && json.Unmarshal(b, &w) == nil {
			res.CPU = w.perRequest(res.RPS * w.Seconds)
		}
	}
	b, _ := json.Marshal(res)
	fmt.Fprintln(stdout, string(b))
	fmt.Fprintln(os.Stderr, res.line())
	return nil
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

var (
	ratioRe = regexp.MustCompile(`^([\w-]+)/([\w-]+)@(\d+)(?:>=([\d.]+))?$`)
	p99Re   = regexp.MustCompile(`^([\w-]+)@(\d+)<=?([\d.]+)ms$`)
	cpuRe   = regexp.MustCompile(`^([\w-]+)@(\d+)<=?([\d.]+)us$`)
)

// report prints the results of a run as a Markdown table, then each
// target: a ratio of two modes' requests/s at some clients, or a p99 bound.
func report(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	in := fs.String("in", "", "results, one JSON object a line")
	var ratios, p99s, p50s, cpus multiFlag
	fs.Var(&ratios, "ratio", "target NUM/DEN@CLIENTS>=R, e.g. credit/typename@32>=0.8, or NUM/DEN@CLIENTS for information (repeatable)")
	fs.Var(&p99s, "p99", "target MODE@CLIENTS<=Nms, e.g. credit@32<=15ms (repeatable)")
	fs.Var(&p50s, "p50", "target MODE@CLIENTS<=Nms, e.g. bank@8<=1ms (repeatable)")
	fs.Var(&cpus, "cpu", "target on the server's CPU per request, MODE@CLIENTS<=Nus, e.g. bank-nocache@32<=250us (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	var results []result
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || !strings.HasPrefix(line, "{") {
			continue
		}
		var r result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return fmt.Errorf("%s: %w", *in, err)
		}
		results = append(results, r)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	find := func(mode string, clients int) (result, bool) {
		for _, r := range results {
			if r.Mode == mode && r.Clients == clients {
				return r, true
			}
		}
		return result{}, false
	}

	fmt.Fprintln(stdout, "| mode | clients | requests/s | without others¹ | p50 ms | p99 ms | errors | CPU µs per request = machine (busy) |")
	fmt.Fprintln(stdout, "|---|---:|---:|---:|---:|---:|---:|---|")
	disturbed := 0
	for _, r := range results {
		errs := fmt.Sprintf("%d", r.Errors)
		if r.Requests > 0 {
			errs = fmt.Sprintf("%d / %d", r.Errors, r.Requests)
		}
		cpu := ""
		if r.CPU != nil {
			var parts []string
			for _, k := range sortedKeys(r.CPU.Procs) {
				parts = append(parts, fmt.Sprintf("%s %.0f", k, r.CPU.Procs[k]))
			}
			if r.CPU.Generator > 0 {
				parts = append(parts, fmt.Sprintf("loadgen %.0f", r.CPU.Generator))
			}
			parts = append(parts, fmt.Sprintf("softirq %.0f", r.CPU.SoftIRQ), fmt.Sprintf("others %.0f", r.CPU.Others))
			cpu = fmt.Sprintf("%s = %.0f (%.0f %%)", strings.Join(parts, " · "), r.CPU.Machine, r.CPU.Busy)
			if r.CPU.Machine > 0 && r.CPU.Others > 0.15*r.CPU.Machine {
				cpu += " ⚠ others"
				disturbed++
			}
		}
		if r.Note != "" {
			cpu = strings.TrimSpace(cpu + " " + r.Note)
		}
		fmt.Fprintf(stdout, "| %s | %d | %.0f | %.0f | %.2f | %.2f | %s | %s |\n", r.Mode, r.Clients, r.RPS, r.adjustedRPS(), r.P50ms, r.P99ms, errs, cpu)
	}
	fmt.Fprintln(stdout)
	fmt.Fprintln(stdout, "¹ requests/s × machine CPU / (machine CPU − others' CPU): the rate had nothing else run; an estimate, valid when the machine was saturated.")
	fmt.Fprintln(stdout)
	if disturbed > 0 {
		fmt.Fprintf(stdout, "⚠ others: in %d runs, processes outside the benchmark used more than 15 %% of the CPU; their figures are low.\n\n", disturbed)
	}
	for _, t := range ratios {
		m := ratioRe.FindStringSubmatch(t)
		if m == nil {
			return fmt.Errorf("-ratio %q: want NUM/DEN@CLIENTS>=R", t)
		}
		clients, _ := strconv.Atoi(m[3])
		num, ok1 := find(m[1], clients)
		den, ok2 := find(m[2], clients)
		if !ok1 || !ok2 || den.RPS == 0 {
			fmt.Fprintf(stdout, "- %s / %s at %d clients: not measured\n", m[1], m[2], clients)
			continue
		}
		got := num.RPS / den.RPS
		adj := fmt.Sprintf("; without others %.0f / %.0f = %.2f", num.adjustedRPS(), den.adjustedRPS(), num.adjustedRPS()/den.adjustedRPS())
		if m[4] == "" {
			fmt.Fprintf(stdout, "- %s / %s at %d clients: %.0f / %.0f = %.2f%s (for information)\n",
				m[1], m[2], clients, num.RPS, den.RPS, got, adj)
			continue
		}
		want, _ := strconv.ParseFloat(m[4], 64)
		fmt.Fprintf(stdout, "- %s / %s at %d clients: %.0f / %.0f = **%.2f** (target ≥ %.2f): %s%s\n",
			m[1], m[2], clients, num.RPS, den.RPS, got, want, verdict(got >= want), adj)
	}
	for _, q := range []struct {
		name    string
		targets multiFlag
		value   func(result) float64
	}{{"p50", p50s, func(r result) float64 { return r.P50ms }}, {"p99", p99s, func(r result) float64 { return r.P99ms }}} {
		for _, t := range q.targets {
			m := p99Re.FindStringSubmatch(t)
			if m == nil {
				return fmt.Errorf("-%s %q: want MODE@CLIENTS<=Nms", q.name, t)
			}
			clients, _ := strconv.Atoi(m[2])
			bound, _ := strconv.ParseFloat(m[3], 64)
			r, ok := find(m[1], clients)
			if !ok {
				fmt.Fprintf(stdout, "- %s of %s at %d clients: not measured\n", q.name, m[1], clients)
				continue
			}
			fmt.Fprintf(stdout, "- %s of %s at %d clients: **%.2f ms** (target ≤ %g ms): %s\n",
				q.name, m[1], clients, q.value(r), bound, verdict(q.value(r) <= bound))
		}
	}
	for _, t := range cpus {
		m := cpuRe.FindStringSubmatch(t)
		if m == nil {
			return fmt.Errorf("-cpu %q: want MODE@CLIENTS<=Nus", t)
		}
		clients, _ := strconv.Atoi(m[2])
		bound, _ := strconv.ParseFloat(m[3], 64)
		r, ok := find(m[1], clients)
		if !ok || r.CPU == nil || r.CPU.Procs["server"] == 0 {
			fmt.Fprintf(stdout, "- server CPU per request of %s at %d clients: not measured\n", m[1], clients)
			continue
		}
		got := r.CPU.Procs["server"]
		fmt.Fprintf(stdout, "- server CPU per request of %s at %d clients: **%.0f µs** (target ≤ %g µs; PostgreSQL %.0f µs): %s\n",
			m[1], clients, got, bound, r.CPU.Procs["postgres"], verdict(got <= bound))
	}
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// sortedKeys orders CPU columns server, redis, postgres, then the rest.
func sortedKeys(m map[string]float64) []string {
	order := []string{"server", "redis", "postgres"}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := slices.Index(order, keys[i]), slices.Index(order, keys[j])
		if a < 0 {
			a = len(order)
		}
		if b < 0 {
			b = len(order)
		}
		if a != b {
			return a < b
		}
		return keys[i] < keys[j]
	})
	return keys
}
