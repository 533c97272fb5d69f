package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CPU accounting for the measured window, from /proc: how much CPU the
// generator itself, the server, Redis and PostgreSQL used per request, so
// that a result says where the two cores went, not only how fast it was.

// clockTick is USER_HZ, the unit of /proc/*/stat times (100 on Linux).
const clockTick = 100

// procSet names a group of processes: one pid, or every process whose
// command name is comm and, if arg is set, whose command line holds arg
// (PostgreSQL backends of one database: postgres/credithub_bench).
type procSet struct {
	name      string
	pid       int
	comm, arg string
}

func (ps procSet) matches(pid int, comm string) bool {
	if ps.pid > 0 || ps.comm != comm {
		return ps.pid > 0 && ps.pid == pid
	}
	if ps.arg == "" {
		return true
	}
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	return strings.Contains(string(b), ps.arg)
}

// parseProcs reads "server=1234,redis=redis-server,postgres=postgres/credithub_bench".
func parseProcs(s string) ([]procSet, error) {
	var out []procSet
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	for _, part := range strings.Split(s, ",") {
		name, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || name == "" || v == "" {
			return nil, fmt.Errorf("-procs: %q is not NAME=PID or NAME=COMMAND[/ARGUMENT]", part)
		}
		if pid, err := strconv.Atoi(v); err == nil {
			out = append(out, procSet{name: name, pid: pid})
		} else {
			comm, arg, _ := strings.Cut(v, "/")
			out = append(out, procSet{name: name, comm: comm, arg: arg})
		}
	}
	return out, nil
}

// cpuSnapshot is the CPU time used so far by each process set, by the
// other processes (by command name), the generator, and the machine.
type cpuSnapshot struct {
	at       time.Time
	sets     []time.Duration
	others   map[int]procSample
	self     time.Duration
	busy     time.Duration // all CPUs, not idle
	softirq  time.Duration // all CPUs: packets, mostly loopback TCP here
	allTicks time.Duration // all CPUs, everything
}

type procSample struct {
	comm string
	t    time.Duration
}

func takeCPU(sets []procSet) cpuSnapshot {
	s := cpuSnapshot{at: time.Now(), sets: make([]time.Duration, len(sets)), others: map[int]procSample{}}
	self := os.Getpid()
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, _ := strconv.Atoi(filepath.Base(d))
		if pid == self {
			continue
		}
		comm, t := procStat(pid)
		set := -1
		for i, ps := range sets {
			if ps.matches(pid, comm) {
				set = i
				break
			}
		}
		if set >= 0 {
			s.sets[set] += t
		} else if t > 0 {
			s.others[pid] = procSample{comm, t}
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		f := strings.Fields(line)
		for i := 1; i < len(f); i++ {
			n, _ := strconv.ParseInt(f[i], 10, 64)
			d := time.Duration(n) * time.Second / clockTick
			s.allTicks += d
			if i != 4 && i != 5 { // idle, iowait
				s.busy += d
			}
			if i == 7 {
				s.softirq = d
			}
		}
	}
	return s
}

// procStat returns the command name and utime+stime of pid (0 if it is gone).
func procStat(pid int) (string, time.Duration) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", 0
	}
	// The command name is in parentheses and may hold spaces: fields
	// count from the last ')'.
	s := string(b)
	lp, rp := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if lp < 0 || rp < lp {
		return "", 0
	}
	f := strings.Fields(s[rp+1:])
	if len(f) < 13 {
		return "", 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return s[lp+1 : rp], time.Duration(ut+st) * time.Second / clockTick
}

// cpuUse is what a window cost, in microseconds of CPU per request.
type cpuUse struct {
	Generator float64            `json:"generator_us"`
	Procs     map[string]float64 `json:"procs_us,omitempty"`
	SoftIRQ   float64            `json:"softirq_us"` // network packets (loopback TCP)
	Others    float64            `json:"others_us"`  // every other process
	TopOthers string             `json:"top_others,omitempty"`
	Machine   float64            `json:"machine_us"`
	Busy      float64            `json:"busy_pct"` // of all CPUs, over the window
}

func cpuBetween(sets []procSet, a, b cpuSnapshot, requests int64) cpuUse {
	if requests < 1 {
		requests = 1
	}
	per := func(d time.Duration) float64 {
		// A process that exited during the window takes its time with it
		// (pgbench's backends); never report less than nothing.
		return float64(max(d, 0).Microseconds()) / float64(requests)
	}
	u := cpuUse{Generator: per(b.self - a.self), Machine: per(b.busy - a.busy), SoftIRQ: per(b.softirq - a.softirq)}
	byComm := map[string]time.Duration{}
	var others time.Duration
	for pid, after := range b.others {
		d := after.t - a.others[pid].t // a process born in the window counts whole
		if d > 0 {
			byComm[after.comm] += d
			others += d
		}
	}
	u.Others = per(others)
	comms := make([]string, 0, len(byComm))
	for c := range byComm {
		comms = append(comms, c)
	}
	sort.Slice(comms, func(i, j int) bool { return byComm[comms[i]] > byComm[comms[j]] })
	var top []string
	for _, c := range comms[:min(3, len(comms))] {
		top = append(top, fmt.Sprintf("%s %.0f", c, per(byComm[c])))
	}
	u.TopOthers = strings.Join(top, ", ")
	if total := b.allTicks - a.allTicks; total > 0 {
		u.Busy = 100 * float64(b.busy-a.busy) / float64(total)
	}
	if len(sets) > 0 {
		u.Procs = map[string]float64{}
		for i, ps := range sets {
			u.Procs[ps.name] = per(b.sets[i] - a.sets[i])
		}
	}
	return u
}

// waitIdle waits until the machine has been less than below % busy for one
// second (other work on a shared machine: builds, tests), for at most max.
// It prints how long it waited and whether the machine became quiet.
func waitIdle(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("idle", flag.ContinueOnError)
	below := fs.Float64("below", 20, "busy percentage of all CPUs that counts as idle")
	limit := fs.Duration("max", 30*time.Second, "give up waiting after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	for {
		a := takeCPU(nil)
		time.Sleep(time.Second)
		b := takeCPU(nil)
		busy := 100 * float64(b.busy-a.busy) / float64(max(b.allTicks-a.allTicks, 1))
		if busy < *below {
			if waited := time.Since(start); waited > 2*time.Second {
				fmt.Fprintf(stdout, "waited %s for the machine to be idle (%.0f %% busy)\n", waited.Round(time.Second), busy)
			}
			return nil
		}
		if time.Since(start) >= *limit {
			fmt.Fprintf(stdout, "the machine is still %.0f %% busy after %s; measuring anyway\n", busy, limit)
			return nil
		}
	}
}

// watched is what watch prints: the CPU used during a window, in
// microseconds in all (not per request), for pgbench-log to divide.
type watched struct {
	Seconds float64 `json:"seconds"`
	CPU     cpuUse  `json:"cpu"`
}

// watch measures the CPU of a run it does not drive (pgbench): it waits
// -delay, then reports what the processes used during the next -for.
func watch(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	delay := fs.Duration("delay", time.Second, "wait this long first (connections being made)")
	window := fs.Duration("for", 10*time.Second, "measure this long")
	procs := fs.String("procs", "", "as for a run: NAME=PID or NAME=COMMAND[/ARGUMENT], comma-separated")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sets, err := parseProcs(*procs)
	if err != nil {
		return err
	}
	time.Sleep(*delay)
	a := takeCPU(sets)
	time.Sleep(*window)
	b := takeCPU(sets)
	w := watched{Seconds: b.at.Sub(a.at).Seconds(), CPU: cpuBetween(sets, a, b, 1)}
	w.CPU.Generator = 0 // the watcher only sleeps
	out, _ := json.Marshal(w)
	fmt.Fprintln(stdout, string(out))
	return nil
}

// scaled divides a watched window's CPU by the requests made in it.
func (w watched) perRequest(requests float64) *cpuUse {
	if requests <= 0 {
		return nil
	}
	u := w.CPU
	u.Machine /= requests
	u.SoftIRQ /= requests
	u.Others /= requests
	u.TopOthers = ""
	procs := map[string]float64{}
	for k, v := range u.Procs {
		procs[k] = v / requests
	}
	u.Procs = procs
	return &u
}
