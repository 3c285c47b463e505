package mps

import "runtime"

// Small dense complex helpers. Matrices are row-major []complex128.

// zmul returns the m×n product a b of a (m×k) and b (k×n). Large products
// go through dgemm (on up to GOMAXPROCS goroutines) on split real and
// imaginary parts.
func zmul(m, k, n int, a, b []complex128) []complex128 {
	c := make([]complex128, m*n)
	if m == 0 || n == 0 || k == 0 {
		return c
	}
	if m*k*n < 32*32*32 {
		for i := 0; i < m; i++ {
			ci := c[i*n : (i+1)*n]
			for l := 0; l < k; l++ {
				x := a[i*k+l]
				if x == 0 {
					continue
				}
				bl := b[l*n : (l+1)*n]
				for j, y := range bl {
					ci[j] += x * y
				}
			}
		}
		return c
	}
	// Gauss's three-multiplication form: t1 = ar br, t2 = ai bi,
	// t3 = (ar+ai)(br+bi); cr = t1 - t2, ci = t3 - t1 - t2.
	ar, ai := split(a[:m*k])
	br, bi := split(b[:k*n])
	cr := make([]float64, m*n)
	ci := make([]float64, m*n)
	t2 := make([]float64, m*n)
	dgemmPar(runtime.GOMAXPROCS(0), m, n, k, 1, ar, k, br, n, 0, cr, n)
	dgemmPar(runtime.GOMAXPROCS(0), m, n, k, 1, ai, k, bi, n, 0, t2, n)
	for i := range ai {
		ai[i] += ar[i]
	}
	for i := range bi {
		bi[i] += br[i]
	}
	dgemmPar(runtime.GOMAXPROCS(0), m, n, k, 1, ai, k, bi, n, 0, ci, n)
	for i := range ci {
		t1 := cr[i]
		cr[i] = t1 - t2[i]
		ci[i] -= t1 + t2[i]
	}
	for i := range c {
		c[i] = complex(cr[i], ci[i])
	}
	return c
}

func split(a []complex128) (re, im []float64) {
	re = make([]float64, len(a))
	im = make([]float64, len(a))
	for i, v := range a {
		re[i], im[i] = real(v), imag(v)
	}
	return re, im
}

// adjoint returns the n×m conjugate transpose of the m×n matrix a.
func adjoint(m, n int, a []complex128) []complex128 {
	out := make([]complex128, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			v := a[i*n+j]
			out[j*m+i] = complex(real(v), -imag(v))
		}
	}
	return out
}

// qr returns the thin QR factorisation a = q r of the m×n matrix a: with
// k = min(m, n), q is m×k with orthonormal columns and r is k×n upper
// trapezoidal. It uses Householder reflectors.
func qr(m, n int, a []complex128) (q, r []complex128) {
	k := min(m, n)
	ar := make([]float64, m*n)
	ai := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			v := a[i*n+j]
			ar[j*m+i], ai[j*m+i] = real(v), imag(v)
		}
	}
	tau := make([]complex128, k)
	for c := 0; c < k; c++ {
		ckr, cki := ar[c*m:(c+1)*m], ai[c*m:(c+1)*m]
		beta, t := larfg(ckr[c], cki[c], ckr[c+1:], cki[c+1:])
		tau[c] = t
		ckr[c], cki[c] = beta, 0
		if t == 0 {
			continue
		}
		ctr, cti := real(t), -imag(t)
		vr0, vi0 := ckr[c+1:m], cki[c+1:m]
		for j := c + 1; j < n; j++ {
			cjr, cji := ar[j*m+c:(j+1)*m], ai[j*m+c:(j+1)*m]
			xr, xi := cjr[1:], cji[1:]
			xr, xi = xr[:len(vr0)], xi[:len(vr0)]
			wr, wi := cjr[0], cji[0]
			for i, x := range vr0 {
				y := vi0[i]
				wr += x*xr[i] + y*xi[i]
				wi += x*xi[i] - y*xr[i]
			}
			tr, ti := ctr*wr-cti*wi, ctr*wi+cti*wr
			cjr[0] -= tr
			cji[0] -= ti
			for i, x := range vr0 {
				y := vi0[i]
				xr[i] -= tr*x - ti*y
				xi[i] -= tr*y + ti*x
			}
		}
	}
	r = make([]complex128, k*n)
	for i := 0; i < k; i++ {
		for j := i; j < n; j++ {
			r[i*n+j] = complex(ar[j*m+i], ai[j*m+i])
		}
	}
	qr, qi := formQ(m, k, ar, ai, tau)
	q = make([]complex128, m*k)
	for j := 0; j < k; j++ {
		for i := 0; i < m; i++ {
			q[i*k+j] = complex(qr[j*m+i], qi[j*m+i])
		}
	}
	return q, r
}

// lq returns the thin LQ factorisation a = l q of the m×n matrix a: with
// k = min(m, n), l is m×k and q is k×n with orthonormal rows.
func lq(m, n int, a []complex128) (l, q []complex128) {
	qq, rr := qr(n, m, adjoint(m, n, a)) // a^H = qq rr: qq n×k, rr k×m
	k := min(m, n)
	return adjoint(k, m, rr), adjoint(n, k, qq)
}
