package mpsbm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"born/dataset"
	"born/model"
	"born/mps"
)

var _ model.Conditional = (*Model)(nil)

// tagCondition is the random stream of conditional samples.
const tagCondition = 3

// SampleConditional draws shots exact samples from p(x | x_K = known_K),
// K the bits set in mask (model.Conditional), by sequential conditional
// sampling from bit 0 up. Right environments E_q = sum over the bits q..n-1
// (hidden ones summed, known ones fixed) of (A_q...A_{n-1})(A_q...A_{n-1})^+
// are built once, from the right; a shot then carries its left vector v
// (the product of the tensors of the bits chosen so far) and draws hidden
// bit q = b with probability proportional to (v A_q[b]) E_{q+1}
// (v A_q[b])^+. Nothing assumes a canonical form, so the model's tensors
// are read as they are. The cost is O(n chi^3) for the environments and
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
	ts := m.st.Tensors()
	bit := func(x []uint64, q int) int { return int(x[q/64] >> uint(q%64) & 1) }
	isKnown := func(q int) bool { return bit(mask, q) == 1 }
	// env[q] is E_q, DL_q x DL_q, scaled to largest entry 1 (only ratios
	// matter); env[n] = [1].
	env := make([][]complex128, n+1)
	env[n] = []complex128{1}
	for q := n - 1; q >= 0; q-- {
		t := ts[q]
		e := make([]complex128, t.DL*t.DL)
		for s := range 2 {
			if isKnown(q) && s != bit(known, q) {
				continue
			}
			// B = A_s E_{q+1} (DL x DR), then e += B A_s^+.
			as := slice(t, s)
			b := make([]complex128, t.DL*t.DR)
			for l := range t.DL {
				for r := range t.DR {
					a := as[l*t.DR+r]
					if a == 0 {
						continue
					}
					er := env[q+1][r*t.DR : (r+1)*t.DR]
					br := b[l*t.DR : (l+1)*t.DR]
					for r2, v := range er {
						br[r2] += a * v
					}
				}
			}
			for l := range t.DL {
				br := b[l*t.DR : (l+1)*t.DR]
				for l2 := range t.DL {
					ar := as[l2*t.DR : (l2+1)*t.DR]
					var sum complex128
					for r, v := range br {
						sum += v * complex(real(ar[r]), -imag(ar[r]))
					}
					e[l*t.DL+l2] += sum
				}
			}
		}
		var big float64
		for _, v := range e {
			big = math.Max(big, math.Abs(real(v))+math.Abs(imag(v)))
		}
		if big == 0 || math.IsNaN(big) || math.IsInf(big, 0) {
			return nil, fmt.Errorf("mps: the known bits have probability 0 under the model: no completion exists")
		}
		for i := range e {
			e[i] /= complex(big, 0)
		}
		env[q] = e
	}
	// weight returns u E u^+ for a row vector u of the bond right of q-1.
	weight := func(u, e []complex128) float64 {
		d := len(u)
		var s float64
		for i, ui := range u {
			if ui == 0 {
				continue
			}
			var row complex128
			for j, uj := range u {
				row += e[i*d+j] * complex(real(uj), -imag(uj))
			}
			s += real(ui * row)
		}
		return s
	}
	sl := make([][2][]complex128, n)
	dmax := 1
	for q, t := range ts {
		sl[q] = [2][]complex128{slice(t, 0), slice(t, 1)}
		dmax = max(dmax, t.DR)
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
				u[s] = vecMat(buf[s][:t.DR], v, sl[q][s])
			}
			var s int
			if isKnown(q) {
				s = bit(known, q)
			} else {
				p0, p1 := math.Max(0, weight(u[0], env[q+1])), math.Max(0, weight(u[1], env[q+1]))
				if !(p0+p1 > 0) {
					return nil, fmt.Errorf("mps: the known bits have probability 0 under the model: no completion exists")
				}
				if rng.Float64()*(p0+p1) >= p0 {
					s = 1
				}
			}
			if s == 1 {
				x[q/64] |= 1 << uint(q%64)
			}
			if normalise(u[s]) == nil {
				return nil, fmt.Errorf("mps: the known bits have probability 0 under the model: no completion exists")
			}
			v = vbuf[:t.DR]
			copy(v, u[s])
		}
	}
	return out, nil
}

// slice returns A[:, s, :] of t as a DL x DR matrix.
func slice(t mps.Tensor, s int) []complex128 {
	a := make([]complex128, t.DL*t.DR)
	for l := range t.DL {
		copy(a[l*t.DR:(l+1)*t.DR], t.A[(2*l+s)*t.DR:(2*l+s+1)*t.DR])
	}
	return a
}

// vecMat sets out to the row vector v times the len(v) x len(out) matrix
// a and returns it.
func vecMat(out, v, a []complex128) []complex128 {
	dr := len(out)
	clear(out)
	for l, c := range v {
		if c == 0 {
			continue
		}
		for r, y := range a[l*dr : (l+1)*dr] {
			out[r] += c * y
		}
	}
	return out
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
