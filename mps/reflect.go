package mps

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// reflectorBlock is the block size of applyReflectors.
const reflectorBlock = 32

// applyReflectors sets c := H_0 H_1 ... H_{nref-1} c for the rows×k complex
// matrix c (split, row-major), where H_j = I - tau_j v_j v_j^H acts on rows
// off+j..rows-1 with v_j = (1, x_j) and x_j[i] = (vr, vi)[at(j, i)] for
// i = 0..rows-off-j-2. The reflectors are applied nb at a time in the
// compact WY form H_j...H_{j+nb-1} = I - V T V^H (LAPACK's zlarft and
// zlarfb), so that nearly all the work is in matrix products.
func applyReflectors(rows, k, nref, off int, vr, vi []float64, at func(j, i int) int, tau []complex128, cr, ci []float64) {
	if nref <= 0 || k == 0 {
		return
	}
	g := blas64.Implementation()
	nb := min(reflectorBlock, nref)
	var (
		bvr = make([]float64, (rows-off)*nb) // V of a block, L×nb row-major
		bvi = make([]float64, (rows-off)*nb)
		btr = make([]float64, (rows-off)*nb) // V^T, nb×L row-major
		bti = make([]float64, (rows-off)*nb)
		tr  = make([]float64, nb*nb) // T, upper triangular
		ti  = make([]float64, nb*nb)
		wr  = make([]float64, nb*k)
		wi  = make([]float64, nb*k)
		xr  = make([]float64, nb*k)
		xi  = make([]float64, nb*k)
		sr  = make([]float64, nb)
		si  = make([]float64, nb)
	)
	last := (nref - 1) / nb * nb
	for j0 := last; j0 >= 0; j0 -= nb {
		b := min(nb, nref-j0)
		r0 := off + j0 // first row the block acts on
		L := rows - r0
		vR, vI := bvr[:L*b], bvi[:L*b]
		clear(vR)
		clear(vI)
		for c := 0; c < b; c++ {
			vR[c*b+c] = 1
			for i := c + 1; i < L; i++ {
				p := at(j0+c, i-c-1)
				vR[i*b+c], vI[i*b+c] = vr[p], vi[p]
			}
		}
		// T: T[c][c] = tau_c; T[:c, c] = -tau_c T[:c, :c] (V[:, :c]^H v_c).
		tR, tI := tr[:b*b], ti[:b*b]
		clear(tR)
		clear(tI)
		for c := 0; c < b; c++ {
			t := tau[j0+c]
			tR[c*b+c], tI[c*b+c] = real(t), imag(t)
			if c == 0 {
				continue
			}
			for p := 0; p < c; p++ {
				// s_p = sum_i conj(V[i][p]) V[i][c], rows i >= c
				var ar, ai float64
				for i := c; i < L; i++ {
					pr, pi := vR[i*b+p], vI[i*b+p]
					qr, qi := vR[i*b+c], vI[i*b+c]
					ar += pr*qr + pi*qi
					ai += pr*qi - pi*qr
				}
				// times -tau_c
				sr[p] = -(real(t)*ar - imag(t)*ai)
				si[p] = -(real(t)*ai + imag(t)*ar)
			}
			for p := 0; p < c; p++ {
				var ar, ai float64
				for q := p; q < c; q++ {
					a, bb := tR[p*b+q], tI[p*b+q]
					ar += a*sr[q] - bb*si[q]
					ai += a*si[q] + bb*sr[q]
				}
				tR[p*b+c], tI[p*b+c] = ar, ai
			}
		}
		// W = V^H C (b×k): real part Vr^T Cr + Vi^T Ci, imaginary Vr^T Ci - Vi^T Cr.
		// (V^T is formed explicitly: gonum's product with a transposed
		// operand is slower.)
		cR, cI := cr[r0*k:rows*k], ci[r0*k:rows*k]
		WR, WI := wr[:b*k], wi[:b*k]
		vtR, vtI := btr[:L*b], bti[:L*b]
		for i := 0; i < L; i++ {
			for c := 0; c < b; c++ {
				vtR[c*L+i], vtI[c*L+i] = vR[i*b+c], vI[i*b+c]
			}
		}
		g.Dgemm(blas.NoTrans, blas.NoTrans, b, k, L, 1, vtR, L, cR, k, 0, WR, k)
		g.Dgemm(blas.NoTrans, blas.NoTrans, b, k, L, 1, vtI, L, cI, k, 1, WR, k)
		g.Dgemm(blas.NoTrans, blas.NoTrans, b, k, L, 1, vtR, L, cI, k, 0, WI, k)
		g.Dgemm(blas.NoTrans, blas.NoTrans, b, k, L, -1, vtI, L, cR, k, 1, WI, k)
		// X = T W (T upper triangular).
		XR, XI := xr[:b*k], xi[:b*k]
		for p := 0; p < b; p++ {
			xrow, xirow := XR[p*k:(p+1)*k], XI[p*k:(p+1)*k]
			clear(xrow)
			clear(xirow)
			for q := p; q < b; q++ {
				a, bb := tR[p*b+q], tI[p*b+q]
				if a == 0 && bb == 0 {
					continue
				}
				wrow, wirow := WR[q*k:(q+1)*k], WI[q*k:(q+1)*k]
				for j := range xrow {
					x, y := wrow[j], wirow[j]
					xrow[j] += a*x - bb*y
					xirow[j] += a*y + bb*x
				}
			}
		}
		// C -= V X: real Vr Xr - Vi Xi, imaginary Vr Xi + Vi Xr.
		g.Dgemm(blas.NoTrans, blas.NoTrans, L, k, b, -1, vR, b, XR, k, 1, cR, k)
		g.Dgemm(blas.NoTrans, blas.NoTrans, L, k, b, 1, vI, b, XI, k, 1, cR, k)
		g.Dgemm(blas.NoTrans, blas.NoTrans, L, k, b, -1, vR, b, XI, k, 1, cI, k)
		g.Dgemm(blas.NoTrans, blas.NoTrans, L, k, b, -1, vI, b, XR, k, 1, cI, k)
	}
}
