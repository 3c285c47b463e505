package dataset

import (
	"fmt"
	"slices"
)

// SampledMMD is the squared MMD between a model known only by its samples
// and data of any width up to MaxBits: the loss of a QCBM on data too wide
// for the full distribution (MMDLoss needs 2^n numbers). Every kernel value
// is computed pair by pair from the data's states and the samples, so a
// step costs O(m^2 + m D) kernel evaluations for m samples and D distinct
// data states, whatever the number of bits.
type SampledMMD struct {
	Kernel *Kernel
	data   *Dataset
	pikpi  float64 // pi^T K pi
}

// NewSampledMMD returns the sampled MMD loss against data with kernel k.
func NewSampledMMD(k *Kernel, data *Dataset) (*SampledMMD, error) {
	if k.Bits != data.Bits {
		return nil, fmt.Errorf("kernel on %d bits, data of %d bits", k.Bits, data.Bits)
	}
	if data.Bits > MaxBits {
		return nil, fmt.Errorf("the sampled MMD takes data of at most %d bits, not %d", MaxBits, data.Bits)
	}
	l := &SampledMMD{Kernel: k, data: data}
	for i, x := range data.States {
		l.pikpi += data.Probs[i] * data.Probs[i] * k.Eval(x, x)
		for j := i + 1; j < len(data.States); j++ {
			l.pikpi += 2 * data.Probs[i] * data.Probs[j] * k.Eval(x, data.States[j])
		}
	}
	return l, nil
}

// KPi returns (K pi)(x) = sum_y pi(y) K(x, y).
func (l *SampledMMD) KPi(x uint64) float64 {
	var v float64
	for i, y := range l.data.States {
		v += l.data.Probs[i] * l.Kernel.Eval(x, y)
	}
	return v
}

// Eval returns, from m >= 2 model samples, the unbiased estimate of the
// squared MMD (as MMDLoss.EvalSamples)
//
//	1/(m(m-1)) sum_{i!=j} K(x_i,x_j) - 2/m sum_i (K pi)(x_i) + pi^T K pi
//
// and the function g(x) = 2 ((K q)(x) - (K pi)(x)), q the samples'
// histogram divided by m: the gradient MMDLoss.EvalSamples returns as a
// dense vector, here evaluated where it is needed (at the samples of the
// shifted circuits). g is safe for concurrent use.
func (l *SampledMMD) Eval(samples []uint64) (float64, func(uint64) float64, error) {
	m := len(samples)
	if m < 2 {
		return 0, nil, fmt.Errorf("the sampled MMD needs at least 2 shots, got %d", m)
	}
	// Distinct samples with their counts.
	xs := slices.Clone(samples)
	slices.Sort(xs)
	var uniq []uint64
	var count []float64
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			uniq = append(uniq, x)
			count = append(count, 0)
		}
		count[len(count)-1]++
	}
	var qkq, cross float64
	for i, x := range uniq {
		qkq += count[i] * count[i] * l.Kernel.Eval(x, x)
		for j := i + 1; j < len(uniq); j++ {
			qkq += 2 * count[i] * count[j] * l.Kernel.Eval(x, uniq[j])
		}
		cross += count[i] * l.KPi(x)
	}
	fm := float64(m)
	self := float64(len(l.Kernel.Sigmas)) // K(x, x)
	est := (qkq-fm*self)/(fm*(fm-1)) - 2*cross/fm + l.pikpi
	g := func(x uint64) float64 {
		var kq float64
		for i, y := range uniq {
			kq += count[i] * l.Kernel.Eval(x, y)
		}
		return 2 * (kq/fm - l.KPi(x))
	}
	return est, g, nil
}
