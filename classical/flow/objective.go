package flow

import (
	"fmt"
	"math"

	"born/classical/internal/par"
	"born/dataset"
	"born/model"
)

func checkData(d *dataset.Dataset, n int) error { return par.CheckData(d, n, "flow") }

// GradExact is the only gradient method (model.ObjectiveConfig.Grad
// may also be ""): backpropagation of the exact loss.
const GradExact = "exact"

// Objective is the MADE's training objective on a dataset.
type Objective struct {
	m       *MADE
	data    *dataset.Dataset
	loss    string
	mmd     dataset.Loss
	entropy float64
	workers int
	all     []uint64 // every state, for mmd
}

// Objective returns the training objective of the MADE on data, as a
// model.Objective; see NewObjective.
func (m *MADE) Objective(data *dataset.Dataset, cfg model.ObjectiveConfig) (model.Objective, error) {
	return m.NewObjective(data, cfg)
}

// NewObjective returns the training objective of the MADE on data: the
// exact negative log-likelihood (loss nll), KL(data || model) (kl; the
// same up to the data's entropy) or the exact squared MMD with bandwidths
// cfg.Sigmas (mmd, n <= dataset.MaxExactBits), with exact gradients.
// The likelihood losses visit the data's states only, so they work for
// any width. Shots must be 0.
func (m *MADE) NewObjective(data *dataset.Dataset, cfg model.ObjectiveConfig) (*Objective, error) {
	if err := checkData(data, m.n); err != nil {
		return nil, err
	}
	if cfg.Shots != 0 {
		return nil, fmt.Errorf("flow: shots = %d; the MADE's losses are exact, so shots must be 0", cfg.Shots)
	}
	if cfg.Grad != "" && cfg.Grad != GradExact {
		return nil, fmt.Errorf("flow: unknown gradient %q: the MADE has one, exact backpropagation (use exact or leave it empty)", cfg.Grad)
	}
	if cfg.Workers < 0 {
		return nil, fmt.Errorf("flow: workers %d; use 0 (all cores) or a positive count", cfg.Workers)
	}
	o := &Objective{m: m, data: data, loss: cfg.Loss, entropy: data.Entropy(), workers: cfg.Workers}
	switch cfg.Loss {
	case dataset.LossNLL, dataset.LossKL:
	case dataset.LossMMD:
		if m.n > dataset.MaxExactBits {
			return nil, fmt.Errorf("flow: the mmd loss needs the full distribution, at most %d bits; the data have %d; use the nll loss", dataset.MaxExactBits, m.n)
		}
		l, err := dataset.NewLoss(cfg.Loss, data, cfg.Sigmas)
		if err != nil {
			return nil, err
		}
		o.mmd, o.all = l, allStates(m.n)
	default:
		return nil, fmt.Errorf("flow: unknown loss %q: use nll, kl or mmd", cfg.Loss)
	}
	return o, nil
}

// Eval returns the loss at theta and, if grad is not nil, writes its
// gradient there.
func (o *Objective) Eval(_ int, theta, grad []float64) (model.Evaluation, error) {
	m := o.m
	if err := checkParams(len(m.theta), theta); err != nil {
		return model.Evaluation{}, err
	}
	if grad != nil && len(grad) != len(theta) {
		return model.Evaluation{}, fmt.Errorf("flow: gradient of length %d for %d parameters", len(grad), len(theta))
	}
	if o.mmd != nil {
		return o.evalMMD(theta, grad)
	}
	coef := make([]float64, len(o.data.Probs))
	for i, p := range o.data.Probs {
		coef[i] = -p // d NLL = -sum pi d ln p
	}
	lp := m.logProbs(theta, o.data.States, coef, grad, o.workers)
	var nll float64
	for i, p := range o.data.Probs {
		nll -= p * lp[i]
	}
	if o.loss == dataset.LossKL {
		nll -= o.entropy
	}
	return model.Evaluation{Loss: nll}, nil
}

func (o *Objective) evalMMD(theta, grad []float64) (model.Evaluation, error) {
	m := o.m
	p := m.logProbs(theta, o.all, nil, nil, o.workers)
	for i, v := range p {
		p[i] = math.Exp(v)
	}
	if grad == nil {
		return model.Evaluation{Loss: o.mmd.Eval(p, nil), Probs: p}, nil
	}
	g := make([]float64, len(p))
	loss := o.mmd.Eval(p, g)
	for i := range g {
		g[i] *= p[i] // dL/dtheta = sum_x g(x) p(x) d ln p(x)/dtheta
	}
	m.logProbs(theta, o.all, g, grad, o.workers)
	return model.Evaluation{Loss: loss, Probs: p}, nil
}
