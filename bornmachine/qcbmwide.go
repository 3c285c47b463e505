package bornmachine

import (
	"fmt"
	"math/rand/v2"

	"born/dataset"
	"born/internal/setting"
	"born/model"
)

// wideObjective is the objective of a QCBM on more qubits than the full
// distribution allows (above dataset.MaxExactBits): the squared MMD
// estimated from cfg.Shots samples of the circuit (dataset.SampledMMD) and
// its parameter-shift gradient, each shifted circuit sampled cfg.Shots
// times, on an engine that samples without the full distribution (mps).
func (m *QCBM) wideObjective(data *dataset.Dataset, cfg model.ObjectiveConfig) (model.Objective, error) {
	n := m.NumBits()
	switch {
	case cfg.Loss != dataset.LossMMD:
		return nil, setting.Errorf("%d qubits: above %d the QCBM trains on the sampled mmd loss ({loss} mmd {shots} N); %s needs the full distribution", n, dataset.MaxExactBits, cfg.Loss)
	case cfg.Shots < 2:
		return nil, setting.Errorf("%d qubits: above %d the QCBM trains on the sampled MMD; give {shots} N (at least 2, e.g. 1000)", n, dataset.MaxExactBits)
	case cfg.Grad != GradShift:
		return nil, setting.Errorf("%d qubits: above %d the QCBM trains with sampled shift gradients ({grad} shift), not %s", n, dataset.MaxExactBits, cfg.Grad)
	case m.engine.Name() == StateVector.Name():
		return nil, setting.Errorf("%d qubits: above %d the QCBM trains on the matrix-product-state engine; use {engine} mps:CHI (e.g. mps:16)", n, dataset.MaxExactBits)
	case n > dataset.MaxBits:
		return nil, fmt.Errorf("%d qubits: a QCBM takes data of at most %d bits", n, dataset.MaxBits)
	case cfg.Workers < 0:
		return nil, fmt.Errorf("workers %d: use 0 (all cores) or a positive count", cfg.Workers)
	}
	if err := m.prog.gradientError(true); err != nil {
		return nil, err
	}
	k, err := dataset.NewKernel(n, data.Metric, cfg.Sigmas)
	if err != nil {
		return nil, err
	}
	l, err := dataset.NewSampledMMD(k, data)
	if err != nil {
		return nil, err
	}
	return &qcbmObjective{m: m, wide: l, cfg: cfg}, nil
}

// evalWide evaluates the sampled MMD at theta from cfg.Shots samples (the
// random stream of the step, as the dense sampled loss) and, with grad, its
// shift gradient with g evaluated at the shifted circuits' samples.
// Evaluation.Probs is nil: there is no full distribution.
func (o *qcbmObjective) evalWide(step int, theta, grad []float64) (model.Evaluation, error) {
	pr := o.m.prog
	ev, err := pr.evaluate(theta)
	if err != nil {
		return model.Evaluation{}, err
	}
	st, err := o.m.runOn(o.m.engine, ev)
	if err != nil {
		return model.Evaluation{}, err
	}
	rng := rand.New(rand.NewPCG(o.cfg.Seed, stream(tagLoss, uint64(step))))
	loss, g, err := o.wide.Eval(st.Sample(o.cfg.Shots, rng))
	if err != nil {
		return model.Evaluation{}, err
	}
	out := model.Evaluation{Loss: loss}
	if grad == nil {
		return out, nil
	}
	if len(grad) != len(theta) {
		return model.Evaluation{}, fmt.Errorf("gradient of length %d for %d parameters", len(grad), len(theta))
	}
	dv, err := pr.shiftGrad(o.m.engine, ev, nil, shiftOptions{workers: o.cfg.Workers, shots: o.cfg.Shots, seed: o.cfg.Seed, step: step, gfn: g})
	if err != nil {
		return model.Evaluation{}, err
	}
	pr.chain(theta, dv, grad)
	return out, nil
}
