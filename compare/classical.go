package compare

import (
	"context"
	"fmt"
	"math"
	"time"

	"born/bornmachine"
	"born/classical"
	"born/classical/rbm"
	"born/dataset"
	"born/model"
)

// ClassicalResult is a trained classical baseline.
type ClassicalResult struct {
	Spec  classical.Spec
	Model model.Model
	// History has one row per step, 0 (the initial parameters) to Steps:
	// the loss (the NLL with the default loss; for PCD the surrogate, see
	// rbm.NewObjective), KL(data || model), valid mass and wall time. The
	// NLL at any row is KL + the data's entropy.
	History []bornmachine.Record
	Metrics *model.Metrics // after training
	// Method is how gradients were computed: exact or pcd.
	Method string
	// Note explains a fallback to an approximate method ("" if none).
	Note string
	// Estimated is true when the NLL and KL of History and Metrics rest on
	// AIS estimates of ln Z (an RBM too large for exact ln Z).
	Estimated bool
	Seconds   float64 // training time
}

// TrainClassical builds the classical baseline named by spec
// (classical.ParseSpec), initialises it and trains it on data with Adam
// through bornmachine.Trainer; the history records the NLL of test (nil:
// none). ctx can stop training early (the error then
// wraps bornmachine.ErrInterrupted).
func TrainClassical(ctx context.Context, spec string, data, test *dataset.Dataset, set classical.Settings) (*ClassicalResult, error) {
	sp, err := classical.ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	m, err := classical.NewModel(sp, data, set)
	if err != nil {
		return nil, err
	}
	cfg := bornmachine.TrainConfig{
		ObjectiveConfig: model.ObjectiveConfig{Loss: set.Loss, Sigmas: set.Sigmas, Grad: set.Grad, Seed: set.Seed, Workers: set.Workers},
		Optimizer:       bornmachine.OptAdam, LR: set.LR, Beta1: set.Beta1, Beta2: set.Beta2, Eps: set.Eps,
		Steps: set.Steps, CheckpointEvery: max(1, set.Steps),
	}
	res := &ClassicalResult{Spec: sp, Model: m, Method: rbm.GradExact}
	r, isRBM := m.(*rbm.RBM)
	if isRBM {
		o, err := r.NewObjective(data, cfg.ObjectiveConfig)
		if err != nil {
			return nil, err
		}
		res.Method, res.Note = o.Method(), o.Note()
		if !r.Exact() && r.NumBits() > dataset.MaxExactBits {
			res.Estimated = true
			r.AIS = rbm.AISConfig{Chains: 50, Temps: 200, Seed: set.Seed, Workers: set.Workers}
		}
	}
	tr := &bornmachine.Trainer{Model: m, Data: data, Test: test, Config: cfg}
	if res.Estimated {
		// Every test NLL costs an AIS run: about 50 along the way.
		tr.TestEvery = max(1, set.Steps/50)
	}
	start := time.Now()
	if err := tr.Run(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", sp, err)
	}
	res.Seconds = time.Since(start).Seconds()
	res.History = tr.History
	if res.Estimated {
		r.AIS = set.AIS
		if r.AIS == (rbm.AISConfig{}) {
			r.AIS = rbm.DefaultAIS()
		}
		_ = r.SetParams(r.Params()) // drop the cheap estimate of ln Z
	}
	if res.Metrics, err = model.Evaluate(m, data, nil); err != nil {
		return nil, err
	}
	if math.IsNaN(res.Metrics.NLL) {
		return nil, fmt.Errorf("%s: the trained model's NLL is NaN", sp)
	}
	return res, nil
}
