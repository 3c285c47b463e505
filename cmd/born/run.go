package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"born/circuit"
	"born/mps"
	"born/qasm"
	"born/sim"
	"born/statevector"
)

type runOptions struct {
	in          io.Reader
	out, errOut io.Writer
	confine     bool // --confine-includes

	file       string
	output     string
	shots      int
	seed       uint64
	format     string
	engine     string
	bondDim    int
	cutoff     float64
	bitstrings []string
	precision  string
	maxMemory  string
	params     []string
	paramsFile string
	changed    func(flag string) bool
}

func newRunCmd(runF func(*runOptions) error) *cobra.Command {
	opts := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run FILE.qasm",
		Short: "Run an OpenQASM circuit and print counts, probabilities or amplitudes",
		Long: `Run an OpenQASM 2.0 or 3 circuit on the exact state-vector engine (--engine statevector,
or sv) or the matrix-product-state engine (--engine mps or mps:CHI, for many
qubits at bounded entanglement; it reports the bond dimension reached, the
weight its truncations discarded and the resulting fidelity estimate, flagged
as unreliable below 0.5, where it can be off by a factor of 5).

Without --print, a circuit that measures prints counts from --shots shots and
one that does not prints exact probabilities (or, with an explicit --shots,
counts of every qubit measured at the end). Only the qubits the program
touches are simulated: idle qubits stay |0>.

Bitstrings print most significant first: c[m-1]...c[0] per classical register
with registers in reverse declaration order separated by spaces (as Qiskit
does), and q[n-1]...q[0] for the qubits of declared registers. A program on
physical qubits ($50, $58, ...) lists the physical qubits it touches, highest
first, as the header and the JSON field bit_order say.
Use "-" as FILE to read the circuit from standard input. The input parameters
of an OpenQASM 3 file (input float[64] x; input angle y; input array[float[64],
N] theta;) must be bound with --param or --params; values may be constant
expressions such as pi/2.`,
		Example: `  born run bell.qasm
  born run ansatz.qasm --param x=pi/4 --param 'theta[0]=1.2' --params rest.json
  born run bell.qasm --print probs --format json
  born run teleport.qasm --shots 100000 --seed 7
  born run ghz1000.qasm --engine mps:16 --format json
  born run big.qasm --engine mps --print amps --bitstrings 0000,1111`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.in, opts.out, opts.errOut = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.file = args[0]
			opts.changed = cmd.Flags().Changed
			if runF != nil {
				return runF(opts)
			}
			return runRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.output, "print", "", "what to print: counts, probs or amps (default: counts if the circuit measures or --shots is given, probs otherwise)")
	f.IntVar(&opts.shots, "shots", 1024, "number of shots for counts (a circuit that measures nothing is sampled on every qubit)")
	f.Uint64Var(&opts.seed, "seed", 1, "random seed; the same seed gives the same counts")
	f.StringVar(&opts.format, "format", "text", "output format: text or json")
	f.StringVar(&opts.engine, "engine", "statevector", "simulator: statevector (or sv; exact), mps or mps:CHI (matrix product state)")
	f.IntVar(&opts.bondDim, "bond-dim", 128, "mps: largest bond dimension kept (chi; mps:CHI sets it too)")
	f.Float64Var(&opts.cutoff, "cutoff", mps.DefaultCutoff, "mps: drop singular values below this fraction of the largest")
	f.StringSliceVar(&opts.bitstrings, "bitstrings", nil, "with --print amps: only these basis states (bitstrings as printed, comma-separated)")
	f.StringVar(&opts.precision, "precision", "double", "sv: amplitude precision, double (complex128) or single (complex64, half the memory, faster)")
	f.StringVar(&opts.maxMemory, "max-memory", "", "sv: largest state to allocate, e.g. 20GiB (default: half the physical memory)")
	f.StringArrayVar(&opts.params, "param", nil, "bind an input parameter of an OpenQASM 3 file: --param name=value (repeatable)")
	f.BoolVar(&opts.confine, "confine-includes", false, confineHelp)
	f.StringVar(&opts.paramsFile, "params", "", "bind input parameters from a JSON file {\"name\": value, \"theta\": [v0, v1, ...]}")
	hiddenAliases(cmd, map[string]string{"output": "print"})
	return inFlagWords(cmd)
}

// confineHelp is the help of --confine-includes.
const confineHelp = "refuse includes of files outside the program's folder (for programs you do not trust)"

// readSource reads a file, or in for "-", of at most max bytes (0: the
// reader's limit for programs, qasm.DefaultMaxBytes), and returns the name
// to report it by. A file must be a regular file: a device or a pipe could
// be read without end.
func readSource(file string, in io.Reader, max int64) (name string, src []byte, err error) {
	if file == "-" {
		src, err = qasm.ReadLimited(in, "standard input", max)
		return "<stdin>", src, err
	}
	src, err = qasm.ReadSource(file, max)
	return file, src, err
}

// readCircuit reads and parses an OpenQASM file, or standard input for "-",
// with options qo (nil for the defaults).
func readCircuit(file string, in io.Reader, errOut io.Writer, qo *qasm.Options) (*circuit.Circuit, error) {
	name, src, err := readSource(file, in, 0)
	if err != nil {
		return nil, err
	}
	c, warnings, err := qasm.Parse(name, src, qo)
	for _, w := range warnings {
		fmt.Fprintln(errOut, w) // "file:line:col: warning: ..."
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// maxDenseQubits is the largest circuit whose full probability or
// amplitude vector born prints.
const maxDenseQubits = 30

// parseRunEngine reads --engine: statevector (or sv), mps, mps:CHI or
// mps:CHI:CUTOFF; CHI and CUTOFF set what --bond-dim and --cutoff do, and
// must agree with them when those are given too.
func parseRunEngine(opts *runOptions) (string, error) {
	switch opts.engine {
	case "sv", "statevector":
		return "sv", nil
	case "mps":
		return "mps", nil
	}
	rest, ok := strings.CutPrefix(opts.engine, "mps:")
	if !ok {
		return "", fmt.Errorf("--engine %q: use statevector (or sv), mps or mps:CHI", opts.engine)
	}
	chiText, cutText, hasCut := strings.Cut(rest, ":")
	chi, err := strconv.Atoi(chiText)
	if err != nil || chi < 1 {
		return "", fmt.Errorf("--engine %q: the bond dimension must be a whole number of at least 1, as in mps:32", opts.engine)
	}
	if opts.changed("bond-dim") && opts.bondDim != chi {
		return "", fmt.Errorf("--engine %s and --bond-dim %d disagree: give one", opts.engine, opts.bondDim)
	}
	opts.bondDim = chi
	if hasCut {
		cut, err := strconv.ParseFloat(cutText, 64)
		if err != nil {
			return "", fmt.Errorf("--engine %q: the cutoff must be a number, as in mps:32:1e-10", opts.engine)
		}
		if opts.changed("cutoff") && opts.cutoff != cut {
			return "", fmt.Errorf("--engine %s and --cutoff %g disagree: give one", opts.engine, opts.cutoff)
		}
		opts.cutoff = cut
	}
	return "mps", nil
}

func runRun(opts *runOptions) error {
	switch opts.format {
	case "text", "json":
	default:
		return fmt.Errorf("--format %q: use text or json", opts.format)
	}
	if opts.shots < 1 {
		return fmt.Errorf("--shots %d: need at least 1 shot", opts.shots)
	}
	engine, err := parseRunEngine(opts)
	if err != nil {
		return err
	}
	qo := &qasm.Options{ConfineIncludes: opts.confine}
	qo.MaxTouched, qo.MaxTouchedReason = runQubitLimit(opts, engine)
	c, err := readCircuit(opts.file, opts.in, opts.errOut, qo)
	if err != nil {
		return err
	}
	vals, err := parseParams(opts.params, opts.paramsFile)
	if err != nil {
		return err
	}
	if len(c.Symbols) > 0 || len(vals) > 0 {
		if c, err = c.BindMap(vals); err != nil {
			return fmt.Errorf("%w (bind parameters with --param name=value or --params FILE.json)", err)
		}
	}
	output := opts.output
	if output == "" {
		output = "probs"
		switch {
		case c.HasMeasure():
			output = "counts"
		case opts.changed("shots"):
			output = "counts"
			fmt.Fprintln(opts.errOut, "note: the circuit measures nothing; sampling every qubit as if measured at the end (--print probs gives exact probabilities)")
		}
	}
	switch output {
	case "counts", "probs", "amps":
	default:
		return fmt.Errorf("--print %q: use counts, probs or amps", output)
	}
	if len(opts.bitstrings) > 0 && output != "amps" {
		return fmt.Errorf("--bitstrings goes with --print amps")
	}
	// What cannot be done is refused before lowering, from the qubits the
	// program surely touches (a million-qubit register took 12 s and 586 MB
	// to lower before its refusal), and again once the count is exact.
	if err := checkRunSize(opts, engine, output, sim.TouchedAtLeast(c)); err != nil {
		return err
	}
	l, err := c.Lower()
	if err != nil {
		return err
	}
	// Simulate the qubits the program touches only: a program for hardware
	// names a few physical qubits of a large device.
	l, used := sim.CompactInPlace(l)
	lay := newQubitLayout(c, used)
	k := len(used)
	if err := checkRunSize(opts, engine, output, k); err != nil {
		return err
	}
	if k == 0 {
		// A program without qubits has a state of one amplitude (its
		// global phase): the state vector holds it, an MPS needs a site.
		engine = "sv"
	}
	switch engine {
	case "sv":
		prec, limit, err := svLimits(opts) // checkRunSize checked that k qubits fit
		if err != nil {
			return err
		}
		if prec == statevector.Single {
			amp := func(st *statevector.State32, x []bool) complex128 { return st.Amplitude(int(packBits(x))) }
			newState := func(n int) (*statevector.State32, error) { return statevector.NewVectorWithin[float32](n, limit) }
			return execute(opts, output, c, l, lay, newState, nil, amp)
		}
		amp := func(st *statevector.State, x []bool) complex128 { return st.Amplitude(int(packBits(x))) }
		newState := func(n int) (*statevector.State, error) { return statevector.NewVectorWithin[float64](n, limit) }
		return execute(opts, output, c, l, lay, newState, nil, amp)
	default: // mps
		mo := mps.Options{MaxBond: opts.bondDim, Cutoff: opts.cutoff}
		if opts.bondDim < 1 {
			return fmt.Errorf("--bond-dim %d: the bond dimension must be at least 1", opts.bondDim)
		}
		if opts.cutoff < 0 || math.IsNaN(opts.cutoff) {
			return fmt.Errorf("--cutoff %g: the cutoff must be a non-negative fraction", opts.cutoff)
		}
		if _, err := mps.New(k, mo); err != nil { // validates options and memory
			return err
		}
		newState := func(n int) (*mps.State, error) { return mps.New(n, mo) }
		acc := &mpsAccount{}
		amp := func(st *mps.State, x []bool) complex128 {
			b := mps.NewBits(len(x))
			for q, v := range x {
				if v {
					b.Set(q, 1)
				}
			}
			return st.Amplitude(b)
		}
		if err := execute(opts, output, c, l, lay, newState, acc, amp); err != nil {
			return err
		}
		acc.warn(opts.errOut)
		return nil
	}
}

// runQubitLimit returns the most qubits a program may act on for what opts
// asks (0: no limit) and why, so that the reader refuses a statement beyond
// it at once: dense output lists at most maxDenseQubits, and a state vector
// must fit in the memory allowed.
func runQubitLimit(opts *runOptions, engine string) (int, string) {
	limit, why := 0, ""
	if opts.output == "probs" || opts.output == "amps" && opts.bitstrings == nil {
		limit, why = maxDenseQubits, fmt.Sprintf("--print %s lists every basis state; above %d qubits use --print counts, or --print amps --bitstrings", opts.output, maxDenseQubits)
	}
	if engine != "sv" {
		return limit, why
	}
	prec, mem, err := svLimits(opts)
	if err != nil {
		return limit, why // reported later
	}
	k := 0
	for k < statevector.MaxQubits && prec.CheckMemory(k+1, mem) == nil {
		k++
	}
	if limit == 0 || k < limit {
		limit, why = k, "a state vector of more does not fit in the memory allowed"+svMemoryHint
		if err := prec.CheckMemory(k+1, mem); err != nil {
			why = err.Error() + svMemoryHint
		}
	}
	return limit, why
}

// parseMaxMemory reads --max-memory, refusing more than the machine has: a
// state that large cannot be allocated, and Go stops with an out-of-memory
// dump when asked.
func parseMaxMemory(s string) (uint64, error) {
	v, err := statevector.ParseBytes(s)
	if err != nil {
		return 0, err
	}
	if phys := statevector.PhysicalMemory(); phys > 0 && v > phys {
		return 0, fmt.Errorf("%s is more than this machine's %s of memory; give at most that", s, statevector.FormatBytes(phys))
	}
	return v, nil
}

// checkRunSize refuses to print or simulate k touched qubits where that
// cannot be done: dense output above maxDenseQubits, a state vector that
// does not fit in memory.
func checkRunSize(opts *runOptions, engine, output string, k int) error {
	if output == "probs" && k > maxDenseQubits {
		return fmt.Errorf("--print probs lists all 2^%d basis states; above %d qubits use --print counts, or --print amps --bitstrings ... for chosen states", k, maxDenseQubits)
	}
	if output == "amps" && opts.bitstrings == nil && k > maxDenseQubits {
		return fmt.Errorf("--print amps lists all 2^%d amplitudes; above %d qubits name the states with --bitstrings", k, maxDenseQubits)
	}
	if engine != "sv" {
		return nil
	}
	prec, limit, err := svLimits(opts)
	if err != nil {
		return err
	}
	if err := prec.CheckMemory(k, limit); err != nil {
		return fmt.Errorf("%w"+svMemoryHint, err)
	}
	return nil
}

// svMemoryHint follows a state vector's memory refusal.
const svMemoryHint = "; " + mpsHint + " (--max-memory raises the limit)"

// svLimits returns the state vector's precision (--precision) and the
// most memory it may take (--max-memory).
func svLimits(opts *runOptions) (statevector.Precision, uint64, error) {
	prec, err := statevector.ParsePrecision(opts.precision)
	if err != nil {
		return 0, 0, fmt.Errorf("--precision: %v", err)
	}
	limit := statevector.MaxMemory
	if opts.maxMemory != "" {
		if limit, err = parseMaxMemory(opts.maxMemory); err != nil {
			return 0, 0, fmt.Errorf("--max-memory: %v", err)
		}
	}
	return prec, limit, nil
}

// qubitLayout relates the qubits the engine simulates (the ones the program
// touches, in the order of sim.Compact) to the qubits a printed bitstring
// lists. A program on declared registers lists all its qubits,
// q[n-1]...q[0], the untouched ones always 0; a program on physical qubits
// ($k) lists the ones it touches, highest first: $58 $51 $50.
type qubitLayout struct {
	used     []int    // program qubit of simulated qubit i, ascending
	place    []int    // bit of the listed index that simulated qubit i takes
	names    []string // names[j]: the program's name of the qubit at bit j
	header   string   // the listed qubits for a header line, leftmost first
	note     string   // a comment line for programs on physical qubits
	physical bool
}

func newQubitLayout(c *circuit.Circuit, used []int) *qubitLayout {
	lay := &qubitLayout{used: used}
	lay.physical = len(c.QRegs) == 1 && c.QRegs[0].Name == "$"
	if lay.physical {
		lay.place = make([]int, len(used))
		var parts []string
		for i, q := range used {
			lay.place[i] = i
			lay.names = append(lay.names, fmt.Sprintf("$%d", q))
		}
		for i := len(used) - 1; i >= 0; i-- {
			parts = append(parts, lay.names[i])
		}
		lay.header = strings.Join(parts, " ")
		lay.note = fmt.Sprintf("# bitstrings list the %d physical qubits the program touches, highest first\n", len(used))
		return lay
	}
	lay.place = used
	lay.names = make([]string, c.NumQubits)
	var parts []string
	for i := len(c.QRegs) - 1; i >= 0; i-- {
		r := c.QRegs[i]
		for j := 0; j < r.Size; j++ {
			lay.names[r.Start+j] = fmt.Sprintf("%s[%d]", r.Name, j)
		}
		parts = append(parts, registerRange(r))
	}
	lay.header = strings.Join(parts, " ")
	return lay
}

// bits is the number of characters of a listed bitstring.
func (lay *qubitLayout) bits() int { return len(lay.names) }

// index maps a simulated basis state to the listed one.
func (lay *qubitLayout) index(x uint64) uint64 { return sim.Expand(x, lay.place) }

// order lists the names of a bitstring's characters, leftmost first.
func (lay *qubitLayout) order() []string {
	out := make([]string, len(lay.names))
	for j, s := range lay.names {
		out[len(out)-1-j] = s
	}
	return out
}

// simulated maps a listed basis state (per listed qubit) to the simulated
// one, or reports that it has a 1 on a qubit the program leaves in |0>.
func (lay *qubitLayout) simulated(x []bool) ([]bool, bool) {
	y := make([]bool, len(lay.used))
	for i, j := range lay.place {
		y[i] = x[j]
	}
	for j, v := range x {
		if v && !slices.Contains(lay.place, j) {
			return nil, false
		}
	}
	return y, true
}

func registerRange(r circuit.Register) string {
	if r.Size == 1 {
		return r.Name + "[0]"
	}
	return fmt.Sprintf("%s[%d]...%s[0]", r.Name, r.Size-1, r.Name)
}

// mpsAccount gathers the truncation accounting of every final MPS state:
// the largest bond, the largest discarded weight and the smallest fidelity
// estimate over shots or branches.
type mpsAccount struct {
	seen  bool
	stats mps.Stats
}

func (a *mpsAccount) observe(st *mps.State) {
	s := st.Stats()
	if !a.seen {
		a.stats, a.seen = s, true
		return
	}
	a.stats.MaxBond = max(a.stats.MaxBond, s.MaxBond)
	a.stats.DiscardedWeight = max(a.stats.DiscardedWeight, s.DiscardedWeight)
	a.stats.FidelityEstimate = min(a.stats.FidelityEstimate, s.FidelityEstimate)
	a.stats.Truncations = max(a.stats.Truncations, s.Truncations)
}

// engineStats is the part of the JSON output that an engine with truncation
// adds.
type engineStats struct {
	Engine           string   `json:"engine"`
	MaxBond          *int     `json:"max_bond,omitempty"`
	DiscardedWeight  *float64 `json:"discarded_weight,omitempty"`
	FidelityEstimate *float64 `json:"fidelity_estimate,omitempty"`
	// FidelityReliable is false where the estimate is below
	// mps.ReliableFidelity and only a rough guide.
	FidelityReliable *bool `json:"fidelity_reliable,omitempty"`
}

func (a *mpsAccount) json() engineStats {
	if a == nil {
		return engineStats{Engine: "sv"}
	}
	s := a.stats
	ok := s.FidelityReliable()
	return engineStats{Engine: "mps", MaxBond: &s.MaxBond, DiscardedWeight: &s.DiscardedWeight,
		FidelityEstimate: &s.FidelityEstimate, FidelityReliable: &ok}
}

func (a *mpsAccount) text() string {
	if a == nil {
		return ""
	}
	flag := ""
	if !a.stats.FidelityReliable() {
		flag = fmt.Sprintf(" (unreliable below %g)", mps.ReliableFidelity)
	}
	return fmt.Sprintf("# mps: max bond %d, discarded weight %.3g (sum over truncations), fidelity estimate %.6f%s\n",
		a.stats.MaxBond, a.stats.DiscardedWeight, a.stats.FidelityEstimate, flag)
}

// warn says on w when the fidelity estimate is in the range where it is
// only a rough guide to the true fidelity.
func (a *mpsAccount) warn(w io.Writer) {
	if a == nil || !a.seen || a.stats.FidelityReliable() {
		return
	}
	fmt.Fprintf(w, "warning: the MPS fidelity estimate %.3g is below %g, where it is only a rough guide "+
		"(on random circuits, estimates below it were 0.25 to 5.3 times the true fidelity) and the state is far from "+
		"the exact one: raise --bond-dim for results to trust\n", a.stats.FidelityEstimate, mps.ReliableFidelity)
}

func packBits(x []bool) uint64 {
	var v uint64
	for i, b := range x {
		if b {
			v |= 1 << uint(i)
		}
	}
	return v
}

// parseBitstring reads a bitstring of n characters, most significant
// first, into per-bit values; names (leftmost first) say what its
// characters stand for.
func parseBitstring(s string, n int, header string) ([]bool, error) {
	s = strings.TrimSpace(s)
	if len(s) != n {
		return nil, fmt.Errorf("--bitstrings %q: need %d bits (%s), got %d", s, n, header, len(s))
	}
	x := make([]bool, n)
	for i, ch := range s {
		switch ch {
		case '0':
		case '1':
			x[n-1-i] = true
		default:
			return nil, fmt.Errorf("--bitstrings %q: only 0 and 1 allowed", s)
		}
	}
	return x, nil
}

// execute runs the lowered circuit (on the qubits it touches, lay.used) on
// an engine and prints the requested output. acc, if not nil, collects MPS
// accounting.
func execute[S sim.State[S]](opts *runOptions, output string, c *circuit.Circuit, l *circuit.Lowered, lay *qubitLayout,
	newState func(int) (S, error), acc *mpsAccount, amplitude func(S, []bool) complex128) error {
	var observe func(S)
	if acc != nil {
		observe = func(st S) { acc.observe(any(st).(*mps.State)) }
	}
	switch output {
	case "counts":
		return printCounts(opts, c, l, lay, newState, observe, acc)
	case "probs":
		_, probs, err := sim.ExactObserve(newState, l, nil, 1<<16, observe)
		if err != nil {
			return err
		}
		return printProbs(opts, lay, probs, acc)
	}
	// amps
	if !l.IsPure() {
		return fmt.Errorf("--print amps needs a circuit without measurement, reset or if: the state after a measurement is random (use --print probs for the exact averaged distribution, or counts)")
	}
	states := make([]string, len(opts.bitstrings))
	xs := make([][]bool, len(opts.bitstrings))
	for i, b := range opts.bitstrings {
		x, err := parseBitstring(b, lay.bits(), lay.header)
		if err != nil {
			return err
		}
		states[i] = strings.TrimSpace(b)
		xs[i], _ = lay.simulated(x) // nil: a 1 on a qubit left in |0>
	}
	st, err := newState(len(lay.used))
	if err != nil {
		return err
	}
	if err := sim.Evolve(st, l, nil); err != nil {
		return err
	}
	if observe != nil {
		observe(st)
	}
	var amps []complex128
	if len(xs) == 0 {
		type dense interface{ Amplitudes() []complex128 }
		amps = any(st).(dense).Amplitudes()
		states = nil
	} else {
		amps = make([]complex128, len(xs))
		for i, x := range xs {
			if x != nil {
				amps[i] = amplitude(st, x)
			}
		}
	}
	return printAmps(opts, lay, states, amps, acc)
}

func printCounts[S sim.State[S]](opts *runOptions, c *circuit.Circuit, l *circuit.Lowered, lay *qubitLayout,
	newState func(int) (S, error), observe func(S), acc *mpsAccount) error {
	measured := c.HasMeasure()
	lw := l
	nbits := c.NumClbits
	if !measured {
		// No measurement: measure every simulated qubit q into bit q.
		lw = &circuit.Lowered{NumQubits: l.NumQubits, NumClbits: l.NumQubits, NumSymbols: l.NumSymbols,
			Instrs: append([]circuit.Instr(nil), l.Instrs...)}
		for q := 0; q < l.NumQubits; q++ {
			lw.Instrs = append(lw.Instrs, circuit.Instr{Kind: circuit.IMeasure, Targets: []int{q}, Clbit: q})
		}
		nbits = lay.bits()
	}
	counts, err := sim.Shots(newState, lw, nil, opts.shots, opts.seed, &sim.Options[S]{Observe: observe})
	if err != nil {
		return err
	}
	label := func(k string) string {
		if !measured {
			// k lists the simulated qubits; spread them over the listed ones.
			b := []byte(strings.Repeat("0", nbits))
			m := len(k)
			for i, j := range lay.place {
				b[nbits-1-j] = k[m-1-i]
			}
			return string(b)
		}
		if len(c.CRegs) <= 1 {
			return k
		}
		// k is c[m-1]...c[0]; registers are contiguous, the last declared
		// holding the highest bits, so a space goes at each boundary.
		var b strings.Builder
		for i := len(c.CRegs) - 1; i >= 0; i-- {
			r := c.CRegs[i]
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(k[nbits-r.Start-r.Size : nbits-r.Start])
		}
		return b.String()
	}
	labels := make(map[string]string, len(counts))
	keys := make([]string, 0, len(counts))
	for k := range counts {
		labels[k] = label(k)
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return labels[keys[i]] < labels[keys[j]] })
	order := lay.order()
	what := "classical bits " + clbitOrder(c)
	if measured {
		order = clbitNames(c)
	} else {
		what = "qubits " + lay.header + " (the circuit measures nothing; every qubit measured at the end)"
	}
	note := ""
	if !measured {
		note = lay.note
	}
	return writeCounts(opts, lay.bits(), nbits, order, what, note, keys, labels, counts, acc)
}

// writeCounts prints counts in the order of keys (sorted by label), each
// under its label, streamed. what and note go in the text header.
func writeCounts(opts *runOptions, qubits, nbits int, order []string, what, note string,
	keys []string, labels map[string]string, counts map[string]int, acc *mpsAccount) error {
	if opts.format == "json" {
		return writeJSONStream(opts.out, struct {
			Qubits   int            `json:"qubits"`
			Clbits   int            `json:"clbits"`
			BitOrder []string       `json:"bit_order"`
			Shots    int            `json:"shots"`
			Seed     uint64         `json:"seed"`
			Counts   streamedObject `json:"counts"`
			engineStats
		}{qubits, nbits, order, opts.shots, opts.seed, streamedObject{}, acc.json()}, func(o *jsonObject) error {
			for _, k := range keys {
				o.key([]byte(labels[k]))
				o.int(counts[k])
				if err := o.end(); err != nil {
					return err
				}
			}
			return nil
		})
	}
	bw := bufio.NewWriterSize(opts.out, streamBufSize)
	fmt.Fprintf(bw, "# %d shots, seed %d; %s\n", opts.shots, opts.seed, what)
	bw.WriteString(note)
	bw.WriteString(acc.text())
	freq := func(k string) float64 { return float64(counts[k]) / float64(opts.shots) }
	var wl, wc, wf int
	for _, k := range keys {
		wl = max(wl, len(labels[k]))
		wc = max(wc, len(strconv.Itoa(counts[k])))
		wf = max(wf, fixedWidth(freq(k), 4, false))
	}
	t := newTextTable(bw, wl, wc, wf)
	for _, k := range keys {
		t.cells = append(t.cells, labels[k]...)
		t.endCell()
		t.cells = strconv.AppendInt(t.cells, int64(counts[k]), 10)
		t.endCell()
		t.cells = appendFixed(t.cells, freq(k), 4, false)
		t.endCell()
		if err := t.endRow(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

const probFloor = 1e-14

// printProbs prints the probabilities of the simulated basis states above
// probFloor under their listed bitstrings, streamed in index order (which
// is the order of the listed bitstrings: lay.index is increasing).
func printProbs(opts *runOptions, lay *qubitLayout, probs []float64, acc *mpsAccount) error {
	n := lay.bits()
	keep := func(p float64) bool { return p > probFloor }
	if opts.format == "json" {
		for _, p := range probs {
			if err := checkJSONFloat(p); keep(p) && err != nil {
				return err
			}
		}
		return writeJSONStream(opts.out, struct {
			Qubits        int            `json:"qubits"`
			BitOrder      []string       `json:"bit_order"`
			Probabilities streamedObject `json:"probabilities"`
			engineStats
		}{n, lay.order(), streamedObject{}, acc.json()}, func(o *jsonObject) error {
			key := make([]byte, 0, n)
			for i, p := range probs {
				if keep(p) {
					o.key(appendBits(key[:0], lay.index(uint64(i)), n))
					o.float(p)
					if err := o.end(); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	bw := bufio.NewWriterSize(opts.out, streamBufSize)
	fmt.Fprintf(bw, "# exact probabilities of qubits %s (entries above %g)\n", lay.header, probFloor)
	bw.WriteString(lay.note)
	bw.WriteString(acc.text())
	wp := 0
	for _, p := range probs {
		if keep(p) {
			wp = max(wp, fixedWidth(p, 12, false))
		}
	}
	t := newTextTable(bw, n, wp)
	for i, p := range probs {
		if keep(p) {
			t.cells = appendBits(t.cells, lay.index(uint64(i)), n)
			t.endCell()
			t.cells = appendFixed(t.cells, p, 12, false)
			t.endCell()
			if err := t.endRow(); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// printAmps prints amplitudes, streamed: of every simulated basis state in
// index order when states is nil, else of the named states.
func printAmps(opts *runOptions, lay *qubitLayout, states []string, amps []complex128, acc *mpsAccount) error {
	n := lay.bits()
	appendName := func(b []byte, i int) []byte {
		if states != nil {
			return append(b, states[i]...)
		}
		return appendBits(b, lay.index(uint64(i)), n)
	}
	keep := func(a complex128) bool {
		return states != nil || real(a)*real(a)+imag(a)*imag(a) > probFloor*probFloor
	}
	if opts.format == "json" {
		for _, a := range amps {
			if !keep(a) {
				continue
			}
			if err := checkJSONFloat(real(a)); err != nil {
				return err
			}
			if err := checkJSONFloat(imag(a)); err != nil {
				return err
			}
		}
		// JSON object members are sorted and unique: named states in
		// sorted order, the last of equal names winning, as in a map.
		var order []int
		if states != nil {
			order = make([]int, len(states))
			for i := range order {
				order[i] = i
			}
			sort.SliceStable(order, func(i, j int) bool { return states[order[i]] < states[order[j]] })
			u := order[:0]
			for i, k := range order {
				if i+1 < len(order) && states[order[i+1]] == states[k] {
					continue
				}
				u = append(u, k)
			}
			order = u
		}
		return writeJSONStream(opts.out, struct {
			Qubits     int            `json:"qubits"`
			BitOrder   []string       `json:"bit_order"`
			Amplitudes streamedObject `json:"amplitudes"`
			engineStats
		}{n, lay.order(), streamedObject{}, acc.json()}, func(o *jsonObject) error {
			key := make([]byte, 0, n)
			member := func(i int) error {
				if !keep(amps[i]) {
					return nil
				}
				o.key(appendName(key[:0], i))
				o.pair(real(amps[i]), imag(amps[i]))
				return o.end()
			}
			if order != nil {
				for _, i := range order {
					if err := member(i); err != nil {
						return err
					}
				}
				return nil
			}
			for i := range amps {
				if err := member(i); err != nil {
					return err
				}
			}
			return nil
		})
	}
	bw := bufio.NewWriterSize(opts.out, streamBufSize)
	fmt.Fprintf(bw, "# amplitudes of qubits %s (global phase included)\n", lay.header)
	bw.WriteString(lay.note)
	bw.WriteString(acc.text())
	ws, wr, wi, wp := len("state"), len("re"), len("im"), len("|a|^2")
	for i, a := range amps {
		if keep(a) {
			if states != nil {
				ws = max(ws, len(states[i]))
			} else {
				ws = max(ws, n)
			}
			wr = max(wr, fixedWidth(real(a), 12, true))
			wi = max(wi, fixedWidth(imag(a), 12, true))
			wp = max(wp, fixedWidth(real(a)*real(a)+imag(a)*imag(a), 12, false))
		}
	}
	t := newTextTable(bw, ws, wr, wi, wp)
	for _, h := range []string{"state", "re", "im", "|a|^2"} {
		t.cells = append(t.cells, h...)
		t.endCell()
	}
	if err := t.endRow(); err != nil {
		return err
	}
	for i, a := range amps {
		if keep(a) {
			p := real(a)*real(a) + imag(a)*imag(a)
			t.cells = appendName(t.cells, i)
			t.endCell()
			t.cells = appendFixed(t.cells, real(a), 12, true)
			t.endCell()
			t.cells = appendFixed(t.cells, imag(a), 12, true)
			t.endCell()
			t.cells = appendFixed(t.cells, p, 12, false)
			t.endCell()
			if err := t.endRow(); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

func qubitOrder(n int) string {
	if n == 1 {
		return "q[0]"
	}
	return fmt.Sprintf("q[%d]...q[0]", n-1)
}

func clbitOrder(c *circuit.Circuit) string {
	var parts []string
	for i := len(c.CRegs) - 1; i >= 0; i-- {
		parts = append(parts, registerRange(c.CRegs[i]))
	}
	return strings.Join(parts, " ")
}

// clbitNames names the classical bits of a counts key, leftmost first.
func clbitNames(c *circuit.Circuit) []string {
	var out []string
	for i := len(c.CRegs) - 1; i >= 0; i-- {
		r := c.CRegs[i]
		for j := r.Size - 1; j >= 0; j-- {
			out = append(out, fmt.Sprintf("%s[%d]", r.Name, j))
		}
	}
	return out
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
