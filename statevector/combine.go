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
	for b := 0; b < len(s.data); b += 2 * L {
		for j := range L {
			var re, im float64
			for k, v := range vs {
				xr, xi := float64(v.data[b+j]), float64(v.data[b+L+j])
				re += real(c[k])*xr - imag(c[k])*xi
				im += real(c[k])*xi + imag(c[k])*xr
			}
			s.data[b+j], s.data[b+L+j] = T(re), T(im)
		}
	}
}
