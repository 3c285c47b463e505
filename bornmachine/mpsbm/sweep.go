package mpsbm

import (
	"fmt"
	"math"

	"born/bornmachine"
	"born/dataset"
	"born/model"
	"born/mps"
)

// maxBacktracks bounds the halvings of the step size in one gradient step
// on a merged pair.
const maxBacktracks = 12

// pSmall is the probability below which a data state's log-probability is
// taken at its floor in the pair loss (an amplitude of exactly zero).
const pSmall = 1e-300

// Sweep performs one training step on data: a sweep of two-site updates
// from the left end to the right and back. For each pair (i, i+1) with the
// canonical center in it, the merged tensor Theta takes PairSteps gradient
// steps on the exact NLL, each of size at most cfg.LR and halved until the
// NLL does not rise, and is split by a truncated SVD under the bond cap and
// cutoff, normalised, the center moving on. It returns the exact loss
// (cfg.Loss: nll or kl) at the new tensors, with the probabilities for n <=
// MaxExactBits. The result depends only on the model and data.
func (m *Model) Sweep(step int, data *dataset.Dataset, cfg bornmachine.TrainConfig) (model.Evaluation, error) {
	if err := m.checkData(data); err != nil {
		return model.Evaluation{}, err
	}
	if err := checkLoss(cfg.Loss); err != nil {
		return model.Evaluation{}, err
	}
	if !(cfg.LR > 0) || math.IsInf(cfg.LR, 0) {
		return model.Evaluation{}, fmt.Errorf("sweep step size %g must be a finite number > 0", cfg.LR)
	}
	steps := m.PairSteps
	if steps <= 0 {
		steps = DefaultPairSteps
	}
	n, st := m.n, m.st
	st.MoveCenter(0)
	sw := &sweeper{data: data, lr: cfg.LR, steps: steps}
	// r[b] and l[b]: right and left vectors of every data state at bond b
	// (row i of an nd×dim matrix).
	r := make([]envs, n+1)
	l := make([]envs, n+1)
	r[n], l[0] = ones(data.Len()), ones(data.Len())
	for b := n - 1; b >= 2; b-- {
		r[b] = r[b+1].right(st.Site(b), data, b)
	}
	for i := 0; i+1 < n; i++ {
		th, dl, dr := st.Pair(i)
		th = sw.descend(th, dl, dr, l[i], r[i+2], i)
		if _, err := st.SetPair(i, th, true); err != nil {
			return model.Evaluation{}, fmt.Errorf("sweep at sites %d, %d: %w", i, i+1, err)
		}
		l[i+1] = l[i].left(st.Site(i), data, i)
	}
	for i := n - 2; i >= 0; i-- {
		th, dl, dr := st.Pair(i)
		th = sw.descend(th, dl, dr, l[i], r[i+2], i)
		if _, err := st.SetPair(i, th, false); err != nil {
			return model.Evaluation{}, fmt.Errorf("sweep at sites %d, %d: %w", i, i+1, err)
		}
		r[i+1] = r[i+2].right(st.Site(i+1), data, i+1)
	}
	// A real model stays real: the SVD and QR of real matrices are real.
	return m.evaluate(data, cfg.Loss)
}

// evaluate returns the exact loss of the model on data, with the
// probabilities for small n.
func (m *Model) evaluate(data *dataset.Dataset, loss string) (model.Evaluation, error) {
	var ev model.Evaluation
	if m.n <= dataset.MaxExactBits {
		p, err := m.Probabilities()
		if err != nil {
			return ev, err
		}
		ev.Probs = p
		ev.Loss = dataset.NLL(data, p)
	} else {
		for i := range data.Len() {
			lp, err := m.LogProbWords(data.State(i))
			if err != nil {
				return ev, err
			}
			ev.Loss -= data.Probs[i] * lp
		}
	}
	if loss == dataset.LossKL {
		ev.Loss -= data.Entropy()
	}
	return ev, nil
}

// envs holds one vector per data state at a bond: row i of an nd×dim
// matrix.
type envs struct {
	dim int
	v   []complex128
}

func ones(nd int) envs {
	e := envs{dim: 1, v: make([]complex128, nd)}
	for i := range e.v {
		e.v[i] = 1
	}
	return e
}

func (e envs) row(i int) []complex128 { return e.v[i*e.dim : (i+1)*e.dim] }

// left returns the vectors one bond to the right: v A_q[x_q].
func (e envs) left(t mps.Tensor, data *dataset.Dataset, q int) envs {
	out := envs{dim: t.DR, v: make([]complex128, data.Len()*t.DR)}
	for i := range data.Len() {
		leftStepTo(out.row(i), e.row(i), t, data.Bit(i, q))
	}
	return out
}

// right returns the vectors one bond to the left: A_q[x_q] v.
func (e envs) right(t mps.Tensor, data *dataset.Dataset, q int) envs {
	out := envs{dim: t.DL, v: make([]complex128, data.Len()*t.DL)}
	for i := range data.Len() {
		rightStepTo(out.row(i), e.row(i), t, data.Bit(i, q))
	}
	return out
}

// sweeper holds the settings of one sweep.
type sweeper struct {
	data  *dataset.Dataset
	lr    float64
	steps int
}

// pair is the NLL of a merged pair Theta of sites i, i+1 (a (2dl)×(2dr)
// matrix) as a function of Theta, with the data's environments.
type pair struct {
	dl, dr int
	l, r   envs
	s1, s2 []int // the data's bits at sites i and i+1
	w      []float64
	psi    []complex128
}

// amplitudes fills p.psi[i] = sum_{a,c} L_i[a] Theta[(a,s1),(s2,c)] R_i[c].
func (p *pair) amplitudes(th []complex128) {
	w := 2 * p.dr
	for i := range p.w {
		L, R := p.l.row(i), p.r.row(i)
		off := p.s2[i] * p.dr
		var acc complex128
		for a, la := range L {
			if la == 0 {
				continue
			}
			row := th[(a*2+p.s1[i])*w+off : (a*2+p.s1[i])*w+off+p.dr]
			var inner complex128
			for c, v := range row {
				inner += v * R[c]
			}
			acc += la * inner
		}
		p.psi[i] = acc
	}
}

// nll returns -sum pi ln |psi|^2 + ln |Theta|^2 at th.
func (p *pair) nll(th []complex128) float64 {
	p.amplitudes(th)
	var z float64
	for _, v := range th {
		z += real(v)*real(v) + imag(v)*imag(v)
	}
	f := math.Log(z)
	for i, a := range p.psi {
		f -= p.w[i] * math.Log(max(real(a)*real(a)+imag(a)*imag(a), pSmall))
	}
	return f
}

// grad sets g (len(th) entries) to 2 dNLL/dconj(Theta) at th, with p.psi
// already computed there: 2 Theta/Z - 2 sum pi conj(L R) / conj(psi).
func (p *pair) grad(g, th []complex128) {
	var z float64
	for _, v := range th {
		z += real(v)*real(v) + imag(v)*imag(v)
	}
	for k, v := range th {
		g[k] = v * complex(2/z, 0)
	}
	w := 2 * p.dr
	for i, a := range p.psi {
		if a == 0 {
			continue
		}
		c := complex(2*p.w[i], 0) / complex(real(a), -imag(a))
		L, R := p.l.row(i), p.r.row(i)
		off := p.s2[i] * p.dr
		for aa, la := range L {
			f := c * complex(real(la), -imag(la))
			if f == 0 {
				continue
			}
			row := g[(aa*2+p.s1[i])*w+off : (aa*2+p.s1[i])*w+off+p.dr]
			for cc, rv := range R {
				row[cc] -= f * complex(real(rv), -imag(rv))
			}
		}
	}
}

// descend takes the gradient steps on the merged pair th of sites i, i+1.
func (sw *sweeper) descend(th []complex128, dl, dr int, l, r envs, i int) []complex128 {
	d := sw.data
	nd := d.Len()
	p := &pair{dl: dl, dr: dr, l: l, r: r, w: d.Probs, psi: make([]complex128, nd),
		s1: make([]int, nd), s2: make([]int, nd)}
	for k := range nd {
		p.s1[k], p.s2[k] = d.Bit(k, i), d.Bit(k, i+1)
	}
	f0 := p.nll(th)
	cand := make([]complex128, len(th))
	g := make([]complex128, len(th))
	for range sw.steps {
		p.grad(g, th)
		eta := sw.lr
		ok := false
		for range maxBacktracks {
			var z float64
			for k, v := range th {
				c := v - complex(eta, 0)*g[k]
				cand[k] = c
				z += real(c)*real(c) + imag(c)*imag(c)
			}
			if z > 0 {
				s := complex(1/math.Sqrt(z), 0)
				for k := range cand {
					cand[k] *= s
				}
				if f1 := p.nll(cand); f1 <= f0 {
					th, cand, f0, ok = cand, th, f1, true
					break
				}
			}
			eta /= 2
		}
		if !ok {
			break
		}
	}
	return th
}
