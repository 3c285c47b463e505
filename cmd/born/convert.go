package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"born/bornmachine/mpsbm"
	"born/internal/atomicfile"
	"born/qasm"
)

type convertOptions struct {
	in          io.Reader
	out, errOut io.Writer
	confine     bool // --confine-includes

	file       string
	to         string
	output     string
	flatten    bool
	layers     int      // staircase layers for an MPS model (0: up to 4, the best)
	params     []string // --param NAME=VALUE
	paramsFile string   // --params FILE.json
}

func newConvertCmd(runF func(*convertOptions) error) *cobra.Command {
	opts := &convertOptions{}
	cmd := &cobra.Command{
		Use:   "convert (FILE.qasm | MODEL.json | RUNDIR) --to qasm2|qasm3",
		Short: "Convert an OpenQASM program between versions 2 and 3",
		Long: `Convert an OpenQASM 2.0 or 3 program to OpenQASM 2.0 (--to qasm2) or 3
(--to qasm3). The result has the same unitary, global phase included, and
the same measurements and conditions.

Gates of the other version's library are written exactly, with helper
gate definitions where the libraries differ in global phase (qelib1's rz,
u3, u2, sx, ch against stdgates.inc's). OpenQASM 2 has no gate modifiers
and no gphase: ctrl @, negctrl @, inv @ and pow @ are decomposed, and a
global phase is written with a global_phase helper gate; what cannot be
written exactly is refused with an error.

Input parameters stay inputs in OpenQASM 3 unless bound with --param
NAME=VALUE or --params FILE.json ({"theta": 0.5, "w": [0.1, 0.2]});
OpenQASM 2 needs them all bound. --flatten inlines the program's own gate
definitions. A born model.json converts too: a QCBM's circuit with its
trained parameters bound (a run directory stands for its model.json), or an
MPS Born machine compiled to a staircase of two-qubit unitaries (exact for
bond dimension 2; otherwise the fidelity |<mps|circuit>|^2 is printed on
stderr). Use "-" as FILE to read standard
input. Without -o the result goes to standard output; with -o it replaces
OUT atomically.`,
		Example: `  born convert bell.qasm --to qasm3
  born convert ansatz.qasm --to qasm2 --params theta.json -o ansatz2.qasm
  born convert circuit.qasm --to qasm2 --flatten --param theta=0.5
  cat prog.qasm | born convert - --to qasm3
  born convert runs/mps16/model.json --to qasm3 -o mps.qasm`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.in, opts.out, opts.errOut = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.file = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runConvert(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.to, "to", "", "target version: qasm2 or qasm3 (required)")
	f.StringVarP(&opts.output, "output", "o", "", "write to this file (atomically) instead of standard output")
	f.BoolVar(&opts.flatten, "flatten", false, "inline the program's gate definitions")
	f.IntVar(&opts.layers, "layers", 0, "MPS model: staircase layers of two-qubit unitaries (0: up to 4, keeping the best)")
	f.StringArrayVar(&opts.params, "param", nil, "bind a parameter: NAME=VALUE (repeatable)")
	f.BoolVar(&opts.confine, "confine-includes", false, confineHelp)
	f.StringVar(&opts.paramsFile, "params", "", `bind parameters from a JSON file: {"theta": 0.5, ...}`)
	return inFlagWords(cmd)
}

func runConvert(opts *convertOptions) error {
	var version int
	switch opts.to {
	case "qasm2":
		version = 2
	case "qasm3":
		version = 3
	case "":
		return fmt.Errorf("--to is required: qasm2 or qasm3")
	default:
		return fmt.Errorf("--to %q: use qasm2 or qasm3", opts.to)
	}
	vals, err := parseParams(opts.params, opts.paramsFile)
	if err != nil {
		return err
	}
	name, src, err := readSource(modelFile(opts.file), opts.in, 1<<30) // a run directory means its model.json
	if err != nil {
		return err
	}
	if bytes.HasPrefix(bytes.TrimSpace(src), []byte("{")) {
		// A born model.json: a QCBM's circuit with its trained parameters
		// bound, or an MPS Born machine compiled to a staircase of
		// two-qubit unitaries.
		out, comp, err := mpsbm.ModelQASM(bytes.NewReader(src), version, mpsbm.CompileOptions{Layers: opts.layers})
		if err != nil {
			return err
		}
		if comp != nil {
			printCompiled(opts.errOut, comp)
		}
		return writeOutput(opts.out, opts.output, out)
	}
	// Converting does not simulate: opaque gates may be applied.
	c, warnings, err := qasm.Parse(name, src, &qasm.Options{AllowOpaque: true, NoExpandLimit: true, ConfineIncludes: opts.confine})
	for _, w := range warnings {
		fmt.Fprintln(opts.errOut, w) // "file:line:col: warning: ..."
	}
	if err != nil {
		return err
	}
	out, err := qasm.Format(c, qasm.WriteOptions{Version: version, Flatten: opts.flatten, Params: vals})
	if err != nil {
		return err
	}
	return writeOutput(opts.out, opts.output, out)
}

// writeOutput writes data to the file path atomically, or to w when path
// is "" or "-".
func writeOutput(w io.Writer, path string, data []byte) error {
	if path == "" || path == "-" {
		_, err := w.Write(data)
		return err
	}
	return atomicfile.WriteBytes(path, data)
}
