package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"

	"born/bornmachine"
	"born/compare"
	"born/dataset"
)

type compareOptions struct {
	out, errOut io.Writer

	data   string
	models []string
	seeds  int
	seed   uint64
	steps  int
	sigmas string
	dir    string
	format string
	quiet  bool
	// testFraction < 0: the data's default.
	testFraction float64
	splitSeed    uint64
}

func newCompareCmd(runF func(*compareOptions) error) *cobra.Command {
	opts := &compareOptions{}
	cmd := &cobra.Command{
		Use:         "compare",
		Annotations: map[string]string{gracefulAnnotation: "stops between models"},
		Short:       "Compare circuit, neural-network and tensor-network Born machines on the same data",
		Long: `Train every model named by --models with every seed on the same data, then
report per model the parameter count, KL(data||model), NLL on the training
data and on held-out test data, the exact MMD with one kernel for all, the
mass on the data's support (the valid patterns for bars-and-stripes),
training time and steps, as mean +- standard deviation over seeds. Above 24
bits KL, MMD and valid mass need the full distribution
and are skipped; the NLLs are exact for mps and flow, and for an rbm whose
smaller layer has at most 20 units, else AIS estimates with their standard
error.

Data (--data): bas:RxC, gauss:N[:mu,sigma], digits, idx:PATH[:RxC][:T][:n=N]
(see born train --help) or file:PATH. --test-fraction holds out that share
of the data points (default 0.2 for image data, 0 for the others), the same
for every model (--split-seed).

Models: qcbm:DEPTH[:pairs] or hea:DEPTH (quantum circuit Born machines: Adam
lr 0.1, MMD loss, exact adjoint gradients, 1000 steps), rbm:H (restricted
Boltzmann machine with H hidden units: exact likelihood, Adam lr 0.05, 5000
steps; when both layers exceed 20 units, PCD with lr 0.002), flow:H (MADE
autoregressive flow: Adam lr 0.01, 500 steps). --steps overrides every
model's number of steps.

--out DIR receives report.md, report.json (the fields of the table, per run
and summarised), compare.png (KL against step for every model; model
probabilities next to the data's; above 24 bits, the test NLL against
training time) and models/<model>-seed<S>/ with each trained model.json and
history.csv.`,
		Example: `  born compare --data bas:3x3 --models qcbm:10,rbm:16,flow:16 --seeds 3 --out cmp
  born compare --data bas:2x3 --models qcbm:4,rbm:8,flow:8 --steps 200 --out quick`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.out, opts.errOut = cmd.OutOrStdout(), cmd.ErrOrStderr()
			if !cmd.Flags().Changed("test-fraction") {
				opts.testFraction = -1 // the data's default
			}
			if runF != nil {
				return runF(opts)
			}
			return runCompare(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.data, "data", "bas:3x3", "dataset: bas:RxC, gauss:N[:mu,sigma], digits, idx:PATH[:RxC][:T] or file:PATH")
	f.Float64Var(&opts.testFraction, "test-fraction", 0, "share of the data points held out as a test set, in (0,1), or 0 for none (default: 0.2 for image data, 0 otherwise)")
	f.Uint64Var(&opts.splitSeed, "split-seed", 1, "random seed of the train/test split")
	f.StringSliceVar(&opts.models, "models", []string{"qcbm:10", "rbm:16", "flow:16"}, "models to compare, comma-separated")
	f.IntVar(&opts.seeds, "seeds", 3, "number of seeds per model")
	f.Uint64Var(&opts.seed, "seed", 1, "first seed; the seeds are seed, seed+1, ...")
	f.IntVar(&opts.steps, "steps", 0, "training steps for every model (0: each model's default)")
	f.StringVar(&opts.sigmas, "sigmas", "0.5,1,2,4", "MMD kernel bandwidths, K(x,y) = sum_s exp(-|x-y|^2/(2s))")
	f.StringVar(&opts.dir, "out", "", "output directory (default runs/compare-<date>-<time>)")
	f.StringVar(&opts.format, "format", "text", "stdout format: text or json")
	f.BoolVar(&opts.quiet, "quiet", false, "no progress on stderr")
	return inFlagWords(cmd)
}

func runCompare(opts *compareOptions) error {
	if opts.format != "text" && opts.format != "json" {
		return fmt.Errorf("--format %q: use text or json", opts.format)
	}
	if opts.seeds < 1 {
		return fmt.Errorf("--seeds %d: need at least 1", opts.seeds)
	}
	if opts.dir == "" {
		dir, err := newRunDir("compare-")
		if err != nil {
			return err
		}
		opts.dir = dir
	}
	sigmas, err := dataset.ParseSigmas(opts.sigmas)
	if err != nil {
		return err
	}
	if opts.testFraction != -1 {
		if err := dataset.CheckTestFraction(opts.testFraction); err != nil {
			return err // names --test-fraction
		}
	}
	cfg := compare.Config{Data: opts.data, TestFraction: opts.testFraction, SplitSeed: opts.splitSeed, Models: opts.models,
		Steps: opts.steps, Sigmas: sigmas, Out: opts.dir, Program: version}
	for i := 0; i < opts.seeds; i++ {
		cfg.Seeds = append(cfg.Seeds, opts.seed+uint64(i))
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	finish := func(error) {}
	if !opts.quiet && isTerminal(opts.errOut) {
		var kinds []string
		for _, m := range cfg.Models {
			for range cfg.Seeds {
				kinds = append(kinds, m)
			}
		}
		prog := newJobProgress(opts.errOut, true, true, "trial", kinds)
		running := false
		cfg.Started = func(model string, seed uint64, k, trials int) {
			if running {
				prog.end("done", false)
			}
			prog.begin(fmt.Sprintf("%s seed %d", model, seed), model)
			running = true
		}
		cfg.Progress = func(model string, seed uint64, r bornmachine.Record, steps int) {
			msg := fmt.Sprintf("step %d/%d  KL %.4f", r.Step, steps, r.KL)
			if math.IsNaN(r.KL) {
				msg = fmt.Sprintf("step %d/%d  loss %.4f", r.Step, steps, r.Loss)
			}
			prog.step(r.Step, steps, msg)
		}
		finish = func(err error) {
			if running {
				state := "done"
				if err != nil {
					state = "stopped"
				}
				prog.end(state, false)
			}
			prog.finish()
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	rep, err := compare.Run(ctx, cfg)
	finish(err)
	if err != nil {
		return err
	}
	for _, w := range rep.Warnings {
		fmt.Fprintln(opts.errOut, "warning:", w)
	}
	if opts.format == "json" {
		return writeJSON(opts.out, rep)
	}
	if err := rep.WriteTable(opts.out); err != nil {
		return err
	}
	_, err = fmt.Fprintf(opts.out, "report: %s\n", filepath.Join(opts.dir, compare.ReportMD))
	return err
}
