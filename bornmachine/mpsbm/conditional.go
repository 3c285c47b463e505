package mpsbm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"born/dataset"
	"born/model"
)

var _ model.Conditional = (*Model)(nil)

// tagCondition is the random stream of conditional samples.
const tagCondition = 3

// SampleConditional draws shots exact samples from p(x | x_K = known_K),
// K the bits set in mask (model.Conditional), by sequential conditional
// sampling from bit 0 up. Right environments E_q[r,r'] = sum over the bits
// q..n-1 (hidden ones summed, known ones fixed) of conj(R_r) R_r', R =
// A_q...A_{n-1}, are built once, from the right, by the transfer matrices
// of the likelihood (transferRightS); a shot then carries its left vector
// v (the product of the tensors of the bits chosen so far) and draws
// hidden bit q = b with probability proportional to u^+ E_{q+1} u, u = v
// A_q[b]. Nothing assumes a canonical form, so the model's tensors are
// read as they are. The cost is O(n chi^3) for the environments and
// O(n chi^2) per shot.
func (m *Model) SampleConditional(known, mask []uint64, shots int, seed uint64) ([]uint64, error) {
	n, w := m.n, dataset.Words(m.n)
	if len(known) != w || len(mask) != w {
		return nil, fmt.Errorf("mps: a condition on %d bits takes %d words, not %d and %d", n, w, len(known), len(mask))
	}
	if shots < 0 {
		return nil, fmt.Errorf("shots %d: need a count >= 0", shots)
	}
	if r := n % 64; r != 0 && mask[w-1]>>uint(r) != 0 {
		return nil, fmt.Errorf("mps: the mask has bits beyond the model's %d", n)
	}
	errImpossible := fmt.Errorf("mps: the known bits have probability 0 under the model: no completion exists")
	ts := m.st.Tensors()
	bit := func(x []uint64, q int) int { return int(x[q/64] >> uint(q%64) & 1) }
	isKnown := func(q int) bool { return bit(mask, q) == 1 }
	// env[q] is E_q, DL_q x DL_q, scaled to largest entry 1 (only ratios
	// matter); env[n] = [1].
	env := make([][]complex128, n+1)
	env[n] = []complex128{1}
	dmax := 1
	for q := n - 1; q >= 0; q-- {
		s0, s1 := 0, 1
		if isKnown(q) {
			s0 = bit(known, q)
			s1 = s0
		}
		e := transferRightS(env[q+1], ts[q], s0, s1)
		var big float64
		for _, v := range e {
			big = math.Max(big, math.Abs(real(v))+math.Abs(imag(v)))
		}
		if big == 0 || math.IsNaN(big) || math.IsInf(big, 0) {
			return nil, errImpossible
		}
		for i := range e {
			e[i] /= complex(big, 0)
		}
		env[q] = e
		dmax = max(dmax, ts[q].DR)
	}
	// weight returns u^+ E u for the left vector u of the bond right of q.
	weight := func(u, e []complex128) float64 {
		d := len(u)
		var s float64
		for i, ui := range u {
			if ui == 0 {
				continue
			}
			var row complex128
			for j, uj := range u {
				row += e[i*d+j] * uj
			}
			s += real(complex(real(ui), -imag(ui)) * row)
		}
		return s
	}
	rng := rand.New(rand.NewPCG(seed, tagCondition))
	out := make([]uint64, shots*w)
	buf := [2][]complex128{make([]complex128, dmax), make([]complex128, dmax)}
	vbuf := make([]complex128, dmax)
	var u [2][]complex128
	for k := range shots {
		x := out[k*w : (k+1)*w]
		v := vbuf[:1]
		v[0] = 1
		for q := range n {
			t := ts[q]
			for s := range 2 {
				u[s] = buf[s][:t.DR]
				clear(u[s])
				leftStepTo(u[s], v, t, s)
			}
			var s int
			if isKnown(q) {
				s = bit(known, q)
			} else {
				p0, p1 := math.Max(0, weight(u[0], env[q+1])), math.Max(0, weight(u[1], env[q+1]))
				if !(p0+p1 > 0) {
					return nil, errImpossible
				}
				if rng.Float64()*(p0+p1) >= p0 {
					s = 1
				}
			}
			if s == 1 {
				x[q/64] |= 1 << uint(q%64)
			}
			if normalise(u[s]) == nil {
				return nil, errImpossible
			}
			v = vbuf[:t.DR]
			copy(v, u[s])
		}
	}
	return out, nil
}

// normalise returns v scaled to unit norm, or nil for a zero vector.
func normalise(v []complex128) []complex128 {
	var n2 float64
	for _, c := range v {
		n2 += real(c)*real(c) + imag(c)*imag(c)
	}
	if !(n2 > 0) {
		return nil
	}
	f := complex(1/math.Sqrt(n2), 0)
	for i := range v {
		v[i] *= f
	}
	return v
}
