package statevector

import "fmt"

// Combine sets s to the linear combination sum over k of c[k] vs[k],
// reusing s's memory; s may be one of vs. Every amplitude is accumulated
// in float64 in increasing k, so the result does not depend on anything
// but the inputs. It panics if len(c) != len(vs) or a state has another
// number of qubits.
//
// States of different circuits combine this way when the circuits share
// their gates after a point: the suffix is linear, so its image of a
// combination is the combination of its images (the shift gradient uses
// this to share the suffix between the shifted circuits of one gate).
func (s *Vector[T]) Combine(c []complex128, vs []*Vector[T]) {
	if len(c) != len(vs) {
		panic(fmt.Sprintf("statevector: Combine of %d states with %d coefficients", len(vs), len(c)))
	}
	for _, v := range vs {
		if v.n != s.n {
			panic(fmt.Sprintf("statevector: Combine of a %d-qubit state into a %d-qubit state", v.n, s.n))
		}
	}
	L := lanes[T]()
	var acc [2 * 16]float64 // one block's (re, im) sums; L <= 16
	for b := 0; b < len(s.data); b += 2 * L {
		re, im := acc[:L], acc[L:2*L]
		for k, v := range vs {
			cr, ci := real(c[k]), imag(c[k])
			xr, xi := v.data[b:b+L], v.data[b+L:b+2*L]
			xr, xi = xr[:len(re)], xi[:len(re)]
			if k == 0 {
				for j := range re {
					re[j] = cr*float64(xr[j]) - ci*float64(xi[j])
					im[j] = cr*float64(xi[j]) + ci*float64(xr[j])
				}
				continue
			}
			for j := range re {
				re[j] += cr*float64(xr[j]) - ci*float64(xi[j])
				im[j] += cr*float64(xi[j]) + ci*float64(xr[j])
			}
		}
		if len(vs) == 0 {
			clear(acc[:2*L])
		}
		or, oi := s.data[b:b+L], s.data[b+L:b+2*L]
		or, oi = or[:len(re)], oi[:len(re)]
		for j := range re {
			or[j], oi[j] = T(re[j]), T(im[j])
		}
	}
}
