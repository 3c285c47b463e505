package mpsbm

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"born/bornmachine"
	"born/dataset"
	"born/internal/setting"
	"born/model"
)

// Spec names an MPS Born machine as on the command line: mps:CHI, CHI the
// bond-dimension cap.
type Spec struct {
	BondDim int
}

// ParseSpec reads "mps:CHI" (CHI at least 1).
func ParseSpec(s string) (Spec, error) {
	kind, arg, ok := strings.Cut(s, ":")
	if kind != Kind {
		return Spec{}, fmt.Errorf("unknown tensor-network model %q: use mps:CHI with CHI the bond dimension, as in mps:16", s)
	}
	chi, err := strconv.Atoi(arg)
	if !ok || err != nil {
		return Spec{}, fmt.Errorf("model %q: give the bond dimension, as in mps:16", s)
	}
	if chi < 1 {
		return Spec{}, fmt.Errorf("model %q: bond dimension %d; need at least 1, as in mps:16", s, chi)
	}
	return Spec{BondDim: chi}, nil
}

// String returns "mps:CHI".
func (s Spec) String() string { return fmt.Sprintf("%s:%d", Kind, s.BondDim) }

// Settings are the training settings of an MPS Born machine.
type Settings struct {
	// Loss is nll (default) or kl; both have the same gradient.
	Loss string
	// LR is the largest step of the gradient steps on a merged pair (the
	// pair is normalised, so this is a step on the unit sphere).
	LR float64
	// PairSteps is the number of gradient steps on each pair per visit
	// (0: DefaultPairSteps).
	PairSteps int
	// Sweeps is the number of training steps, each a sweep left to right
	// and back.
	Sweeps int
	// Tol > 0 stops early once a sweep lowers the loss by at most Tol.
	Tol float64
	// Cutoff is the relative singular-value cutoff of the splits (0:
	// DefaultCutoff).
	Cutoff float64
	// Seed seeds the initial tensors.
	Seed uint64
}

// DefaultSettings returns the settings of the MPS anchors: NLL, step 0.1,
// DefaultPairSteps steps per pair, 40 sweeps, cutoff DefaultCutoff, seed 1.
func DefaultSettings() Settings {
	return Settings{Loss: dataset.LossNLL, LR: 0.1, PairSteps: DefaultPairSteps, Sweeps: 40, Cutoff: DefaultCutoff, Seed: 1}
}

// NewModel returns the model spec names for data, with real tensors drawn
// from set.Seed (see New).
func NewModel(spec Spec, data *dataset.Dataset, set Settings) (*Model, error) {
	if data == nil {
		return nil, fmt.Errorf("%s: no data", spec)
	}
	if spec.BondDim < 1 {
		return nil, fmt.Errorf("%s: bond dimension %d; need at least 1", spec, spec.BondDim)
	}
	m, err := New(data.Bits, spec.BondDim, set.Cutoff, set.Seed)
	if err != nil {
		return nil, err
	}
	m.PairSteps = set.PairSteps
	return m, nil
}

// Result is a trained MPS Born machine.
type Result struct {
	Spec  Spec
	Model *Model
	// History has one row per sweep, 0 (the initial tensors) to Sweeps:
	// the loss (the NLL with the default loss), KL(data || model), valid
	// mass and wall time.
	History []bornmachine.Record
	Metrics *model.Metrics // after training
	// Method is how the model was trained: "sweep".
	Method  string
	Seconds float64 // training time
}

// Train builds the model named by spec (ParseSpec, as in mps:16),
// initialises it and trains it on data with set.Sweeps sweeps through
// bornmachine.Trainer; the history records the NLL of test (nil: none). ctx can stop training early (the error then wraps
// bornmachine.ErrInterrupted).
func Train(ctx context.Context, spec string, data, test *dataset.Dataset, set Settings) (*Result, error) {
	sp, err := ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	if set.Loss == "" {
		set.Loss = dataset.LossNLL
	}
	m, err := NewModel(sp, data, set)
	if err != nil {
		return nil, err
	}
	cfg := bornmachine.TrainConfig{
		ObjectiveConfig: model.ObjectiveConfig{Loss: set.Loss, Seed: set.Seed},
		Optimizer:       bornmachine.OptSweep, LR: set.LR, Steps: set.Sweeps, Tol: set.Tol,
		CheckpointEvery: max(1, set.Sweeps),
	}
	tr := &bornmachine.Trainer{Model: m, Data: data, Test: test, Config: cfg}
	start := time.Now()
	if err := tr.Run(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", sp, err)
	}
	res := &Result{Spec: sp, Model: m, History: tr.History, Method: bornmachine.OptSweep, Seconds: time.Since(start).Seconds()}
	if res.Metrics, err = model.Evaluate(m, data, nil); err != nil {
		return nil, err
	}
	if math.IsNaN(res.Metrics.NLL) {
		return nil, fmt.Errorf("%s: the trained model's NLL is NaN", sp)
	}
	return res, nil
}

// buildForRun builds the model of a training run whose RunSpec.Model is
// mps:CHI, with spec.Cutoff and spec.Seed.
func buildForRun(spec *bornmachine.RunSpec, data *dataset.Dataset) (model.Model, error) {
	sp, err := ParseSpec(spec.Model)
	if err != nil {
		return nil, err
	}
	if spec.Optimizer != bornmachine.OptSweep {
		return nil, setting.Errorf("the MPS Born machine trains by sweeps: use {optimizer} sweep, not %s", spec.Optimizer)
	}
	set := DefaultSettings()
	set.Cutoff, set.Seed = spec.Cutoff, spec.Seed
	return NewModel(sp, data, set)
}
