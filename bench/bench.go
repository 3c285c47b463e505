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
	"born/internal/race"
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
	// BandwidthQubits sizes the bandwidth probe's buffers, 8*2^n bytes in
	// all (0: 26, 512 MiB); negative skips the probe.
	BandwidthQubits int
	// QsimPath, if set, is qsim's qsim_base app: the random circuit runs
	// on it too, in its circuit format, with the same threads, for each
	// fusion size in QsimFuse (default 2, 3, 4), keeping its best time.
	QsimPath string
	QsimFuse []int
	Seed     uint64
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
	// measured copy-stream bandwidth, for states of 64 MiB and more (beyond
	// the caches).
	GBps              float64 `json:"gb_per_s"`
	BandwidthFraction float64 `json:"bandwidth_fraction,omitempty"`
	// MemoryNeeded, when not 0, is the bytes the state vector needs: more
	// than Config.MaxMemory, so it was not made.
	MemoryNeeded uint64 `json:"memory_needed,omitempty"`
	// Baseline is the same circuit on itsubaki/q.
	Baseline *Baseline `json:"baseline,omitempty"`
	// Qsim is the same circuit on qsim (random circuit, with QsimPath).
	Qsim *Qsim `json:"qsim,omitempty"`
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
	// Unlike says how the baseline's run is not like-for-like with
	// born's, if it is not (empty: the same gates in the same precision).
	Unlike string `json:"unlike,omitempty"`
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
	// Kernels is the kernel set in use (avx512, avx2 or portable), of
	// KernelsAvailable on this build and CPU; Fast says whether it is an
	// assembly set, and Build explains the choice.
	Kernels          string   `json:"kernels"`
	KernelsAvailable []string `json:"kernels_available"`
	Fast             bool     `json:"fast"`
	Build            string   `json:"build"`
	// Race is set when the binary was built with the race detector
	// (times are then meaningless).
	Race bool `json:"race,omitempty"`
	// BandwidthGBps is the bandwidth of a plain copy stream (read+write).
	BandwidthGBps float64 `json:"bandwidth_gb_per_s,omitempty"`
	// QsimEnv is the environment qsim ran in, when it ran.
	QsimEnv string   `json:"qsim_env,omitempty"`
	Results []Result `json:"results"`
}

// buildNote says why the kernel set in use was chosen.
func buildNote(kernels string) string {
	switch {
	case kernels != "portable":
		return "assembly kernels for " + kernels + ", chosen from the CPU's features"
	case runtime.GOARCH != "amd64":
		return "portable Go kernels: there are no assembly kernels for " + runtime.GOARCH
	case len(statevector.AvailableKernels()) > 1:
		return "portable Go kernels, chosen by the caller (statevector.UseKernels) although the CPU runs faster ones"
	default:
		return "portable Go kernels: this CPU has neither AVX-512 nor AVX2 with FMA"
	}
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
	if len(cfg.QsimFuse) == 0 {
		cfg.QsimFuse = []int{2, 3, 4}
	}
	ks := statevector.KernelSet()
	rep := &Report{GoVersion: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH,
		CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Kernels: ks,
		KernelsAvailable: statevector.AvailableKernels(), Fast: ks != "portable", Build: buildNote(ks), Race: race.Enabled}
	if cfg.QsimPath != "" {
		rep.QsimEnv = QsimEnv()
	}
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
	qsimRuns := map[int]*Qsim{} // by qubits: qsim runs once per size
	for _, name := range cfg.Circuits {
		sizes := cfg.Qubits
		if name == "qcbm" {
			sizes = []int{9}
		}
		for _, n := range sizes {
			for _, prec := range cfg.Precisions {
				r := measure(cfg, rep, qsimRuns, name, n, prec)
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

func measure(cfg Config, rep *Report, qsimRuns map[int]*Qsim, name string, n int, prec statevector.Precision) Result {
	c, vals, fuse := build(cfg, name, n, prec)
	r := Result{Circuit: name, Qubits: n, Precision: prec.String(), Fuse: fuse, Threads: cfg.Threads}
	if err := prec.CheckMemory(n, cfg.MaxMemory); err != nil {
		r.Error, r.MemoryNeeded = err.Error(), prec.Bytes(n)
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
	if rep.BandwidthGBps > 0 && prec.Bytes(n) >= outOfCache {
		r.BandwidthFraction = r.GBps / rep.BandwidthGBps
	}
	if name == "qcbm" {
		r.Gradient = gradient(cfg, p, vals, prec)
	}
	if cfg.QsimPath != "" && name == "random" {
		q := qsimRuns[n]
		if q == nil {
			q = compareQsim(cfg, c, p, n, prec)
			qsimRuns[n] = q
		}
		qc := *q
		if qc.Error == "" && qc.Seconds > 0 {
			qc.Ratio = best / qc.Seconds
		}
		r.Qsim = &qc
	}
	if cfg.Baseline && n <= cfg.BaselineMaxQubits {
		if s, err := timeItsubaki(c, vals, cfg.MinTime); err == nil {
			r.Baseline = &Baseline{Name: "itsubaki/q v0.0.11", Seconds: s,
				NsPerAmpGate: s * 1e9 / amps / float64(max(1, r.Gates)), Speedup: s / best, Unlike: unlike(c, prec)}
		} else {
			r.Baseline = &Baseline{Name: "itsubaki/q v0.0.11 (" + err.Error() + ")"}
		}
	}
	return r
}

// unlike says how itsubaki/q's run of c differs from born's in precision
// prec: it computes in double precision only, and it has no call for a
// 2-qubit matrix, so each fSim runs as nine of its gates (see
// itsubakiFSim).
func unlike(c *circuit.Circuit, prec statevector.Precision) string {
	var why []string
	if prec == statevector.Single {
		why = append(why, "in double precision")
	}
	for _, op := range c.Ops {
		if op.Gate != nil && op.Gate.Name == "fsim" {
			why = append(why, "with each fSim as 9 gates")
			break
		}
	}
	return strings.Join(why, ", ")
}

// compareQsim runs the random circuit c on qsim with the threads born used
// and checks its first amplitudes against a fresh run of p on born.
func compareQsim(cfg Config, c *circuit.Circuit, p *statevector.Program, n int, prec statevector.Precision) *Qsim {
	st, err := newState(n, prec, cfg.MaxMemory)
	if err != nil {
		return &Qsim{Error: err.Error()}
	}
	st.SetWorkers(cfg.Threads)
	if err := st.Run(p); err != nil {
		return &Qsim{Error: err.Error()}
	}
	var first [8]complex128
	for i := range min(8, 1<<uint(n)) {
		first[i] = st.Amplitude(i)
	}
	st = nil
	runtime.GC()
	threads := cfg.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	q := runQsim(cfg.QsimPath, c, threads, cfg.QsimFuse, cfg.MinTime, func(i int) complex128 { return first[i] })
	q.Checked = prec.String()
	return q
}

// outOfCache is the smallest state whose traffic is compared with the
// memory bandwidth: smaller ones may live in a cache, and go faster.
const outOfCache = 64 << 20

// runner is a state of either precision that runs programs.
type runner interface {
	SetWorkers(int)
	Run(*statevector.Program) error
	Amplitude(int) complex128
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
	fmt.Fprintf(w, "born bench: %s %s/%s, %d CPUs, GOMAXPROCS %d\n",
		rep.GoVersion, rep.GOOS, rep.GOARCH, rep.CPUs, rep.GOMAXPROCS)
	fmt.Fprintf(w, "kernels: %s (%s; available: %s)\n", rep.Kernels, rep.Build, strings.Join(rep.KernelsAvailable, ", "))
	if rep.Race {
		fmt.Fprintln(w, "WARNING: built with the race detector: these times say nothing about born's speed")
	}
	if rep.BandwidthGBps > 0 {
		fmt.Fprintf(w, "memory bandwidth (plain copy stream, read+write): %.1f GB/s\n", rep.BandwidthGBps)
	}
	if rep.QsimEnv != "" {
		fmt.Fprintf(w, "qsim: qsim_base, single precision, same threads, best of its fusion sizes; %s\n", rep.QsimEnv)
	}
	fmt.Fprintln(w, "times are the best of several runs; ns/amp/gate counts lowered gates, GB/s a read and write of the state per pass")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "circuit\tqubits\tprecision\tfuse\tgates\tops\tpasses\ttime\tns/amp/gate\tGB/s\tof bw\titsubaki\tspeedup\tqsim\tborn/qsim\t")
	notes := map[string]string{} // footnote mark -> text
	var marks []string
	for _, r := range rep.Results {
		if r.Error != "" {
			fmt.Fprintf(tw, "%s\t%d\t%s\t\t\t\t\t\t\t\t\t\t\t\t\t\n", r.Circuit, r.Qubits, r.Precision)
			continue
		}
		frac, base, speed, qs, ratio := "", "-", "-", "-", "-"
		if r.BandwidthFraction > 0 {
			frac = fmt.Sprintf("%.0f%%", 100*r.BandwidthFraction)
		}
		if r.Baseline != nil && r.Baseline.Seconds > 0 {
			base = formatSeconds(r.Baseline.Seconds)
			speed = fmt.Sprintf("%.1fx", r.Baseline.Speedup)
			if u := r.Baseline.Unlike; u != "" {
				mark, ok := notes[u]
				if !ok {
					mark = strings.Repeat("*", len(notes)+1)
					notes[u] = mark
					marks = append(marks, u)
				}
				speed += mark
			}
		}
		if r.Qsim != nil {
			if r.Qsim.Error != "" {
				qs = "error"
			} else {
				qs = formatSeconds(r.Qsim.Seconds)
				ratio = fmt.Sprintf("%.2fx", r.Qsim.Ratio)
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%d\t%d\t%s\t%.3f\t%.1f\t%s\t%s\t%s\t%s\t%s\t\n",
			r.Circuit, r.Qubits, r.Precision, r.Fuse, r.Gates, r.Ops, r.Passes, formatSeconds(r.Seconds),
			r.NsPerAmpGate, r.GBps, frac, base, speed, qs, ratio)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, u := range marks {
		fmt.Fprintf(w, "%s not like-for-like: itsubaki/q ran it %s\n", notes[u], u)
	}
	said := map[int]bool{}
	for _, r := range rep.Results {
		if q := r.Qsim; q != nil && !said[r.Qubits] {
			said[r.Qubits] = true
			if q.Error != "" {
				fmt.Fprintf(w, "qsim, %d qubits: %s\n", r.Qubits, q.Error)
			} else {
				fmt.Fprintf(w, "qsim, %d qubits: best at -f %d, %d threads (%d runs); its first amplitudes agree with born's (%s) to %.1e\n",
					r.Qubits, q.Fuse, q.Threads, q.Runs, q.Checked, q.AmpDiff)
			}
		}
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
