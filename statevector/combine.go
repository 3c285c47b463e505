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

// ExpectDiagCombined returns the sum over x of w[x] |a(x)|^2, with
// a(x) = sum over k of c[k] <x|vs[k]>: the expectation of the diagonal
// observable w in the state Combine(c, vs) would form (unnormalised), in
// one pass and without forming it. Each amplitude a(x) is computed as
// Combine computes it and each |a(x)|^2 as ExpectDiag does; the terms are
// summed in float64 in a fixed order (per lane of a storage block, then
// the lanes in order), so the result depends only on the inputs. w must
// have 2^n entries. It panics as Combine does.
func ExpectDiagCombined[T Float](w []float64, c []complex128, vs []*Vector[T]) float64 {
	if len(c) != len(vs) || len(vs) == 0 {
		panic(fmt.Sprintf("statevector: ExpectDiagCombined of %d states with %d coefficients", len(vs), len(c)))
	}
	n := vs[0].n
	for _, v := range vs {
		if v.n != n {
			panic(fmt.Sprintf("statevector: ExpectDiagCombined of a %d-qubit and a %d-qubit state", v.n, n))
		}
	}
	if len(w) != 1<<uint(n) {
		panic(fmt.Sprintf("statevector: %d weights for a %d-qubit state", len(w), n))
	}
	L := lanes[T]()
	var acc [16]float64 // per-lane partial sums; L <= 16
	if len(vs) == 2 {
		expectDiag2(&acc, w, vs[0].data, vs[1].data, c[0], c[1], L)
	} else {
		var re, im [16]float64
		for b := 0; b*L < len(w); b++ {
			o := b * 2 * L
			nl := min(L, len(w)-b*L)
			for k, v := range vs {
				cr, ci := real(c[k]), imag(c[k])
				for j := range nl {
					xr, xi := float64(v.data[o+j]), float64(v.data[o+L+j])
					if k == 0 {
						re[j] = cr*xr - ci*xi
						im[j] = cr*xi + ci*xr
						continue
					}
					re[j] += cr*xr - ci*xi
					im[j] += cr*xi + ci*xr
				}
			}
			for j := range nl {
				acc[j] += w[b*L+j] * (re[j]*re[j] + im[j]*im[j])
			}
		}
	}
	var t float64
	for _, v := range acc[:L] {
		t += v
	}
	return t
}

// expectDiag2 adds w[x] |a x + b y|^2 into acc's lanes (storage of split
// blocks of L lanes).
func expectDiag2[T Float](acc *[16]float64, w []float64, x, y []T, a, b complex128, L int) {
	ar, ai, br, bi := real(a), imag(a), real(b), imag(b)
	if len(w) < L { // a state smaller than one block
		for j := range w {
			pr, pi, qr, qi := float64(x[j]), float64(x[L+j]), float64(y[j]), float64(y[L+j])
			re := ar*pr - ai*pi
			im := ar*pi + ai*pr
			re += br*qr - bi*qi
			im += br*qi + bi*qr
			acc[j] += w[j] * (re*re + im*im)
		}
		return
	}
	y = y[:len(x)]
	for o := 0; o+2*L <= len(x); o += 2 * L {
		xr, xi := x[o:o+L], x[o+L:o+2*L]
		yr, yi := y[o:o+L], y[o+L:o+2*L]
		ws := w[o/2 : o/2+L]
		xi, yr, yi, ws = xi[:len(xr)], yr[:len(xr)], yi[:len(xr)], ws[:len(xr)]
		for j := range xr {
			pr, pi := float64(xr[j]), float64(xi[j])
			qr, qi := float64(yr[j]), float64(yi[j])
			re := ar*pr - ai*pi
			im := ar*pi + ai*pr
			re += br*qr - bi*qi
			im += br*qi + bi*qr
			acc[j] += ws[j] * (re*re + im*im)
		}
	}
}
