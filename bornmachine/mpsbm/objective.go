package mpsbm

import (
	"fmt"
	"math"

	"born/bornmachine"
	"born/dataset"
	"born/internal/setting"
	"born/model"
	"born/mps"
)

// checkLoss returns an error unless loss is nll or kl (which differ by the
// data's entropy, a constant).
func checkLoss(loss string) error {
	switch loss {
	case dataset.LossNLL, dataset.LossKL:
		return nil
	}
	return setting.Errorf("the MPS Born machine trains on the exact likelihood: use {loss} nll or kl, not %q", loss)
}

func (m *Model) checkData(data *dataset.Dataset) error {
	if data == nil {
		return fmt.Errorf("mps: no data")
	}
	if data.Bits != m.n {
		return fmt.Errorf("the MPS has %d sites but the data have %d bits; they must match", m.n, data.Bits)
	}
	return nil
}

// Objective returns the exact NLL (loss nll) or KL(data || model) (loss kl)
// as a function of all tensor entries (the layout of Params) at the
// model's current bond dimensions, with its exact gradient. The tensors
// need not be normalised or canonical: Z is contracted exactly.
func (m *Model) Objective(data *dataset.Dataset, cfg model.ObjectiveConfig) (model.Objective, error) {
	if err := m.checkData(data); err != nil {
		return nil, err
	}
	if err := checkLoss(cfg.Loss); err != nil {
		return nil, err
	}
	if cfg.Shots != 0 {
		return nil, fmt.Errorf("the MPS Born machine's likelihood is exact: it takes no shots")
	}
	switch cfg.Grad {
	case "", "exact", bornmachine.GradShift, bornmachine.GradAdjoint:
	default:
		return nil, fmt.Errorf("unknown gradient %q: the MPS Born machine's gradient is exact", cfg.Grad)
	}
	return &objective{m: m, data: data, kl: cfg.Loss == dataset.LossKL, shapes: m.shapes(), cplx: m.complex, h: data.Entropy()}, nil
}

type objective struct {
	m      *Model
	data   *dataset.Dataset
	kl     bool
	h      float64
	shapes [][2]int
	cplx   bool
}

func (o *objective) Eval(step int, theta, grad []float64) (model.Evaluation, error) {
	ts, err := unflatten(theta, o.shapes, o.cplx)
	if err != nil {
		return model.Evaluation{}, err
	}
	if grad != nil && len(grad) != len(theta) {
		return model.Evaluation{}, fmt.Errorf("gradient of length %d for %d parameters", len(grad), len(theta))
	}
	loss, gs := nllGrad(ts, o.data, grad != nil)
	if o.kl {
		loss -= o.h
	}
	out := model.Evaluation{Loss: loss}
	if len(ts) <= dataset.MaxExactBits {
		if st, err := mps.FromTensors(ts, o.m.options()); err == nil {
			out.Probs = st.Probabilities()
		}
	}
	if grad != nil {
		copy(grad, flatten(gs, o.cplx))
	}
	return out, nil
}

// nllGrad returns the NLL -sum_x pi(x) ln(|Psi(x)|^2 / Z) of tensors ts
// (any gauge, any norm) and, if grad, 2 dNLL/dconj(A) per site: its real
// and imaginary parts are the derivatives by the real and imaginary parts
// of each entry.
func nllGrad(ts []mps.Tensor, data *dataset.Dataset, grad bool) (float64, []mps.Tensor) {
	n := len(ts)
	// Norm environments EL[b] (bond b, left of site b) and ER[b].
	el := make([][]complex128, n+1)
	er := make([][]complex128, n+1)
	el[0], er[n] = []complex128{1}, []complex128{1}
	for q := 0; q < n; q++ {
		el[q+1] = transferLeft(el[q], ts[q])
	}
	z := real(el[n][0])
	if !grad {
		var nll float64
		for i := range data.Len() {
			a := amplitude(ts, data.State(i))
			nll -= data.Probs[i] * math.Log((real(a)*real(a)+imag(a)*imag(a))/z)
		}
		return nll, nil
	}
	for q := n - 1; q >= 0; q-- {
		er[q] = transferRight(er[q+1], ts[q])
	}
	nd := data.Len()
	// Left vectors of every data state at each bond b, and right vectors.
	lv := make([]envs, n+1)
	rv := make([]envs, n+1)
	lv[0], rv[n] = ones(nd), ones(nd)
	for q := 0; q < n; q++ {
		lv[q+1] = lv[q].left(ts[q], data, q)
	}
	for q := n - 1; q >= 0; q-- {
		rv[q] = rv[q+1].right(ts[q], data, q)
	}
	var nll float64
	inv := make([]complex128, nd) // pi(x) / conj(Psi(x))
	for i := range nd {
		a := lv[n].row(i)[0]
		p := real(a)*real(a) + imag(a)*imag(a)
		nll -= data.Probs[i] * math.Log(p/z)
		inv[i] = complex(data.Probs[i], 0) / complex(real(a), -imag(a))
	}
	gs := make([]mps.Tensor, n)
	for q, t := range ts {
		g := mps.Tensor{DL: t.DL, DR: t.DR, A: make([]complex128, len(t.A))}
		// dZ/dconj(A)[l,s,r] = sum EL[l,l'] A[l',s,r'] ER[r,r'].
		for l := 0; l < t.DL; l++ {
			for s := 0; s < 2; s++ {
				for r := 0; r < t.DR; r++ {
					var acc complex128
					for lp := 0; lp < t.DL; lp++ {
						e := el[q][l*t.DL+lp]
						if e == 0 {
							continue
						}
						row := t.A[(lp*2+s)*t.DR : (lp*2+s+1)*t.DR]
						var inner complex128
						for rp, v := range row {
							inner += v * er[q+1][r*t.DR+rp]
						}
						acc += e * inner
					}
					g.A[(l*2+s)*t.DR+r] = 2 * acc / complex(z, 0)
				}
			}
		}
		for i := range nd {
			s := data.Bit(i, q)
			L, R := lv[q].row(i), rv[q+1].row(i)
			for l, lval := range L {
				c := 2 * inv[i] * complex(real(lval), -imag(lval))
				dst := g.A[(l*2+s)*t.DR : (l*2+s+1)*t.DR]
				for r, rval := range R {
					dst[r] -= c * complex(real(rval), -imag(rval))
				}
			}
		}
		gs[q] = g
	}
	return nll, gs
}

// transferLeft returns E'[r, r'] = sum conj(A[l,s,r]) E[l,l'] A[l',s,r'].
func transferLeft(e []complex128, t mps.Tensor) []complex128 {
	out := make([]complex128, t.DR*t.DR)
	for l := 0; l < t.DL; l++ {
		for lp := 0; lp < t.DL; lp++ {
			c := e[l*t.DL+lp]
			if c == 0 {
				continue
			}
			for s := 0; s < 2; s++ {
				a := t.A[(l*2+s)*t.DR : (l*2+s+1)*t.DR]
				b := t.A[(lp*2+s)*t.DR : (lp*2+s+1)*t.DR]
				for r, av := range a {
					f := c * complex(real(av), -imag(av))
					row := out[r*t.DR : (r+1)*t.DR]
					for rp, bv := range b {
						row[rp] += f * bv
					}
				}
			}
		}
	}
	return out
}

// transferRight returns E'[l, l'] = sum conj(A[l,s,r]) E[r,r'] A[l',s,r'].
func transferRight(e []complex128, t mps.Tensor) []complex128 {
	return transferRightS(e, t, 0, 1)
}

// transferRightS is transferRight with the sum over s running from s0 to
// s1 only: s0 = s1 fixes the bit.
func transferRightS(e []complex128, t mps.Tensor, s0, s1 int) []complex128 {
	out := make([]complex128, t.DL*t.DL)
	tmp := make([]complex128, t.DR)
	for lp := 0; lp < t.DL; lp++ {
		for s := s0; s <= s1; s++ {
			b := t.A[(lp*2+s)*t.DR : (lp*2+s+1)*t.DR]
			// tmp[r] = sum_r' E[r,r'] b[r']
			for r := range tmp {
				var acc complex128
				for rp, bv := range b {
					acc += e[r*t.DR+rp] * bv
				}
				tmp[r] = acc
			}
			for l := 0; l < t.DL; l++ {
				a := t.A[(l*2+s)*t.DR : (l*2+s+1)*t.DR]
				var acc complex128
				for r, av := range a {
					acc += complex(real(av), -imag(av)) * tmp[r]
				}
				out[l*t.DL+lp] += acc
			}
		}
	}
	return out
}

// leftStep returns v A[:, s, :].
func leftStep(v []complex128, t mps.Tensor, s int) []complex128 {
	out := make([]complex128, t.DR)
	leftStepTo(out, v, t, s)
	return out
}

// leftStepTo adds v A[:, s, :] to out (t.DR entries).
func leftStepTo(out, v []complex128, t mps.Tensor, s int) {
	for l, c := range v {
		if c == 0 {
			continue
		}
		for r, a := range t.A[(l*2+s)*t.DR : (l*2+s+1)*t.DR] {
			out[r] += c * a
		}
	}
}

// rightStepTo sets out (t.DL entries) to A[:, s, :] v.
func rightStepTo(out, v []complex128, t mps.Tensor, s int) {
	for l := range out {
		var acc complex128
		for r, a := range t.A[(l*2+s)*t.DR : (l*2+s+1)*t.DR] {
			acc += a * v[r]
		}
		out[l] = acc
	}
}

// amplitude returns Psi(x) = A_0[x_0] ... A_{n-1}[x_{n-1}] for the state
// x of dataset.Words(n) words (bit q in word q/64).
func amplitude(ts []mps.Tensor, x []uint64) complex128 {
	v := []complex128{1}
	for q, t := range ts {
		v = leftStep(v, t, int(x[q/64]>>uint(q%64)&1))
	}
	return v[0]
}
