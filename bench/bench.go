package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/itsubaki/q"

	"born/circuit"
	"born/statevector"
)

// Circuits lists the circuit names Run knows, in report order.
var Circuits = []string{"1q", "2q", "h", "random", "qft", "qcbm"}

// Config says what to measure.
type Config struct {
	Qubits     []int                   // state sizes (qcbm always has 9 qubits)
	Precisions []statevector.Precision // default: single and double
	Circuits   []string                // default: all of Circuits
	Fuse       int                     // fusion limit; < 0: statevector.DefaultFuse
	Threads    int                     // workers per state; 0: GOMAXPROCS above the threshold
	Cycles     int                     // cycles of the random circuit; 0: 20
	MaxMemory  uint64                  // largest state allowed; 0: statevector.MaxMemory
	MinTime    time.Duration           // time each measurement at least this long; 0: 300ms
	// Baseline runs the circuits on itsubaki/q too, for states of at most
	// BaselineMaxQubits qubits (0: 22); it is slow beyond.
	Baseline          bool
	BaselineMaxQubits int
	// BandwidthQubits sizes the bandwidth probe's buffer, 8*2^n bytes
	// (0: 26, 512 MiB); negative skips the probe.
	BandwidthQubits int
	Seed            uint64
	// Progress, if set, is called with each result as it is measured.
	Progress func(Result)
}

// Result is one measurement.
type Result struct {
	Circuit   string `json:"circuit"`
	Qubits    int    `json:"qubits"`
	Precision string `json:"precision"`
	Fuse      int    `json:"fuse"`
	Threads   int    `json:"threads"`
	Gates     int    `json:"gates"`  // lowered gates in the circuit
	Ops       int    `json:"ops"`    // fused blocks applied
	Passes    int    `json:"passes"` // passes over the state (cache-blocked stages count once)
	Runs      int    `json:"runs"`   // timed runs; Seconds is the best
	// Seconds is the best time of one run of the circuit.
	Seconds float64 `json:"seconds"`
	// NsPerAmpGate is Seconds per amplitude per (lowered) gate, in ns.
	NsPerAmpGate float64 `json:"ns_per_amp_gate"`
	// GBps is the memory traffic, a read and a write of the state per
	// pass, per second (in 1e9 bytes); BandwidthFraction divides it by the
	// measured stream bandwidth.
	GBps              float64 `json:"gb_per_s"`
	BandwidthFraction float64 `json:"bandwidth_fraction,omitempty"`
	// Baseline is the same circuit on itsubaki/q.
	Baseline *Baseline `json:"baseline,omitempty"`
	// Gradient, for qcbm: the 2P+1 runs of one parameter-shift gradient,
	// spread over the threads (parallelism across circuits).
	Gradient *Gradient `json:"gradient,omitempty"`
	Error    string    `json:"error,omitempty"`
}

// Baseline is a run on another simulator.
type Baseline struct {
	Name         string  `json:"name"`
	Seconds      float64 `json:"seconds"`
	NsPerAmpGate float64 `json:"ns_per_amp_gate"`
	// Speedup is Baseline.Seconds / Result.Seconds.
	Speedup float64 `json:"speedup"`
}

// Gradient times the circuit runs of one parameter-shift gradient.
type Gradient struct {
	Runs    int     `json:"runs"`
	Seconds float64 `json:"seconds"`
	Workers int     `json:"workers"`
}

// Report is the outcome of Run.
type Report struct {
	GoVersion  string `json:"go_version"`
	GOOS       string `json:"goos"`
	GOARCH     string `json:"goarch"`
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Kernels    string `json:"kernels"`
	// BandwidthGBps is the measured in-place read+write stream bandwidth.
	BandwidthGBps float64  `json:"bandwidth_gb_per_s,omitempty"`
	Results       []Result `json:"results"`
}

// Run measures every circuit at every size and precision of cfg.
func Run(cfg Config) (*Report, error) {
	if len(cfg.Precisions) == 0 {
		cfg.Precisions = []statevector.Precision{statevector.Single, statevector.Double}
	}
	if len(cfg.Circuits) == 0 {
		cfg.Circuits = Circuits
	}
	for _, name := range cfg.Circuits {
		if !slices.Contains(Circuits, name) {
			return nil, fmt.Errorf("unknown circuit %q (known: %s)", name, strings.Join(Circuits, ", "))
		}
	}
	if cfg.Cycles <= 0 {
		cfg.Cycles = 20
	}
	if cfg.MaxMemory == 0 {
		cfg.MaxMemory = statevector.MaxMemory
	}
	if cfg.MinTime <= 0 {
		cfg.MinTime = 300 * time.Millisecond
	}
	if cfg.BaselineMaxQubits == 0 {
		cfg.BaselineMaxQubits = 22
	}
	if cfg.BandwidthQubits == 0 {
		cfg.BandwidthQubits = 26
	}
	rep := &Report{GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Kernels: statevector.KernelSet()}
	if cfg.BandwidthQubits > 0 {
		bq := cfg.BandwidthQubits
		for bq > 10 && statevector.Single.Bytes(bq) > cfg.MaxMemory {
			bq--
		}
		bw, err := Bandwidth(bq, cfg.Threads, 10)
		if err != nil {
			return nil, err
		}
		rep.BandwidthGBps = bw / 1e9
	}
	for _, name := range cfg.Circuits {
		sizes := cfg.Qubits
		if name == "qcbm" {
			sizes = []int{9}
		}
		for _, n := range sizes {
			for _, prec := range cfg.Precisions {
				r := measure(cfg, rep, name, n, prec)
				rep.Results = append(rep.Results, r)
				if cfg.Progress != nil {
					cfg.Progress(r)
				}
			}
		}
	}
	return rep, nil
}

// build returns circuit name on n qubits, the symbol values to run it with,
// and the fusion limit to use.
func build(cfg Config, name string, n int, prec statevector.Precision) (*circuit.Circuit, []float64, int) {
	fuse := cfg.Fuse
	if fuse < 0 {
		fuse = statevector.DefaultFuse(prec)
	}
	switch name {
	case "1q":
		return Layer1Q(n, cfg.Seed), nil, 0
	case "2q":
		return Layer2Q(n, cfg.Seed), nil, 0
	case "h":
		return HLayer(n), nil, fuse
	case "random":
		return Random(n, cfg.Cycles, cfg.Seed), nil, fuse
	case "qft":
		return QFT(n), nil, fuse
	default: // qcbm
		c := QCBM(n, 10, BAS33Pairs)
		rng := rand.New(rand.NewPCG(cfg.Seed, 3))
		vals := make([]float64, len(c.Symbols))
		for i := range vals {
			vals[i] = rng.Float64() * 2 * math.Pi
		}
		return c, vals, fuse
	}
}

func measure(cfg Config, rep *Report, name string, n int, prec statevector.Precision) Result {
	c, vals, fuse := build(cfg, name, n, prec)
	r := Result{Circuit: name, Qubits: n, Precision: prec.String(), Fuse: fuse, Threads: cfg.Threads}
	if err := prec.CheckMemory(n, cfg.MaxMemory); err != nil {
		r.Error = err.Error() + " (raise --max-memory to allow it)"
		return r
	}
	l, err := c.Lower()
	if err != nil {
		r.Error = err.Error()
		return r
	}
	p, err := statevector.Compile(l, fuse)
	if err == nil {
		err = p.Bind(vals)
	}
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.Gates, r.Ops = p.NumGates(), p.NumOps()
	stages := p.Passes(prec)
	st, err := newState(n, prec, cfg.MaxMemory)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	st.SetWorkers(cfg.Threads)
	best, runs, err := timeIt(func() error { return st.Run(p) }, cfg.MinTime)
	st = nil // let the state go
	runtime.GC()
	if err != nil {
		r.Error = err.Error()
		return r
	}
	amps := math.Ldexp(1, n)
	r.Passes, r.Runs, r.Seconds = stages, runs, best
	if r.Gates > 0 {
		r.NsPerAmpGate = best * 1e9 / amps / float64(r.Gates)
	}
	r.GBps = 2 * float64(prec.Bytes(n)) * float64(stages) / best / 1e9
	if rep.BandwidthGBps > 0 {
		r.BandwidthFraction = r.GBps / rep.BandwidthGBps
	}
	if name == "qcbm" {
		r.Gradient = gradient(cfg, p, vals, prec)
	}
	if cfg.Baseline && n <= cfg.BaselineMaxQubits {
		if s, err := timeItsubaki(c, vals, cfg.MinTime); err == nil {
			r.Baseline = &Baseline{Name: "itsubaki/q v0.0.11", Seconds: s,
				NsPerAmpGate: s * 1e9 / amps / float64(max(1, r.Gates)), Speedup: s / best}
		} else {
			r.Baseline = &Baseline{Name: "itsubaki/q v0.0.11 (" + err.Error() + ")"}
		}
	}
	return r
}

// runner is a state of either precision that runs programs.
type runner interface {
	SetWorkers(int)
	Run(*statevector.Program) error
}

// newState returns the n-qubit |0...0> in precision prec, within limit
// bytes.
func newState(n int, prec statevector.Precision, limit uint64) (runner, error) {
	if prec == statevector.Single {
		return statevector.NewVectorWithin[float32](n, limit)
	}
	return statevector.NewVectorWithin[float64](n, limit)
}

// timeIt runs f once to warm up, then until minTime has passed (at least
// twice), and returns the best time of one run: on a shared machine the
// minimum is the least disturbed.
func timeIt(f func() error, minTime time.Duration) (best float64, runs int, err error) {
	if err := f(); err != nil {
		return 0, 0, err
	}
	best = math.Inf(1)
	start := time.Now()
	for runs < 2 || time.Since(start) < minTime {
		t0 := time.Now()
		if err := f(); err != nil {
			return 0, runs, err
		}
		best = min(best, time.Since(t0).Seconds())
		runs++
		if runs >= 1000 {
			break
		}
	}
	return best, runs, nil
}

// timeItsubaki times c on itsubaki/q (state allocation excluded).
func timeItsubaki(c *circuit.Circuit, vals []float64, minTime time.Duration) (float64, error) {
	best := math.Inf(1)
	start := time.Now()
	for runs := 0; runs < 1 || (runs < 3 && time.Since(start) < minTime); runs++ {
		sim := q.New()
		reg := sim.Zeros(c.NumQubits)
		t0 := time.Now()
		if err := ItsubakiApply(sim, reg, c, vals); err != nil {
			return 0, err
		}
		best = min(best, time.Since(t0).Seconds())
	}
	return best, nil
}

// gradient times the 2P+1 runs of a parameter-shift gradient, spread over
// the threads (each run serial).
func gradient(cfg Config, p *statevector.Program, vals []float64, prec statevector.Precision) *Gradient {
	var shifted [][]float64
	shifted = append(shifted, vals)
	for k := range vals {
		for _, s := range []float64{math.Pi / 2, -math.Pi / 2} {
			v := slices.Clone(vals)
			v[k] += s
			shifted = append(shifted, v)
		}
	}
	workers := cfg.Threads
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	sink := make([]float64, len(shifted))
	run := func() error {
		if prec == statevector.Single {
			return statevector.RunMany(p, shifted, workers, func(i int, s *statevector.State32) { sink[i] = real(s.Amplitude(0)) })
		}
		return statevector.RunMany(p, shifted, workers, func(i int, s *statevector.State) { sink[i] = real(s.Amplitude(0)) })
	}
	best, _, err := timeIt(run, cfg.MinTime)
	if err != nil {
		return nil
	}
	return &Gradient{Runs: len(shifted), Seconds: best, Workers: workers}
}

// WriteJSON writes the report as indented JSON.
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// WriteText writes the report as a table.
func (rep *Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "born bench: %s %s/%s, %d CPUs, GOMAXPROCS %d, kernels %s\n",
		rep.GoVersion, rep.GOOS, rep.GOARCH, rep.CPUs, rep.GOMAXPROCS, rep.Kernels)
	if rep.BandwidthGBps > 0 {
		fmt.Fprintf(w, "memory bandwidth (in-place read+write stream): %.1f GB/s\n", rep.BandwidthGBps)
	}
	fmt.Fprintln(w, "times are the best of several runs; ns/amp/gate counts lowered gates, GB/s a read and write of the state per pass")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "circuit\tqubits\tprecision\tfuse\tgates\tops\tpasses\ttime\tns/amp/gate\tGB/s\tof bw\titsubaki\tspeedup\t")
	for _, r := range rep.Results {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\t%d\t%s\t\t\t\t\t\t\t\t\t\t\t\n", r.Circuit, r.Qubits, r.Precision)
			continue
		}
		frac, base, speed := "", "-", "-"
		if r.BandwidthFraction > 0 {
			frac = fmt.Sprintf("%.0f%%", 100*r.BandwidthFraction)
		}
		if r.Baseline != nil && r.Baseline.Seconds > 0 {
			base = formatSeconds(r.Baseline.Seconds)
			speed = fmt.Sprintf("%.1fx", r.Baseline.Speedup)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%d\t%d\t%s\t%.3f\t%.1f\t%s\t%s\t%s\t\n",
			r.Circuit, r.Qubits, r.Precision, r.Fuse, r.Gates, r.Ops, r.Passes, formatSeconds(r.Seconds),
			r.NsPerAmpGate, r.GBps, frac, base, speed)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range rep.Results {
		if r.Error != "" {
			fmt.Fprintf(w, "%s, %d qubits, %s: %s\n", r.Circuit, r.Qubits, r.Precision, r.Error)
		}
		if r.Gradient != nil {
			fmt.Fprintf(w, "%s %s: one parameter-shift gradient (%d runs on %d workers) in %s\n",
				r.Circuit, r.Precision, r.Gradient.Runs, r.Gradient.Workers, formatSeconds(r.Gradient.Seconds))
		}
	}
	return nil
}

func formatSeconds(s float64) string {
	switch {
	case s >= 1:
		return fmt.Sprintf("%.2f s", s)
	case s >= 1e-3:
		return fmt.Sprintf("%.2f ms", s*1e3)
	default:
		return fmt.Sprintf("%.1f us", s*1e6)
	}
}

// ParseQubits parses a list like "16,20,24" or "20-24".
func ParseQubits(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		var a, b int
		if _, err := fmt.Sscanf(part, "%d-%d", &a, &b); err == nil && strings.Contains(part, "-") {
			if a > b {
				return nil, fmt.Errorf("bad qubit range %q", part)
			}
			for n := a; n <= b; n++ {
				out = append(out, n)
			}
			continue
		}
		if _, err := fmt.Sscanf(part, "%d", &a); err != nil || fmt.Sprint(a) != part {
			return nil, fmt.Errorf("bad qubit count %q", part)
		}
		out = append(out, a)
	}
	for _, n := range out {
		if n < 1 || n > statevector.MaxQubits {
			return nil, fmt.Errorf("qubit count %d out of range [1, %d]", n, statevector.MaxQubits)
		}
	}
	sort.Ints(out)
	return slices.Compact(out), nil
}
