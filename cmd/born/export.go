package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"born/bornmachine"
	"born/bornmachine/mpsbm"
	"born/circuit"
	"born/internal/atomicfile"
	"born/models"
	"born/qasm"
	"born/transpile"
)

type exportOptions struct {
	in          io.Reader
	out, errOut io.Writer
	confine     bool // --confine-includes

	file     string
	target   string
	coupling string
	params   []string // --param NAME=VALUE
	paramsF  string   // --params FILE.json
	symbolic bool
	report   string
	output   string
	noVerify bool
	seed     uint64
}

func newExportCmd(runF func(*exportOptions) error) *cobra.Command {
	opts := &exportOptions{}
	var targets []string
	for _, t := range transpile.Targets() {
		targets = append(targets, hangingIndent(fmt.Sprintf("  %-12s %s", t.Name, t.Description), 15, helpWidth-20))
	}
	cmd := &cobra.Command{
		Use:   "export (FILE.qasm | MODEL.json) --target TARGET",
		Short: "Transpile a circuit or a trained model for a quantum computer and verify it",
		Long: `Export an OpenQASM circuit, or the circuit of a trained Born machine (a
model.json written by born train, or its run directory) with its trained
parameters, in a vendor's format and gate set.

Targets:
` + strings.Join(targets, "\n") + `

Gates are decomposed exactly into the target's basis (1-qubit gates by Euler
angles, merged, zero rotations dropped; controlled and multi-qubit gates by
standard decompositions), laid out and routed with SABRE on the coupling map
(--coupling FILE, a JSON edge list [[0,1],...], replaces a target's own), and
every qubit is measured at the end unless the circuit measures. Parameters
come from the model, --params FILE.json ({"theta": 0.5, ...}) and --param
NAME=VALUE (later ones win); qasm3 and braket keep unbound ones as inputs
with --symbolic.

Before anything is written, the export is read back (OpenQASM through born's
reader; IonQ JSON and Quil through the circuit they were written from) and
simulated exactly: its output distribution must equal the source's to 1e-10,
up to the final qubit permutation, which the file's comments and --report
give. Verification is limited to 16 qubits; --no-verify skips it.
Without -o the export goes to standard output.`,
		Example: `  born export bell.qasm --target ibm-heron -o bell_heron.qasm
  born export runs/bas33/model.json --target ibm-eagle --report report.json -o qcbm.qasm
  born export qcbm.qasm --target braket --symbolic
  born export ghz.qasm --target quil --coupling ankaa.json --param theta=0.5`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.in, opts.out, opts.errOut = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.file = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runExport(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.target, "target", "", "export target (required): "+strings.Join(transpile.TargetNames(), ", "))
	f.StringVar(&opts.coupling, "coupling", "", "coupling map: a JSON file of qubit pairs [[0,1],[1,2],...]")
	f.StringArrayVar(&opts.params, "param", nil, "parameter value NAME=VALUE (repeatable)")
	f.BoolVar(&opts.confine, "confine-includes", false, confineHelp)
	f.StringVar(&opts.paramsF, "params", "", `parameter values: a JSON file {"NAME": VALUE, ...}`)
	f.BoolVar(&opts.symbolic, "symbolic", false, "keep parameters without values as inputs (qasm3, braket)")
	f.StringVar(&opts.report, "report", "", "write a JSON report (layouts, gate counts, verification) to this file")
	f.StringVarP(&opts.output, "output", "o", "", "output file (default: standard output)")
	f.BoolVar(&opts.noVerify, "no-verify", false, "skip the exact verification (needed above 16 qubits)")
	f.Uint64Var(&opts.seed, "seed", 1, "seed for layout and routing; the same seed gives the same export")
	return inFlagWords(cmd)
}

func runExport(opts *exportOptions) error {
	if opts.target == "" {
		return fmt.Errorf("--target is required: use one of %s", strings.Join(transpile.TargetNames(), ", "))
	}
	tg, err := transpile.LookupTarget(opts.target)
	if err != nil {
		return fmt.Errorf("--target: %w", err)
	}
	c, vals, err := exportSource(opts)
	if err != nil {
		return err
	}
	set, err := parseParams(opts.params, opts.paramsF)
	if err != nil {
		return err
	}
	for name, v := range set { // --params and --param override the model's
		vals[name] = v
	}
	topts := &transpile.Options{Values: vals, Symbolic: opts.symbolic, Route: transpile.RouteOptions{Seed: opts.seed}}
	if opts.coupling != "" {
		data, err := os.ReadFile(opts.coupling)
		if err != nil {
			return fmt.Errorf("--coupling: %w", err)
		}
		if topts.Coupling, err = transpile.ParseCouplingMap(filepath.Base(opts.coupling), data); err != nil {
			return fmt.Errorf("--coupling: %w", err)
		}
	}
	res, err := transpile.Transpile(c, tg, topts)
	if err != nil {
		if ae := (*transpile.AngleError)(nil); errors.As(err, &ae) {
			return fmt.Errorf("%s: %w", opts.file, err)
		}
		return err
	}
	var buf bytes.Buffer
	if err := res.Write(&buf, transpile.Header{Source: filepath.Base(opts.file)}); err != nil {
		return err
	}
	rep := res.Report()
	if opts.noVerify {
		rep.Verification = &transpile.Verification{Method: "skipped", Tolerance: transpile.VerifyTolerance}
	} else {
		if res.Source.NumQubits > transpile.MaxVerifyQubits {
			return fmt.Errorf("the circuit has %d qubits: exact verification is limited to %d; pass --no-verify to export without it", res.Source.NumQubits, transpile.MaxVerifyQubits)
		}
		v, err := res.VerifyExport(buf.Bytes(), opts.seed)
		if errors.Is(err, transpile.ErrVerifyLimit) {
			return fmt.Errorf("%w; pass --no-verify to export without it", err)
		}
		if err != nil {
			return fmt.Errorf("%w; nothing was written (this is a bug in born: please report it)", err)
		}
		rep.Verification = v
	}
	if opts.output == "" {
		if _, err := opts.out.Write(buf.Bytes()); err != nil {
			return err
		}
	} else if err := atomicfile.WriteBytes(opts.output, buf.Bytes()); err != nil {
		return err
	}
	if opts.report != "" {
		if err := atomicfile.Write(opts.report, func(w io.Writer) error { return writeJSON(w, rep) }); err != nil {
			return err
		}
	}
	// A one-line summary, on stderr when the export itself went to stdout.
	sum := opts.out
	if opts.output == "" {
		sum = opts.errOut
	}
	fmt.Fprintln(sum, exportSummary(opts, res, rep))
	return nil
}

func exportSummary(opts *exportOptions, res *transpile.Result, rep *transpile.Report) string {
	dest := "standard output"
	if opts.output != "" {
		dest = opts.output
	}
	s := fmt.Sprintf("%s: %s, %d qubits, %d 2-qubit gates, depth %d", dest, res.Target.Name, res.Source.NumQubits, res.After.TwoQubit, res.After.Depth)
	if res.Coupling != nil {
		s += fmt.Sprintf(" (routed on %s with %d SWAPs; %d 2-qubit gates before)", res.Coupling.Name, res.Layout.Swaps, res.Before.TwoQubit)
	}
	switch v := rep.Verification; v.Method {
	case "skipped":
		s += "; not verified (--no-verify)"
	default:
		s += fmt.Sprintf("; verified (%s): max probability difference %.1e", v.Method, math.Max(v.MaxDiff, v.ClassicalDiff))
	}
	return s
}

// modelFile returns the model file of path: path itself, or the
// model.json in it when it is a run directory.
func modelFile(path string) string {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return filepath.Join(path, bornmachine.ModelFileName)
	}
	return path
}

// printCompiled reports how an MPS Born machine compiled to a circuit.
func printCompiled(w io.Writer, comp *mpsbm.Compiled) {
	fmt.Fprintf(w, "mps: %d staircase layer(s), %d two-qubit unitaries, fidelity |<mps|circuit>|^2 = %.6g (exact: %v)\n",
		comp.Layers, comp.Unitaries, comp.Fidelity, comp.Exact)
}

// exportSource reads the circuit to export and, for a model file, its
// trained parameter values.
func exportSource(opts *exportOptions) (*circuit.Circuit, map[string]float64, error) {
	path := modelFile(opts.file)
	if !strings.HasSuffix(strings.ToLower(path), ".json") {
		c, err := readCircuit(opts.file, opts.in, opts.errOut, &qasm.Options{ConfineIncludes: opts.confine})
		return c, map[string]float64{}, err
	}
	_, m, err := models.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if mm, ok := m.(*mpsbm.Model); ok {
		// An MPS Born machine: compile it to a staircase of two-qubit
		// unitaries first (exact at bond dimension 2).
		comp, err := mm.Compile(mpsbm.CompileOptions{})
		if err != nil {
			return nil, nil, fmt.Errorf("%s: compiling the MPS to a circuit: %w", path, err)
		}
		printCompiled(opts.errOut, comp)
		return comp.Circuit, map[string]float64{}, nil
	}
	qm, ok := m.(*bornmachine.QCBM)
	if !ok {
		return nil, nil, fmt.Errorf("%s: a %s model has no circuit to export (qcbm and mps models do)", path, m.Kind())
	}
	c := qm.Circuit()
	theta := qm.Params()
	vals := make(map[string]float64, len(theta))
	for i, s := range c.Symbols {
		vals[s] = theta[i]
	}
	return c, vals, nil
}
