package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"born/circuit"
	"born/qasm"
	"born/sim"
	"born/statevector"
)

type runOptions struct {
	in          io.Reader
	out, errOut io.Writer

	file   string
	output string
	shots  int
	seed   uint64
	format string
}

func newRunCmd(runF func(*runOptions) error) *cobra.Command {
	opts := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run FILE.qasm",
		Short: "Run an OpenQASM circuit and print counts, probabilities or amplitudes",
		Long: `Run an OpenQASM 2.0 circuit on the exact state-vector engine.

Without --output, a circuit that measures prints counts from --shots shots and
one that does not prints exact probabilities. Bitstrings print most
significant first: q[n-1]...q[0], or c[m-1]...c[0] per classical register with
registers in reverse declaration order separated by spaces (as Qiskit does).
Use "-" as FILE to read the circuit from standard input.`,
		Example: `  born run bell.qasm
  born run bell.qasm --output probs --format json
  born run teleport.qasm --shots 100000 --seed 7`,
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
	return cmd
}

// readCircuit reads and parses an OpenQASM file, or standard input for "-".
func readCircuit(file string, in io.Reader, errOut io.Writer) (*circuit.Circuit, error) {
	var src []byte
	var err error
	name := file
	if file == "-" {
		name = "<stdin>"
		src, err = io.ReadAll(in)
	} else {
		src, err = os.ReadFile(file)
	}
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
	output := opts.output
	if output == "" {
		output = "probs"
		if c.HasMeasure() {
			output = "counts"
		}
	}
	l, err := c.Lower()
	if err != nil {
		return err
	}
	if err := statevector.CheckMemory(c.NumQubits, statevector.MaxMemory); err != nil {
		return err
	}
	switch output {
	case "counts":
		return printCounts(opts, c, l)
	case "probs":
		_, probs, err := sim.Exact(statevector.New, l, nil, 1<<16)
		if err != nil {
			return err
		}
		return printProbs(opts, c, probs)
	case "amps":
		if !l.IsPure() {
			return fmt.Errorf("--output amps needs a circuit without measurement, reset or if: the state after a measurement is random (use --output probs for the exact averaged distribution, or counts)")
		}
		st, err := statevector.New(c.NumQubits)
		if err != nil {
			return err
		}
		if err := sim.Evolve(st, l, nil); err != nil {
			return err
		}
		return printAmps(opts, c, st.Amplitudes())
	default:
		return fmt.Errorf("--output %q: use counts, probs or amps", output)
	}
}

func printCounts(opts *runOptions, c *circuit.Circuit, l *circuit.Lowered) error {
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
	counts, err := sim.Counts(statevector.New, lw, nil, opts.shots, opts.seed)
	if err != nil {
		return err
	}
	keys := make([]uint64, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	label := func(k uint64) string {
		if measured {
			return c.FormatClbits(k)
		}
		return circuit.FormatBits(k, nbits)
	}
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
		}{c.NumQubits, nbits, opts.shots, opts.seed, m})
	}
	what := "classical bits " + clbitOrder(c)
	if !measured {
		what = "qubits " + qubitOrder(c.NumQubits) + " (the circuit measures nothing; every qubit measured at the end)"
	}
	fmt.Fprintf(opts.out, "# %d shots, seed %d; %s\n", opts.shots, opts.seed, what)
	tw := tabwriter.NewWriter(opts.out, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%d\t%.4f\t\n", label(k), counts[k], float64(counts[k])/float64(opts.shots))
	}
	return tw.Flush()
}

const probFloor = 1e-14

func printProbs(opts *runOptions, c *circuit.Circuit, probs []float64) error {
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
		}{n, m})
	}
	fmt.Fprintf(opts.out, "# exact probabilities of qubits %s (entries above %g)\n", qubitOrder(n), probFloor)
	tw := tabwriter.NewWriter(opts.out, 0, 0, 2, ' ', tabwriter.AlignRight)
	for i, p := range probs {
		if p > probFloor {
			fmt.Fprintf(tw, "%s\t%.12f\t\n", circuit.FormatBits(uint64(i), n), p)
		}
	}
	return tw.Flush()
}

func printAmps(opts *runOptions, c *circuit.Circuit, amps []complex128) error {
	n := c.NumQubits
	if opts.format == "json" {
		m := map[string][2]float64{}
		for i, a := range amps {
			if real(a)*real(a)+imag(a)*imag(a) > probFloor*probFloor {
				m[circuit.FormatBits(uint64(i), n)] = [2]float64{real(a), imag(a)}
			}
		}
		return writeJSON(opts.out, struct {
			Qubits     int                   `json:"qubits"`
			Amplitudes map[string][2]float64 `json:"amplitudes"`
		}{n, m})
	}
	fmt.Fprintf(opts.out, "# amplitudes of qubits %s (global phase included)\n", qubitOrder(n))
	tw := tabwriter.NewWriter(opts.out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "state\tre\tim\t|a|^2\t\n")
	for i, a := range amps {
		p := real(a)*real(a) + imag(a)*imag(a)
		if p > probFloor*probFloor {
			fmt.Fprintf(tw, "%s\t%+.12f\t%+.12f\t%.12f\t\n", circuit.FormatBits(uint64(i), n), real(a), imag(a), p)
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
