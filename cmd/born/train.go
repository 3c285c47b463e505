package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"born/bornmachine"
	"born/bornmachine/figures"
	"born/bornmachine/mpsbm"
	"born/dataset"
	"born/internal/atomicfile"
	"born/model"
	"born/models"
)

type trainOptions struct {
	out, errOut io.Writer
	ctx         context.Context // nil: cancelled by SIGINT and SIGTERM

	spec     bornmachine.RunSpec
	sigmas   string
	dir      string
	resume   string
	quiet    bool
	workers  int
	changed  func(flag string) bool
	progress bool // draw a progress bar on errOut
	// testFraction is --test-fraction; not given, the data's default
	// (dataset.DefaultTestFraction).
	testFraction float64
}

// resumeFlags are the flags that may accompany --resume.
var resumeFlags = map[string]bool{"resume": true, "steps": true, "quiet": true, "workers": true}

func newTrainCmd(runF func(*trainOptions) error) *cobra.Command {
	opts := &trainOptions{spec: bornmachine.DefaultRunSpec()}
	cmd := &cobra.Command{
		Use:         "train",
		Annotations: map[string]string{gracefulAnnotation: "checkpoint"},
		Short:       "Train a quantum circuit or tensor-network Born machine on data",
		Long: `Train a quantum circuit Born machine (Liu & Wang, PRA 98, 062324, 2018) on data,
or (--model mps:CHI) a matrix-product-state Born machine (Han et al., PRX 8,
031012, 2018).

Without flags it trains BAS 2x3 on a depth-7 circuit (132 parameters), the
reference code's demo, in seconds.

Data (--data): bas:RxC (bars and stripes, pixel (i,j) is qubit i*C+j),
gauss:N[:mu,sigma] (a discretised Gaussian on 0..2^N-1), digits (1797 8x8
handwritten digits, binarized: 64 bits), idx:PATH[:RxC][:T][:n=N] (images of
an MNIST-format IDX file, downsampled to RxC by block means, pixel on at mean
intensity >= T x 255, default 0.5; n=N keeps the first N) or file:PATH (one
bitstring q[n-1]...q[0] per line, or bitstring,weight).
--test-fraction F holds out that share of the data points (default 0.2 for
image data such as digits, 0 for the others; bas and gauss are distributions
and take none), chosen with --split-seed; history.csv and the summary then
carry the test NLL (nats per data point). Above 24 bits KL, valid mass and MMD
need the full distribution and are skipped (NaN in history.csv); the NLL is
exact for mps models.
Circuit (--ansatz): qcbm:DEPTH[:PAIRS] (DEPTH+1 layers of Rz Rx Rz with CNOT
entanglers on PAIRS = chowliu (default), line, ring, grid or a list 0-1,1-2) or
hea:DEPTH (Ry Rz layers with CZ ladders); or (--circuit) an OpenQASM file whose
input parameters are trained. The circuit runs on --engine statevector (exact)
or mps, mps:CHI (matrix product states; the shift gradient only).

Model (--model mps:CHI): an MPS Born machine p(x) = |Psi(x)|^2 with bond
dimension at most CHI, trained by sweeps of two-site updates on the exact
negative log-likelihood (one step = one sweep left to right and back; --lr is
the largest gradient step on a merged pair, --cutoff the relative
singular-value cutoff of the splits). Its defaults differ: --optimizer sweep,
--loss nll, --lr 0.1, --steps 40.

The run directory (--out; default runs/<date>-<time>, with -2, -3, ... added
when runs start in the same second) receives model.json, history.csv (step,
loss, kl, valid_mass, wall_seconds, test_nll), circuit.qasm (OpenQASM 3,
trained parameters bound), loss.png and distribution.png (above 24 bits:
loss.png shows the training and test NLL per step, samples.png 64 samples of
image data, and there is no distribution.png); model.json and history.csv
are rewritten atomically every --checkpoint-every steps and on SIGINT/SIGTERM,
and --resume DIR continues a run exactly where it stopped. When training ends,
one line of JSON goes to stdout: {"out", "data", "ansatz", "circuit" or
"model", "params", "steps", "stop" (steps, tol or lbfgs: <status>), "loss"
(the last history row's), "kl", "nll", "test_nll", "valid_mass" (model mass
on the data's support: the valid patterns of bas), "mmd" (exact, for the mmd
loss), "skipped" (the metrics not measured above 24 bits, which are left
out), "seconds"}. A progress bar goes to stderr when it is a terminal (--quiet
turns it off).`,
		Example: `  born train
  born train --data bas:3x3 --ansatz qcbm:10 --grad adjoint --steps 1000
  born train --data bas:2x2 --ansatz qcbm:4 --shots 1000
  born train --data gauss:10 --ansatz qcbm:10:line --sigmas 0.25,10,1000 --grad adjoint
  born train --data bas:4x4 --model mps:32 --steps 10
  born train --data file:images.txt --model mps:32 --steps 10 --test-fraction 0.2
  born train --data bas:3x3 --ansatz qcbm:6 --engine mps
  born train --resume runs/20260101-120000 --steps 2000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.out, opts.errOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			opts.changed = cmd.Flags().Changed
			opts.progress = !opts.quiet && isTerminal(opts.errOut)
			if runF != nil {
				return runF(opts)
			}
			return runTrain(opts)
		},
	}
	s := &opts.spec
	f := cmd.Flags()
	f.StringVar(&s.Data, "data", s.Data, "dataset: bas:RxC, gauss:N[:mu,sigma], digits, idx:PATH[:RxC][:T] or file:PATH")
	f.Float64Var(&opts.testFraction, "test-fraction", 0, "share of the data points held out as a test set, in (0,1), or 0 for none (default: 0.2 for image data, 0 otherwise)")
	f.Uint64Var(&s.SplitSeed, "split-seed", s.SplitSeed, "random seed of the train/test split")
	f.StringVar(&s.Ansatz, "ansatz", s.Ansatz, "circuit: qcbm:DEPTH[:PAIRS] or hea:DEPTH")
	f.StringVar(&s.Circuit, "circuit", "", "OpenQASM file of the circuit instead of --ansatz; its input parameters are trained")
	f.StringVar(&s.Model, "model", "", "train a tensor-network Born machine instead of a circuit: mps:CHI")
	f.Float64Var(&s.Cutoff, "cutoff", 0, "mps model: relative singular-value cutoff of the sweeps' splits (0: 1e-8)")
	f.StringVar(&s.Engine, "engine", s.Engine, "circuit engine: statevector, mps or mps:CHI")
	f.StringVar(&s.Init, "init", "", "JSON file of initial parameters (a model.json, {\"params\": [...]} or an array), or marginals (the product state of the data's bit marginals); default: uniform in [0, 2pi) from --seed")
	f.StringVar(&s.Loss, "loss", s.Loss, "loss: mmd, kl or nll")
	f.StringVar(&opts.sigmas, "sigmas", "0.5,1,2,4", "MMD kernel bandwidths, K(x,y) = sum_s exp(-|x-y|^2/(2s))")
	f.StringVar(&s.Grad, "grad", s.Grad, "gradient: shift (parameter-shift rule) or adjoint")
	f.IntVar(&s.Shots, "shots", 0, "estimate the loss and the shift gradient from this many samples per circuit run (0: exact)")
	f.StringVar(&s.Optimizer, "optimizer", s.Optimizer, "optimizer: adam or lbfgs")
	f.Float64Var(&s.LR, "lr", s.LR, "learning rate of adam (and the largest step of mps sweeps); lbfgs takes none")
	f.IntVar(&s.Steps, "steps", s.Steps, "optimizer steps (L-BFGS iterations) in total")
	f.Float64Var(&s.Tol, "tol", 0, "stop early once every gradient component is at most this (sweeps: once a sweep lowers the loss by at most this; 0: never)")
	f.Uint64Var(&s.Seed, "seed", s.Seed, "random seed for the initial parameters and all sampling")
	f.StringVar(&opts.dir, "out", "", "run directory (default runs/<timestamp>)")
	f.IntVar(&s.CheckpointEvery, "checkpoint-every", s.CheckpointEvery, "steps between checkpoints")
	f.StringVar(&opts.resume, "resume", "", "continue the run in this directory")
	f.BoolVar(&opts.quiet, "quiet", false, "no progress bar")
	f.IntVar(&opts.workers, "workers", 0, "goroutines for the shift gradient (0: all cores); never changes results")
	return inFlagWords(cmd)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func runTrain(opts *trainOptions) error {
	if opts.workers < 0 {
		return fmt.Errorf("--workers %d: use 0 (all cores) or a positive count", opts.workers)
	}
	var run *bornmachine.Run
	var err error
	if opts.resume != "" {
		for _, name := range []string{"data", "ansatz", "circuit", "model", "cutoff", "engine", "init", "loss", "sigmas", "grad", "shots", "optimizer", "lr", "tol", "seed", "out", "checkpoint-every"} {
			if opts.changed != nil && opts.changed(name) && !resumeFlags[name] {
				return fmt.Errorf("--%s cannot change when resuming: the run keeps its settings (only --steps, --workers and --quiet may be given with --resume)", name)
			}
		}
		if run, err = models.OpenRun(opts.resume); err != nil {
			return err
		}
		if opts.changed != nil && opts.changed("steps") {
			if opts.spec.Steps < run.State.Step {
				return fmt.Errorf("--steps %d: the run has already done %d steps", opts.spec.Steps, run.State.Step)
			}
			run.Spec.Steps = opts.spec.Steps
		}
		removed := atomicfile.RemoveStale(run.Dir)
		if run.State.Done && run.State.Step >= run.Spec.Steps {
			// A run stopped after its final checkpoint and before its
			// outputs: make the missing ones.
			missing := missingOutputs(run)
			if len(missing) == 0 && len(removed) == 0 {
				return fmt.Errorf("the run in %s is complete (%d steps) with all its outputs; give --steps above %d to train further", opts.resume, run.State.Step, run.State.Step)
			}
			if len(missing) > 0 {
				if err := writePlots(run); err != nil {
					return err
				}
			}
			fmt.Fprintf(opts.errOut, "note: the run in %s is complete (%d steps)%s%s\n", opts.resume, run.State.Step,
				listNote("; made the missing ", missing), listNote("; removed the unfinished ", removed))
			return writeSummary(opts.out, run)
		}
	} else {
		if opts.spec.Optimizer == bornmachine.OptLBFGS && opts.changed != nil && opts.changed("lr") {
			return fmt.Errorf("--lr %g: --optimizer lbfgs takes no learning rate (its line search chooses every step); drop --lr, or use --optimizer adam", opts.spec.LR)
		}
		if opts.spec.Sigmas, err = dataset.ParseSigmas(opts.sigmas); err != nil {
			return err
		}
		opts.spec.TestFraction = opts.testFraction
		if opts.changed == nil || !opts.changed("test-fraction") {
			opts.spec.TestFraction = dataset.DefaultTestFraction(opts.spec.Data)
		} else if err := dataset.CheckTestFraction(opts.testFraction); err != nil {
			return err // names --test-fraction
		}
		if opts.spec.Circuit != "" {
			if opts.changed != nil && opts.changed("ansatz") {
				return fmt.Errorf("give --ansatz or --circuit, not both")
			}
			opts.spec.Ansatz = ""
		}
		if opts.spec.Model != "" {
			if err := modelDefaults(opts); err != nil {
				return err
			}
		}
		dir := opts.dir
		if dir == "" {
			if dir, err = newRunDir(""); err != nil {
				return err
			}
		}
		run, err = bornmachine.NewRun(dir, opts.spec, version)
		if run != nil {
			for _, w := range run.Warnings {
				fmt.Fprintln(opts.errOut, w) // "file:line:col: warning: ..."
			}
		}
		if errors.Is(err, bornmachine.ErrRunExists) {
			return fmt.Errorf("%s already holds a run; continue it with --resume %s or choose another --out", dir, dir)
		}
		if err != nil {
			return withEngineHint(err)
		}
	}
	ctx := opts.ctx
	if ctx == nil {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
	}
	var bar *progressBar
	var onRecord func(bornmachine.Record)
	if opts.progress {
		bar = &progressBar{w: opts.errOut, total: run.Spec.Steps, first: run.State.Step, start: time.Now()}
		onRecord = bar.update
	}
	err = run.Train(ctx, opts.workers, onRecord)
	if bar != nil {
		bar.finish()
	}
	if errors.Is(err, bornmachine.ErrInterrupted) {
		if perr := writePlots(run); perr != nil {
			fmt.Fprintln(opts.errOut, "warning:", perr)
		}
		return fmt.Errorf("%v; the checkpoint is saved: continue with born train --resume %s", err, run.Dir)
	}
	if err != nil {
		return withEngineHint(err)
	}
	// The training succeeded and model.json holds it: a plot that cannot
	// be drawn is a warning, not a failure.
	if err := writePlots(run); err != nil {
		fmt.Fprintln(opts.errOut, "warning: plots:", err)
	}
	return writeSummary(opts.out, run)
}

// missingOutputs lists the files writePlots makes for run that its folder
// lacks.
func missingOutputs(run *bornmachine.Run) []string {
	var missing []string
	for _, f := range plotFiles(run) {
		if _, err := os.Stat(filepath.Join(run.Dir, f.name)); err != nil {
			missing = append(missing, f.name)
		}
	}
	return missing
}

// listNote returns prefix followed by the names, or "" for none.
func listNote(prefix string, names []string) string {
	if len(names) == 0 {
		return ""
	}
	return prefix + strings.Join(names, ", ")
}

// modelDefaults applies the defaults of a --model run to the flags not
// given, and refuses circuit flags.
func modelDefaults(opts *trainOptions) error {
	changed := func(name string) bool { return opts.changed != nil && opts.changed(name) }
	for _, name := range []string{"ansatz", "circuit", "engine", "grad", "shots", "init"} {
		if changed(name) {
			return fmt.Errorf("--%s is for circuits; --model %s is a tensor-network Born machine", name, opts.spec.Model)
		}
	}
	s := &opts.spec
	d := mpsbm.DefaultSettings()
	s.Ansatz, s.Circuit, s.Grad = "", "", ""
	if !changed("optimizer") {
		s.Optimizer = bornmachine.OptSweep
	}
	if !changed("loss") {
		s.Loss = d.Loss
	}
	if !changed("lr") {
		s.LR = d.LR
	}
	if !changed("steps") {
		s.Steps = d.Sweeps
	}
	return nil
}

// plotFile is a file writePlots makes in a run's folder.
type plotFile struct {
	name  string
	write func(io.Writer) error
}

// plotFiles returns the files writePlots makes for run: circuit.qasm (a
// QCBM's circuit with the trained parameters bound), loss.png and
// distribution.png; above 24 bits (no KL, no full distribution) loss.png
// draws the training loss and the test NLL per step, and image data get
// samples.png (64 samples of the model in a grid) instead of
// distribution.png.
func plotFiles(run *bornmachine.Run) []plotFile {
	var files []plotFile
	if q, ok := run.Model.(*bornmachine.QCBM); ok {
		files = append(files, plotFile{"circuit.qasm", q.WriteQASM})
	}
	wide := run.Data.Bits > dataset.MaxExactBits
	if len(run.History) > 0 {
		files = append(files, plotFile{"loss.png", func(w io.Writer) error {
			if wide {
				return figures.NLLPlot(w, run.History, run.Data.Bits, run.Spec.Loss, historyUnit(run))
			}
			return figures.LossPlot(w, run.History, run.Spec.Loss, historyUnit(run))
		}})
	}
	switch {
	case !wide:
		files = append(files, plotFile{"distribution.png", func(w io.Writer) error {
			p, err := run.Model.Probabilities()
			if err != nil {
				return err
			}
			return figures.DistributionPlot(w, run.Data, p)
		}})
	case run.Data.IsImage():
		files = append(files, plotFile{"samples.png", func(w io.Writer) error {
			samples, err := model.SampleWords(run.Model, 64, 1)
			if err != nil {
				return err
			}
			return figures.ImageGrid(w, samples, run.Data.Rows, run.Data.Cols, 8, nil)
		}})
	}
	return files
}

// writePlots writes plotFiles(run) into the run directory.
func writePlots(run *bornmachine.Run) error {
	for _, f := range plotFiles(run) {
		if err := atomicfile.Write(filepath.Join(run.Dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

func historyUnit(run *bornmachine.Run) string {
	if run.Spec.Optimizer == bornmachine.OptSweep {
		return "sweep (two-site MPS sweeps)"
	}
	return "step"
}

// trainSummary is the JSON line born train prints when it finishes.
type trainSummary struct {
	Out       string   `json:"out"`
	Data      string   `json:"data"`
	Ansatz    string   `json:"ansatz,omitempty"`
	Circuit   string   `json:"circuit,omitempty"`
	Model     string   `json:"model,omitempty"`
	Params    int      `json:"params"`
	Steps     int      `json:"steps"`
	Stop      string   `json:"stop"`
	Loss      float64  `json:"loss"`
	KL        *float64 `json:"kl,omitempty"`
	NLL       float64  `json:"nll"`
	TestNLL   *float64 `json:"test_nll,omitempty"`
	ValidMass *float64 `json:"valid_mass,omitempty"`
	MMD       *float64 `json:"mmd,omitempty"`
	Skipped   string   `json:"skipped,omitempty"`
	Seconds   float64  `json:"seconds"`
}

func numOrNil(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func writeSummary(w io.Writer, run *bornmachine.Run) error {
	s := trainSummary{Out: run.Dir, Data: run.Data.Spec, Circuit: run.Spec.Circuit, Model: run.Spec.Model, Params: run.Model.NumParams(), Steps: run.State.Step, Stop: run.State.Stop, Seconds: run.State.Wall}
	if q, ok := run.Model.(*bornmachine.QCBM); ok && q.Ansatz() != nil {
		s.Ansatz = q.Ansatz().String()
	}
	if len(run.History) > 0 {
		s.Loss = run.History[len(run.History)-1].Loss
	}
	if m := run.Metrics; m != nil {
		s.KL, s.NLL, s.ValidMass, s.MMD = numOrNil(m.KL), m.NLL, numOrNil(m.ValidMass), m.MMD
		s.TestNLL, s.Skipped = m.TestNLL, m.Skipped
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(b))
	return err
}

// progressBar draws "[=====>    ] step 120/1000  loss 1.2e-03  KL 0.123  ETA 12s"
// on one terminal line, at most ten times a second.
type progressBar struct {
	w            io.Writer
	total, first int
	start, last  time.Time
	drawn        bool
}

func (b *progressBar) update(r bornmachine.Record) {
	now := time.Now()
	if b.drawn && now.Sub(b.last) < 100*time.Millisecond && r.Step < b.total {
		return
	}
	b.last, b.drawn = now, true
	const width = 24
	frac := float64(r.Step) / float64(max(1, b.total))
	done := int(frac * width)
	bar := strings.Repeat("=", done) + strings.Repeat(" ", width-done)
	if done < width {
		bar = strings.Repeat("=", done) + ">" + strings.Repeat(" ", width-done-1)
	}
	eta := "--"
	if k := r.Step - b.first; k > 0 {
		left := time.Duration(float64(now.Sub(b.start)) / float64(k) * float64(b.total-r.Step))
		eta = left.Round(time.Second).String()
	}
	fmt.Fprintf(b.w, "\r[%s] step %d/%d  loss %.3e  KL %.4f  ETA %s   ", bar, r.Step, b.total, r.Loss, r.KL, eta)
}

func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}
