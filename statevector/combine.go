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
	if len(vs) == 2 {
		combine2(s.data, vs[0].data, vs[1].data, c[0], c[1], L)
		return
	}
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

// combine2 sets d = a x + b y (storage of split blocks of L lanes), summing
// in float64 in the order of the general case: (a x) + (b y).
func combine2[T Float](d, x, y []T, a, b complex128, L int) {
	ar, ai, br, bi := real(a), imag(a), real(b), imag(b)
	x, y = x[:len(d)], y[:len(d)]
	for o := 0; o+2*L <= len(d); o += 2 * L {
		dr, di := d[o:o+L], d[o+L:o+2*L]
		xr, xi := x[o:o+L], x[o+L:o+2*L]
		yr, yi := y[o:o+L], y[o+L:o+2*L]
		di, xr, xi, yr, yi = di[:len(dr)], xr[:len(dr)], xi[:len(dr)], yr[:len(dr)], yi[:len(dr)]
		for j := range dr {
			pr, pi := float64(xr[j]), float64(xi[j])
			qr, qi := float64(yr[j]), float64(yi[j])
			re := ar*pr - ai*pi
			im := ar*pi + ai*pr
			re += br*qr - bi*qi
			im += br*qi + bi*qr
			dr[j], di[j] = T(re), T(im)
		}
	}
}
