package rbm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"born/classical/internal/par"
	"born/dataset"
	"born/model"
)

// Gradient methods (model.ObjectiveConfig.Grad). "" picks exact when
// Exact() and PCD otherwise.
const (
	GradExact = "exact"
	GradPCD   = "pcd"
)

// PCDConfig configures persistent contrastive divergence.
type PCDConfig struct {
	Chains int // persistent Gibbs chains (default 100)
	K      int // block Gibbs sweeps per training step (default 1)
}

// DefaultPCD returns PCD-1 with 100 chains.
func DefaultPCD() PCDConfig { return PCDConfig{Chains: 100, K: 1} }

func (c PCDConfig) validate() error {
	if c.Chains < 1 || c.K < 1 {
		return fmt.Errorf("rbm: PCD needs at least 1 chain and 1 Gibbs sweep per step (got %d chains, k = %d)", c.Chains, c.K)
	}
	return nil
}

// Objective is the RBM's training objective on a dataset.
type Objective struct {
	n, h    int
	data    *dataset.Dataset
	loss    string
	method  string
	note    string
	mmd     dataset.Loss
	entropy float64
	workers int
	seed    uint64
	k       int
	chains  []uint64 // PCD's persistent visible states
}

// Objective returns the training objective of the RBM on data, as a
// model.Objective; see NewObjective.
func (m *RBM) Objective(data *dataset.Dataset, cfg model.ObjectiveConfig) (model.Objective, error) {
	return m.NewObjective(data, cfg)
}

// NewObjective returns the training objective of the RBM on data.
//
//   - Loss nll or kl (they differ by the data's entropy and share their
//     gradient): with Grad "" or exact and Exact(), the exact negative
//     log-likelihood and its exact gradient. With Grad pcd, or Grad "" when
//     the RBM is too large for the exact path (Note says so), PCD-k with
//     the settings in m.PCD: the gradient is the data's expected
//     d(-F)/dtheta, exact over the data, minus the chains' average; the
//     reported loss is then the surrogate E_data[F] - mean_chains F, whose
//     gradient (chains held fixed) that is, not the likelihood.
//   - Loss mmd (n <= dataset.MaxExactBits): the exact squared MMD with
//     the kernel bandwidths cfg.Sigmas and its exact gradient.
//
// Shots must be 0: every loss is computed from the model's exact
// distribution or from PCD chains.
func (m *RBM) NewObjective(data *dataset.Dataset, cfg model.ObjectiveConfig) (*Objective, error) {
	if err := m.checkData(data); err != nil {
		return nil, err
	}
	if cfg.Shots != 0 {
		return nil, fmt.Errorf("rbm: shots = %d; the RBM's losses are computed exactly or by PCD, so shots must be 0", cfg.Shots)
	}
	if cfg.Workers < 0 {
		return nil, fmt.Errorf("rbm: workers %d; use 0 (all cores) or a positive count", cfg.Workers)
	}
	o := &Objective{n: m.n, h: m.h, data: data, loss: cfg.Loss, entropy: data.Entropy(), workers: cfg.Workers, seed: cfg.Seed}
	switch cfg.Grad {
	case "", GradExact, GradPCD:
	default:
		return nil, fmt.Errorf("rbm: unknown gradient %q: use exact (exact log-likelihood gradient) or pcd (persistent contrastive divergence); \"\" picks exact when the smaller layer has at most %d units", cfg.Grad, MaxExactLayer)
	}
	switch cfg.Loss {
	case dataset.LossNLL, dataset.LossKL:
		switch {
		case cfg.Grad == GradPCD:
			o.method = GradPCD
		case m.Exact():
			o.method = GradExact
		case cfg.Grad == GradExact:
			return nil, fmt.Errorf("rbm: the exact gradient enumerates the smaller layer, at most %d units; this RBM has %d visible and %d hidden; use the pcd gradient or fewer hidden units", MaxExactLayer, m.n, m.h)
		default:
			o.method = GradPCD
			o.note = fmt.Sprintf("%d visible and %d hidden units: the exact gradient needs a layer of at most %d units, so training uses PCD-%d with %d chains", m.n, m.h, MaxExactLayer, m.PCD.K, m.PCD.Chains)
		}
	case dataset.LossMMD:
		if cfg.Grad == GradPCD {
			return nil, fmt.Errorf("rbm: PCD estimates the likelihood gradient; use it with the nll or kl loss, not mmd")
		}
		if m.n > dataset.MaxExactBits {
			return nil, fmt.Errorf("rbm: the mmd loss needs the full distribution, at most %d bits; the data have %d; use the nll loss", dataset.MaxExactBits, m.n)
		}
		l, err := dataset.NewLoss(cfg.Loss, data, cfg.Sigmas)
		if err != nil {
			return nil, err
		}
		o.mmd, o.method = l, GradExact
	default:
		return nil, fmt.Errorf("rbm: unknown loss %q: use nll, kl or mmd", cfg.Loss)
	}
	if o.method == GradPCD {
		if err := m.PCD.validate(); err != nil {
			return nil, err
		}
		o.k = m.PCD.K
		o.chains = make([]uint64, m.PCD.Chains)
		rng := rand.New(rand.NewPCG(cfg.Seed, par.Stream(tagPCDInit)))
		for c := range o.chains { // start the chains at data samples
			o.chains[c] = drawData(data, rng.Float64())
		}
	}
	return o, nil
}

// Method returns how the gradient is computed: exact or pcd.
func (o *Objective) Method() string { return o.method }

// Note explains a fallback from the exact gradient to PCD ("" if none).
func (o *Objective) Note() string { return o.note }

func drawData(d *dataset.Dataset, u float64) uint64 {
	for i, p := range d.Probs {
		u -= p
		if u < 0 {
			return d.States[i]
		}
	}
	return d.States[len(d.States)-1]
}

func (m *RBM) checkData(d *dataset.Dataset) error {
	return par.CheckData(d, m.n, "rbm")
}

// Eval returns the loss at theta and, if grad is not nil, writes its
// gradient there. With PCD, an evaluation with a gradient advances the
// chains by k sweeps, with random numbers from the objective's seed and
// step; one without leaves them.
func (o *Objective) Eval(step int, theta, grad []float64) (model.Evaluation, error) {
	np := o.n*o.h + o.n + o.h
	if err := checkParams(np, theta); err != nil {
		return model.Evaluation{}, err
	}
	if grad != nil && len(grad) != np {
		return model.Evaluation{}, fmt.Errorf("rbm: gradient of length %d for %d parameters", len(grad), np)
	}
	t := makeNet(o.n, o.h, theta)
	switch {
	case o.mmd != nil:
		return o.evalMMD(t, grad)
	case o.method == GradPCD:
		return o.evalPCD(t, step, grad)
	}
	var dense []float64
	if t.enumVisible() && o.n <= dataset.MaxExactBits {
		dense = make([]float64, 1<<uint(o.n))
	}
	lz, err := t.exactLogZ(grad, dense, o.workers)
	if err != nil {
		return model.Evaluation{}, err
	}
	nll := lz + o.dataTerm(t, grad)
	ev := model.Evaluation{Loss: nll}
	if o.loss == dataset.LossKL {
		ev.Loss -= o.entropy
	}
	if dense != nil {
		for i, v := range dense {
			dense[i] = math.Exp(v - lz)
		}
		ev.Probs = dense
	}
	return ev, nil
}

// dataTerm returns E_data[F] and, if grad is not nil, subtracts
// E_data[d(-F)/dtheta] from it.
func (o *Objective) dataTerm(t net, grad []float64) float64 {
	pre := make([]float64, o.h)
	var f float64
	for i, x := range o.data.States {
		p := o.data.Probs[i]
		f -= p * t.negF(x, pre)
		if grad != nil {
			t.addGradV(x, pre, -p, grad)
		}
	}
	return f
}

func (o *Objective) evalMMD(t net, grad []float64) (model.Evaluation, error) {
	p, lz := t.visibleEnum(o.workers)
	for i, v := range p {
		p[i] = math.Exp(v - lz)
	}
	var g []float64
	if grad != nil {
		g = make([]float64, len(p))
	}
	loss := o.mmd.Eval(p, g)
	if grad != nil {
		// dL/dtheta = sum_v g(v) p(v) (d(-F(v)) - E_p[d(-F)]).
		var gp float64
		for i, v := range g {
			gp += v * p[i]
		}
		for i := range g {
			g[i] = p[i] * (g[i] - gp)
		}
		t.gradVisible(g, grad, o.workers)
	}
	return model.Evaluation{Loss: loss, Probs: p}, nil
}

// pcdChunk is the number of chains per unit of parallel work.
const pcdChunk = 8

func (o *Objective) evalPCD(t net, step int, grad []float64) (model.Evaluation, error) {
	C := len(o.chains)
	nc := par.Chunks(C, pcdChunk)
	fs := make([]float64, nc)
	grads := make([][]float64, nc)
	par.Run(C, pcdChunk, o.workers, func(c, lo, hi int) {
		pre, hid, q := make([]float64, o.h), make([]float64, o.h), make([]float64, o.n)
		var g []float64
		if grad != nil {
			g = make([]float64, len(grad))
		}
		for ch := lo; ch < hi; ch++ {
			v := o.chains[ch]
			if grad != nil {
				rng := rand.New(rand.NewPCG(o.seed, par.Stream(tagPCD, uint64(step), uint64(ch))))
				for range o.k {
					v = t.sweep(v, 1, rng, pre, hid, q)
				}
				o.chains[ch] = v
			}
			fs[c] += t.negF(v, pre) / float64(C)
			if g != nil {
				t.addGradV(v, pre, 1/float64(C), g)
			}
		}
		grads[c] = g
	})
	var modelTerm float64
	for _, f := range fs {
		modelTerm += f
	}
	if grad != nil {
		clear(grad)
		for _, g := range grads {
			for i, v := range g {
				grad[i] += v
			}
		}
	}
	return model.Evaluation{Loss: o.dataTerm(t, grad) + modelTerm}, nil
}

// sweep returns the visible state after one block Gibbs sweep v -> h -> v'
// of the RBM with couplings and hidden biases scaled by beta (beta = 1:
// the RBM itself; AIS's intermediate distributions otherwise). pre, hid
// (H) and q (n) are scratch.
func (t net) sweep(v uint64, beta float64, rng *rand.Rand, pre, hid, q []float64) uint64 {
	t.hidPre(v, pre)
	return t.sweepFrom(pre, beta, rng, hid, q)
}

// sweepFrom is sweep with the hidden pre-activations b + W^T v given.
func (t net) sweepFrom(pre []float64, beta float64, rng *rand.Rand, hid, q []float64) uint64 {
	for j, p := range pre {
		hid[j] = 0
		if rng.Float64() < par.Sigmoid(beta*p) {
			hid[j] = 1
		}
	}
	return t.visibleGiven(hid, beta, rng, q)
}

// visibleGiven draws v from p(v | h) of the RBM scaled by beta.
func (t net) visibleGiven(hid []float64, beta float64, rng *rand.Rand, q []float64) uint64 {
	var v uint64
	for i := range t.n {
		row := t.w[i*t.h : (i+1)*t.h]
		var s float64
		for j, hj := range hid {
			if hj != 0 {
				s += row[j]
			}
		}
		q[i] = t.a[i] + beta*s
		if rng.Float64() < par.Sigmoid(q[i]) {
			v |= 1 << uint(i)
		}
	}
	return v
}
