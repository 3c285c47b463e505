package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

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
}

func newRunCmd(runF func(*runOptions) error) *cobra.Command {
	opts := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run FILE.qasm",
		Short: "Run an OpenQASM circuit and print counts, probabilities or amplitudes",
		Long: `Run an OpenQASM 2.0 or 3 circuit on the exact state-vector engine (--engine sv)
or the matrix-product-state engine (--engine mps, for many qubits at bounded
entanglement; it reports the bond dimension reached, the weight its
truncations discarded and the resulting fidelity estimate).

Without --output, a circuit that measures prints counts from --shots shots and
one that does not prints exact probabilities. Bitstrings print most
significant first: q[n-1]...q[0], or c[m-1]...c[0] per classical register with
registers in reverse declaration order separated by spaces (as Qiskit does).
Use "-" as FILE to read the circuit from standard input. The input
parameters of an OpenQASM 3 file (input float[64] x; input angle y;
input array[float[64], N] theta;) must be bound with --param or --params.`,
		Example: `  born run bell.qasm
  born run ansatz.qasm --param x=0.3 --param 'theta[0]=1.2' --params rest.json
  born run bell.qasm --output probs --format json
  born run teleport.qasm --shots 100000 --seed 7
  born run ghz1000.qasm --engine mps --bond-dim 16 --format json
  born run big.qasm --engine mps --output amps --bitstrings 0000,1111`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.in, opts.out, opts.errOut = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.file = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.output, "output", "", "what to print: counts, probs or amps (default: counts if the circuit measures, probs otherwise)")
	f.IntVar(&opts.shots, "shots", 1024, "number of shots for counts")
	f.Uint64Var(&opts.seed, "seed", 1, "random seed; the same seed gives the same counts")
	f.StringVar(&opts.format, "format", "text", "output format: text or json")
	f.StringVar(&opts.engine, "engine", "sv", "simulator: sv (exact state vector) or mps (matrix product state)")
	f.IntVar(&opts.bondDim, "bond-dim", 128, "mps: largest bond dimension kept (chi)")
	f.Float64Var(&opts.cutoff, "cutoff", mps.DefaultCutoff, "mps: drop singular values below this fraction of the largest")
	f.StringSliceVar(&opts.bitstrings, "bitstrings", nil, "with --output amps: only these basis states (q[n-1]...q[0], comma-separated)")
	f.StringVar(&opts.precision, "precision", "double", "sv: amplitude precision, double (complex128) or single (complex64, half the memory, faster)")
	f.StringVar(&opts.maxMemory, "max-memory", "", "sv: largest state to allocate, e.g. 20GiB (default: half the physical memory)")
	f.StringArrayVar(&opts.params, "param", nil, "bind an input parameter of an OpenQASM 3 file: --param name=value (repeatable)")
	f.StringVar(&opts.paramsFile, "params", "", "bind input parameters from a JSON file {\"name\": value, \"theta\": [v0, v1, ...]}")
	return cmd
}

// readSource reads a file, or in for "-", and returns the name to report
// it by.
func readSource(file string, in io.Reader) (name string, src []byte, err error) {
	if file == "-" {
		src, err = io.ReadAll(in)
		return "<stdin>", src, err
	}
	src, err = os.ReadFile(file)
	return file, src, err
}

// readCircuit reads and parses an OpenQASM file, or standard input for "-".
func readCircuit(file string, in io.Reader, errOut io.Writer) (*circuit.Circuit, error) {
	name, src, err := readSource(file, in)
	if err != nil {
		return nil, err
	}
	c, warnings, err := qasm.Parse(name, src, nil)
	for _, w := range warnings {
		fmt.Fprintln(errOut, "warning:", w)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// maxDenseQubits is the largest circuit whose full probability or
// amplitude vector born prints.
const maxDenseQubits = 30

func runRun(opts *runOptions) error {
	switch opts.format {
	case "text", "json":
	default:
		return fmt.Errorf("--format %q: use text or json", opts.format)
	}
	if opts.shots < 1 {
		return fmt.Errorf("--shots %d: need at least 1 shot", opts.shots)
	}
	c, err := readCircuit(opts.file, opts.in, opts.errOut)
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
		if c.HasMeasure() {
			output = "counts"
		}
	}
	switch output {
	case "counts", "probs", "amps":
	default:
		return fmt.Errorf("--output %q: use counts, probs or amps", output)
	}
	if output == "probs" && c.NumQubits > maxDenseQubits {
		return fmt.Errorf("--output probs lists all 2^%d basis states; above %d qubits use --output counts, or --output amps --bitstrings ... for chosen states", c.NumQubits, maxDenseQubits)
	}
	if output == "amps" && opts.bitstrings == nil && c.NumQubits > maxDenseQubits {
		return fmt.Errorf("--output amps lists all 2^%d amplitudes; above %d qubits name the states with --bitstrings", c.NumQubits, maxDenseQubits)
	}
	if len(opts.bitstrings) > 0 && output != "amps" {
		return fmt.Errorf("--bitstrings goes with --output amps")
	}
	l, err := c.Lower()
	if err != nil {
		return err
	}
	switch opts.engine {
	case "sv":
		prec, err := statevector.ParsePrecision(opts.precision)
		if err != nil {
			return fmt.Errorf("--precision: %v", err)
		}
		limit := statevector.MaxMemory
		if opts.maxMemory != "" {
			if limit, err = statevector.ParseBytes(opts.maxMemory); err != nil {
				return fmt.Errorf("--max-memory: %v", err)
			}
		}
		if err := prec.CheckMemory(c.NumQubits, limit); err != nil {
			return fmt.Errorf("%w (--max-memory raises the limit)", err)
		}
		if prec == statevector.Single {
			amp := func(st *statevector.State32, x []bool) complex128 { return st.Amplitude(int(packBits(x))) }
			newState := func(n int) (*statevector.State32, error) { return statevector.NewVectorWithin[float32](n, limit) }
			return execute(opts, output, c, l, newState, nil, amp)
		}
		amp := func(st *statevector.State, x []bool) complex128 { return st.Amplitude(int(packBits(x))) }
		newState := func(n int) (*statevector.State, error) { return statevector.NewVectorWithin[float64](n, limit) }
		return execute(opts, output, c, l, newState, nil, amp)
	case "mps":
		mo := mps.Options{MaxBond: opts.bondDim, Cutoff: opts.cutoff}
		if opts.bondDim < 1 {
			return fmt.Errorf("--bond-dim %d: the bond dimension must be at least 1", opts.bondDim)
		}
		if opts.cutoff < 0 || math.IsNaN(opts.cutoff) {
			return fmt.Errorf("--cutoff %g: the cutoff must be a non-negative fraction", opts.cutoff)
		}
		if _, err := mps.New(c.NumQubits, mo); err != nil { // validates options and memory
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
		return execute(opts, output, c, l, newState, acc, amp)
	default:
		return fmt.Errorf("--engine %q: use sv or mps", opts.engine)
	}
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
}

func (a *mpsAccount) json() engineStats {
	if a == nil {
		return engineStats{Engine: "sv"}
	}
	s := a.stats
	return engineStats{Engine: "mps", MaxBond: &s.MaxBond, DiscardedWeight: &s.DiscardedWeight, FidelityEstimate: &s.FidelityEstimate}
}

func (a *mpsAccount) text() string {
	if a == nil {
		return ""
	}
	return fmt.Sprintf("# mps: max bond %d, discarded weight %.3g, fidelity estimate %.6f\n",
		a.stats.MaxBond, a.stats.DiscardedWeight, a.stats.FidelityEstimate)
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

// parseBitstring reads a q[n-1]...q[0] bitstring into per-qubit values.
func parseBitstring(s string, n int) ([]bool, error) {
	s = strings.TrimSpace(s)
	if len(s) != n {
		return nil, fmt.Errorf("--bitstrings %q: need %d bits (q[%d]...q[0]), got %d", s, n, n-1, len(s))
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

// execute runs the lowered circuit on an engine and prints the requested
// output. acc, if not nil, collects MPS accounting.
func execute[S sim.State[S]](opts *runOptions, output string, c *circuit.Circuit, l *circuit.Lowered,
	newState func(int) (S, error), acc *mpsAccount, amplitude func(S, []bool) complex128) error {
	var observe func(S)
	if acc != nil {
		observe = func(st S) { acc.observe(any(st).(*mps.State)) }
	}
	switch output {
	case "counts":
		return printCounts(opts, c, l, newState, observe, acc)
	case "probs":
		_, probs, err := sim.ExactObserve(newState, l, nil, 1<<16, observe)
		if err != nil {
			return err
		}
		return printProbs(opts, c, probs, acc)
	}
	// amps
	if !l.IsPure() {
		return fmt.Errorf("--output amps needs a circuit without measurement, reset or if: the state after a measurement is random (use --output probs for the exact averaged distribution, or counts)")
	}
	states := make([]string, len(opts.bitstrings))
	xs := make([][]bool, len(opts.bitstrings))
	for i, b := range opts.bitstrings {
		x, err := parseBitstring(b, c.NumQubits)
		if err != nil {
			return err
		}
		states[i], xs[i] = strings.TrimSpace(b), x
	}
	st, err := newState(c.NumQubits)
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
			amps[i] = amplitude(st, x)
		}
	}
	return printAmps(opts, c, states, amps, acc)
}

func printCounts[S sim.State[S]](opts *runOptions, c *circuit.Circuit, l *circuit.Lowered,
	newState func(int) (S, error), observe func(S), acc *mpsAccount) error {
	measured := c.HasMeasure()
	lw := l
	nbits := c.NumClbits
	if !measured {
		// No measurement: measure every qubit q into bit q.
		lw = &circuit.Lowered{NumQubits: l.NumQubits, NumClbits: l.NumQubits, NumSymbols: l.NumSymbols,
			Instrs: append([]circuit.Instr(nil), l.Instrs...)}
		for q := 0; q < c.NumQubits; q++ {
			lw.Instrs = append(lw.Instrs, circuit.Instr{Kind: circuit.IMeasure, Targets: []int{q}, Clbit: q})
		}
		nbits = c.NumQubits
	}
	counts, err := sim.Shots(newState, lw, nil, opts.shots, opts.seed, &sim.Options[S]{Observe: observe})
	if err != nil {
		return err
	}
	label := func(k string) string {
		if !measured || len(c.CRegs) <= 1 {
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
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if opts.format == "json" {
		m := make(map[string]int, len(counts))
		for _, k := range keys {
			m[label(k)] = counts[k]
		}
		return writeJSON(opts.out, struct {
			Qubits int            `json:"qubits"`
			Clbits int            `json:"clbits"`
			Shots  int            `json:"shots"`
			Seed   uint64         `json:"seed"`
			Counts map[string]int `json:"counts"`
			engineStats
		}{c.NumQubits, nbits, opts.shots, opts.seed, m, acc.json()})
	}
	what := "classical bits " + clbitOrder(c)
	if !measured {
		what = "qubits " + qubitOrder(c.NumQubits) + " (the circuit measures nothing; every qubit measured at the end)"
	}
	fmt.Fprintf(opts.out, "# %d shots, seed %d; %s\n", opts.shots, opts.seed, what)
	fmt.Fprint(opts.out, acc.text())
	tw := tabwriter.NewWriter(opts.out, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%d\t%.4f\t\n", label(k), counts[k], float64(counts[k])/float64(opts.shots))
	}
	return tw.Flush()
}

const probFloor = 1e-14

func printProbs(opts *runOptions, c *circuit.Circuit, probs []float64, acc *mpsAccount) error {
	n := c.NumQubits
	if opts.format == "json" {
		m := map[string]float64{}
		for i, p := range probs {
			if p > probFloor {
				m[circuit.FormatBits(uint64(i), n)] = p
			}
		}
		return writeJSON(opts.out, struct {
			Qubits        int                `json:"qubits"`
			Probabilities map[string]float64 `json:"probabilities"`
			engineStats
		}{n, m, acc.json()})
	}
	fmt.Fprintf(opts.out, "# exact probabilities of qubits %s (entries above %g)\n", qubitOrder(n), probFloor)
	fmt.Fprint(opts.out, acc.text())
	tw := tabwriter.NewWriter(opts.out, 0, 0, 2, ' ', tabwriter.AlignRight)
	for i, p := range probs {
		if p > probFloor {
			fmt.Fprintf(tw, "%s\t%.12f\t\n", circuit.FormatBits(uint64(i), n), p)
		}
	}
	return tw.Flush()
}

// printAmps prints amplitudes: of every basis state when states is nil,
// else of the named states.
func printAmps(opts *runOptions, c *circuit.Circuit, states []string, amps []complex128, acc *mpsAccount) error {
	n := c.NumQubits
	name := func(i int) string {
		if states != nil {
			return states[i]
		}
		return circuit.FormatBits(uint64(i), n)
	}
	keep := func(a complex128) bool {
		return states != nil || real(a)*real(a)+imag(a)*imag(a) > probFloor*probFloor
	}
	if opts.format == "json" {
		m := map[string][2]float64{}
		for i, a := range amps {
			if keep(a) {
				m[name(i)] = [2]float64{real(a), imag(a)}
			}
		}
		return writeJSON(opts.out, struct {
			Qubits     int                   `json:"qubits"`
			Amplitudes map[string][2]float64 `json:"amplitudes"`
			engineStats
		}{n, m, acc.json()})
	}
	fmt.Fprintf(opts.out, "# amplitudes of qubits %s (global phase included)\n", qubitOrder(n))
	fmt.Fprint(opts.out, acc.text())
	tw := tabwriter.NewWriter(opts.out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "state\tre\tim\t|a|^2\t\n")
	for i, a := range amps {
		if keep(a) {
			p := real(a)*real(a) + imag(a)*imag(a)
			fmt.Fprintf(tw, "%s\t%+.12f\t%+.12f\t%.12f\t\n", name(i), real(a), imag(a), p)
		}
	}
	return tw.Flush()
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
		r := c.CRegs[i]
		if r.Size == 1 {
			parts = append(parts, r.Name+"[0]")
		} else {
			parts = append(parts, fmt.Sprintf("%s[%d]...%s[0]", r.Name, r.Size-1, r.Name))
		}
	}
	return strings.Join(parts, " ")
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
