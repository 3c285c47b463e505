package dataset

import (
	"fmt"
	"math"
)

// Loss is a training objective on a model's distribution p over all 2^n
// states. Every loss here depends on the parameters only through p, so its
// gradient is sum_x g(x) dp(x)/dtheta with g = dL/dp, whatever computes
// dp/dtheta.
type Loss interface {
	// Name is the loss's name in settings and output: mmd, kl or nll.
	Name() string
	// Eval returns the loss at the model distribution p (2^n
	// probabilities) and, when grad is not nil, writes dL/dp(x) into grad.
	Eval(p, grad []float64) float64
}

// Loss names.
const (
	LossMMD = "mmd"
	LossKL  = "kl"
	LossNLL = "nll"
)

// NewLoss returns the loss called name (mmd, kl or nll) for the data. mmd
// uses a Kernel with the given bandwidths and the data's metric.
func NewLoss(name string, data *Dataset, sigmas []float64) (Loss, error) {
	switch name {
	case LossMMD:
		k, err := NewKernel(data.Bits, data.Metric, sigmas)
		if err != nil {
			return nil, err
		}
		return NewMMDLoss(k, data)
	case LossKL:
		return &KLLoss{data: data}, nil
	case LossNLL:
		return &NLLLoss{data: data}, nil
	}
	return nil, fmt.Errorf("unknown loss %q: use mmd, kl or nll", name)
}

// MMDLoss is the squared maximum mean discrepancy between the model and the
// data, L = (p - pi)^T K (p - pi), with gradient dL/dp = 2 K (p - pi).
type MMDLoss struct {
	Kernel *Kernel
	target []float64 // pi, dense
	kpi    []float64 // K pi
	pikpi  float64   // pi^T K pi
}

// NewMMDLoss returns the MMD loss against data with kernel k.
func NewMMDLoss(k *Kernel, data *Dataset) (*MMDLoss, error) {
	if k.Bits != data.Bits {
		return nil, fmt.Errorf("kernel on %d bits, data of %d bits", k.Bits, data.Bits)
	}
	pi, err := data.Dense()
	if err != nil {
		return nil, fmt.Errorf("exact MMD: %v", err)
	}
	l := &MMDLoss{Kernel: k, target: pi}
	l.kpi = k.Apply(nil, pi)
	for i, v := range pi {
		l.pikpi += v * l.kpi[i]
	}
	return l, nil
}

// Name returns "mmd".
func (l *MMDLoss) Name() string { return LossMMD }

// Eval returns (p - pi)^T K (p - pi) and sets grad = 2 K (p - pi).
func (l *MMDLoss) Eval(p, grad []float64) float64 {
	v, kd := l.Kernel.mmd(p, l.target)
	if grad != nil {
		for i := range kd {
			grad[i] = 2 * kd[i]
		}
	}
	return v
}

// EvalSamples returns the unbiased estimate of the squared MMD between the
// model and the data from m >= 2 model samples,
//
//	1/(m(m-1)) sum_{i!=j} K(x_i,x_j) - 2/m sum_i (K pi)(x_i) + pi^T K pi,
//
// and sets grad = 2 K (q - pi) with q the samples' histogram: with q from
// samples independent of those of the shifted circuits, sum_x grad(x) times
// the shift-rule combination of their histograms is an unbiased estimate of
// the gradient.
func (l *MMDLoss) EvalSamples(samples []uint64, grad []float64) (float64, error) {
	q := make([]float64, len(l.target))
	for _, x := range samples {
		q[x]++
	}
	return l.EvalCounts(q, grad)
}

// EvalCounts is EvalSamples for the samples' histogram: q[x] is the number
// of samples equal to x.
func (l *MMDLoss) EvalCounts(q []float64, grad []float64) (float64, error) {
	var m float64
	for _, c := range q {
		m += c
	}
	if m < 2 {
		return 0, fmt.Errorf("the sampled MMD needs at least 2 shots, got %v", m)
	}
	kq := l.Kernel.Apply(nil, q) // K (counts)
	var qkq, cross float64
	for i, c := range q {
		if c != 0 {
			qkq += c * kq[i]
			cross += c * l.kpi[i]
		}
	}
	fm := m
	self := float64(len(l.Kernel.Sigmas)) // K(x, x)
	est := (qkq-fm*self)/(fm*(fm-1)) - 2*cross/fm + l.pikpi
	if grad != nil {
		for i := range grad {
			grad[i] = 2 * (kq[i]/fm - l.kpi[i])
		}
	}
	return est, nil
}

// probFloor is the smallest probability the logarithmic losses and
// metrics use, so that a zero probability gives a large finite value.
const probFloor = 1e-300

// LogFloor returns ln p with p floored at 1e-300, so that a zero
// probability gives a large finite log-probability.
func LogFloor(p float64) float64 { return math.Log(max(p, probFloor)) }

// KLLoss is KL(data || model) = sum_x pi(x) ln(pi(x)/p(x)), with p floored
// at 1e-300.
type KLLoss struct{ data *Dataset }

// Name returns "kl".
func (l *KLLoss) Name() string { return LossKL }

// Eval returns KL(data || p) and sets grad(x) = -pi(x)/p(x).
func (l *KLLoss) Eval(p, grad []float64) float64 {
	logGrad(l.data, p, grad)
	return KLDivergence(l.data, p)
}

// NLLLoss is the negative log-likelihood of the data, -sum_x pi(x) ln p(x):
// KL(data || model) plus the data's entropy.
type NLLLoss struct{ data *Dataset }

// Name returns "nll".
func (l *NLLLoss) Name() string { return LossNLL }

// Eval returns -sum pi ln p and sets grad(x) = -pi(x)/p(x).
func (l *NLLLoss) Eval(p, grad []float64) float64 {
	logGrad(l.data, p, grad)
	return NLL(l.data, p)
}

func logGrad(d *Dataset, p, grad []float64) {
	if grad == nil {
		return
	}
	clear(grad)
	for i, x := range d.States {
		if p[x] > probFloor {
			grad[x] = -d.Probs[i] / p[x]
		}
	}
}

// KLDivergence returns KL(data || p) = sum_x pi(x) ln(pi(x)/p(x)) in nats,
// with p a dense distribution floored at 1e-300. KL is never negative; a
// sum that rounding takes below 0 (-3e-16 for p = pi) is returned as 0.
func KLDivergence(d *Dataset, p []float64) float64 {
	var kl float64
	for i, x := range d.States {
		kl += d.Probs[i] * (math.Log(d.Probs[i]) - LogFloor(p[x]))
	}
	return max(kl, 0)
}

// NLL returns the negative log-likelihood -sum_x pi(x) ln p(x) in nats.
func NLL(d *Dataset, p []float64) float64 {
	var v float64
	for i, x := range d.States {
		v -= d.Probs[i] * LogFloor(p[x])
	}
	return v
}

// ValidMass returns the probability p gives to the data's support: for bas
// data, the mass on valid bars-and-stripes patterns. It is clamped to
// [0, 1], the range a sum of probabilities can leave only by rounding.
func ValidMass(d *Dataset, p []float64) float64 {
	var m float64
	for _, x := range d.States {
		m += p[x]
	}
	return min(max(m, 0), 1)
}
