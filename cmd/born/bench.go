package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"born/bench"
	"born/statevector"
)

type benchOptions struct {
	out, errOut io.Writer

	qubits      string
	precision   string
	circuits    string
	fuse        int
	threads     int
	cycles      int
	json        bool // the old --json, hidden: --format json
	format      string
	maxMemory   string
	minTime     time.Duration
	baseline    bool
	baselineMax int
	bandwidthN  int
	seed        uint64
	qsim        string
	qsimFuse    string
	kernels     string
}

func newBenchCmd(runF func(*benchOptions) error) *cobra.Command {
	opts := &benchOptions{}
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the state-vector engine on standard circuits",
		Long: `Measure the state-vector engine on standard circuits and compare with itsubaki/q.

Circuits: 1q and 2q (one random 1- or 2-qubit gate per qubit, unfused: the raw
kernels), h (H on every qubit), random (qsim-style: random sqrt(X), sqrt(Y),
sqrt(W) on every qubit, then fSim on a brick pattern, per cycle), qft, and
qcbm (the Born machine for bars and stripes 3x3, 9 qubits, depth 10, 279
parameters; also times the 559 runs of one parameter-shift gradient).

For each it prints ns per amplitude per gate, the memory traffic in GB/s and
as a fraction of a plain copy stream measured first, and the time on
itsubaki/q v0.0.11 with the speedup (marked where itsubaki/q's run is not
like-for-like: it is double precision only and runs fSim as 9 gates).
Times are the best of several runs. The header says which kernel set runs
(avx512, avx2 or portable) and why.

--qsim PATH runs the random circuit on qsim too: PATH is qsim's qsim_base
app, built from github.com/quantumlib/qsim (for example
g++ -O3 -march=native -fopenmp -o qsim_base apps/qsim_base.cc). The circuit
is written in qsim's format and run with the same threads at each of
--qsim-fuse's fusion sizes; its best time (qsim's own figure for the gates)
and born/qsim, the ratio of the times, are reported, with a check that its
first amplitudes match born's. qsim runs with OMP_WAIT_POLICY=passive unless
the environment sets it.`,
		Example: `  born bench --qubits 16,20,24 --precision single,double
  born bench --qubits 24 --circuits random --cycles 20 --threads 2
  born bench --qubits 20,24,26 --circuits random --threads 2 --qsim ../qsim/apps/qsim_base
  born bench --qubits 30 --precision single --circuits 1q,h --max-memory 12GiB --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.out, opts.errOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			if opts.json {
				if cmd.Flags().Changed("format") && opts.format != "json" {
					return fmt.Errorf("--json and --format %s disagree: give --format", opts.format)
				}
				opts.format = "json"
			}
			if runF != nil {
				return runF(opts)
			}
			return runBench(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.qubits, "qubits", "16,20,24", "state sizes: a list such as 16,20,24 or a range such as 20-26")
	f.StringVar(&opts.precision, "precision", "single,double", "precisions to measure: single, double or both")
	f.StringVar(&opts.circuits, "circuits", strings.Join(bench.Circuits, ","), "circuits to run")
	f.IntVar(&opts.fuse, "fuse", -1, fmt.Sprintf("gate fusion limit in qubits, 0 to %d (0: none; -1: the default for the precision)", statevector.MaxFuse))
	f.IntVar(&opts.threads, "threads", 0, "workers per state (0: all cores for large states)")
	f.IntVar(&opts.cycles, "cycles", 20, "cycles of the random circuit")
	f.StringVar(&opts.format, "format", "text", "report format: text or json")
	f.BoolVar(&opts.json, "json", false, "the report as JSON (old spelling of --format json)")
	_ = f.MarkHidden("json")
	f.StringVar(&opts.maxMemory, "max-memory", "", "largest state to allocate, e.g. 12GiB (default: half of physical memory)")
	f.DurationVar(&opts.minTime, "min-time", 300*time.Millisecond, "time each measurement at least this long")
	f.BoolVar(&opts.baseline, "baseline", true, "also run the circuits on itsubaki/q v0.0.11")
	f.IntVar(&opts.baselineMax, "baseline-max-qubits", 22, "largest state to run on itsubaki/q (it is slow)")
	f.IntVar(&opts.bandwidthN, "bandwidth-qubits", 26, "size the bandwidth probe's buffer as 8*2^n bytes (negative: skip)")
	f.Uint64Var(&opts.seed, "seed", 1, "seed of the random circuits and parameters")
	f.StringVar(&opts.qsim, "qsim", "", "qsim's qsim_base app: also run the random circuit on it")
	f.StringVar(&opts.qsimFuse, "qsim-fuse", "2,3,4", "qsim fusion sizes (-f) to try; the best counts")
	f.StringVar(&opts.kernels, "kernels", "", "kernel set to use (avx512, avx2 or portable; default: the fastest the CPU runs)")
	return inFlagWords(cmd)
}

func runBench(opts *benchOptions) error {
	if opts.format != "text" && opts.format != "json" {
		return fmt.Errorf("--format %q: use text or json", opts.format)
	}
	cfg := bench.Config{Fuse: opts.fuse, Threads: opts.threads, Cycles: opts.cycles, MinTime: opts.minTime,
		Baseline: opts.baseline, BaselineMaxQubits: opts.baselineMax, BandwidthQubits: opts.bandwidthN, Seed: opts.seed}
	var err error
	if cfg.Qubits, err = bench.ParseQubits(opts.qubits); err != nil {
		return fmt.Errorf("--qubits: %w", err)
	}
	for _, s := range strings.Split(opts.precision, ",") {
		p, err := statevector.ParsePrecision(s)
		if err != nil {
			return fmt.Errorf("--precision: %w", err)
		}
		cfg.Precisions = append(cfg.Precisions, p)
	}
	for _, s := range strings.Split(opts.circuits, ",") {
		if s = strings.TrimSpace(s); s != "" {
			cfg.Circuits = append(cfg.Circuits, s)
		}
	}
	if opts.fuse > statevector.MaxFuse || opts.fuse < -1 {
		return fmt.Errorf("--fuse %d: use 0 to %d, or -1 for the default", opts.fuse, statevector.MaxFuse)
	}
	if opts.kernels != "" {
		if err := statevector.UseKernels(opts.kernels); err != nil {
			return fmt.Errorf("--kernels: %w", err)
		}
	}
	if opts.qsim != "" {
		cfg.QsimPath = opts.qsim
		for _, s := range strings.Split(opts.qsimFuse, ",") {
			f, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || f < 1 || f > 6 {
				return fmt.Errorf("--qsim-fuse: %q is not a fusion size from 1 to 6", s)
			}
			cfg.QsimFuse = append(cfg.QsimFuse, f)
		}
	}
	if opts.maxMemory != "" {
		if cfg.MaxMemory, err = parseMaxMemory(opts.maxMemory); err != nil {
			return fmt.Errorf("--max-memory: %w", err)
		}
	}
	cfg.Progress = func(r bench.Result) {
		flagHints(&r)
		if r.Error != "" {
			fmt.Fprintf(opts.errOut, "%s, %d qubits, %s: %s\n", r.Circuit, r.Qubits, r.Precision, r.Error)
			return
		}
		q := ""
		if r.Qsim != nil && r.Qsim.Error == "" {
			q = fmt.Sprintf("  born/qsim %.2fx", r.Qsim.Ratio)
		}
		fmt.Fprintf(opts.errOut, "%-6s %2d qubits %-6s %8.4f ns/amp/gate%s\n", r.Circuit, r.Qubits, r.Precision, r.NsPerAmpGate, q)
	}
	rep, err := bench.Run(cfg)
	if err != nil {
		return err
	}
	for i := range rep.Results {
		flagHints(&rep.Results[i])
	}
	if opts.kernels == "portable" && len(rep.KernelsAvailable) > 1 {
		rep.Build = "portable Go kernels, selected by --kernels"
	}
	if opts.format == "json" {
		err = rep.WriteJSON(opts.out)
	} else {
		err = rep.WriteText(opts.out)
	}
	if err != nil {
		return err
	}
	return allFailed(rep)
}

// flagHints tells the user which flag lifts a limit the library reports in
// its own terms, where raising it can help. (Progress sees a copy of each
// result, so each gets its hint once.)
func flagHints(r *bench.Result) {
	if r.MemoryNeeded == 0 {
		return
	}
	if phys := statevector.PhysicalMemory(); phys == 0 || r.MemoryNeeded <= phys {
		r.Error += " (raise --max-memory to allow it)"
	}
}

// allFailed returns an error when no measurement at the requested sizes
// succeeded, so that the exit status says so. The qcbm circuit always has
// 9 qubits: it counts only when it is the only circuit measured.
func allFailed(rep *bench.Report) error {
	sized := make([]bench.Result, 0, len(rep.Results))
	for _, r := range rep.Results {
		if r.Circuit != "qcbm" {
			sized = append(sized, r)
		}
	}
	if len(sized) == 0 {
		sized = rep.Results
	}
	for _, r := range sized {
		if r.Error == "" {
			return nil
		}
	}
	if len(sized) == 0 {
		return fmt.Errorf("nothing was measured")
	}
	what := "every measurement failed"
	if len(sized) < len(rep.Results) {
		what = "every measurement at the requested sizes failed"
	}
	return fmt.Errorf("%s (%d of %d): %s", what, len(sized), len(sized), sized[0].Error)
}
