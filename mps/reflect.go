package mps

// reflectorBlock is the block size of applyReflectors.
const reflectorBlock = 32

// applyReflectors sets c := H_0 H_1 ... H_{nref-1} c for the rows×k complex
// matrix c (split, row-major), where H_j = I - tau_j v_j v_j^H acts on rows
// off+j..rows-1 with v_j = (1, x_j) and x_j[i] = (vr, vi)[start + j*step +
// i*stride] for i = 0..rows-off-j-2. The reflectors are applied nb at a
// time in the compact WY form H_j...H_{j+nb-1} = I - V T V^H (LAPACK's
// zlarft and zlarfb), so that nearly all the work is in matrix products,
// and each complex product takes three real ones (Gauss's method) instead
// of four. Workspace comes from sc.
func applyReflectors(rows, k, nref, off int, vr, vi []float64, start, step, stride int, tau []complex128, cr, ci []float64, sc *scratch) {
	if nref <= 0 || k == 0 {
		return
	}
	nb := min(reflectorBlock, nref)
	lmax := rows - off
	var (
		bvr = sc.floatsDirty(lmax * nb) // V of a block, L×nb row-major
		bvi = sc.floatsDirty(lmax * nb)
		bvs = sc.floatsDirty(lmax * nb) // Vr + Vi
		btr = sc.floatsDirty(lmax * nb) // V^T, nb×L row-major
		bti = sc.floatsDirty(lmax * nb)
		bts = sc.floatsDirty(lmax * nb) // Vr^T + Vi^T
		tr  = sc.floatsDirty(nb * nb)   // T, upper triangular
		ti  = sc.floatsDirty(nb * nb)
		p1  = sc.floatsDirty(lmax * k) // products of a real GEMM
		p2  = sc.floatsDirty(lmax * k)
		w1  = sc.floatsDirty(nb * k)
		w2  = sc.floatsDirty(nb * k)
		w3  = sc.floatsDirty(nb * k)
		xr  = sc.floatsDirty(nb * k)
		xi  = sc.floatsDirty(nb * k)
		xs  = sc.floatsDirty(nb * k)
		sr  = sc.floatsDirty(nb)
		si  = sc.floatsDirty(nb)
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
			p := start + (j0+c)*step
			for i := c + 1; i < L; i++ {
				vR[i*b+c], vI[i*b+c] = vr[p], vi[p]
				p += stride
			}
		}
		// V^T and the sums (gonum's product with a transposed operand is
		// slower than forming the transpose).
		vS := bvs[:L*b]
		vtR, vtI, vtS := btr[:L*b], bti[:L*b], bts[:L*b]
		for i := 0; i < L; i++ {
			for c := 0; c < b; c++ {
				x, y := vR[i*b+c], vI[i*b+c]
				vS[i*b+c] = x + y
				vtR[c*L+i], vtI[c*L+i], vtS[c*L+i] = x, y, x+y
			}
		}
		// T: T[c][c] = tau_c; T[:c, c] = -tau_c T[:c, :c] (V[:, :c]^H v_c),
		// the inner products over rows i >= c from the rows of V^T.
		tR, tI := tr[:b*b], ti[:b*b]
		clear(tR)
		clear(tI)
		for c := 0; c < b; c++ {
			t := tau[j0+c]
			tR[c*b+c], tI[c*b+c] = real(t), imag(t)
			if c == 0 {
				continue
			}
			qr, qi := vtR[c*L+c:(c+1)*L], vtI[c*L+c:(c+1)*L]
			for p := 0; p < c; p++ {
				ar, ai := bdDot(qr, qi, vtR[p*L+c:(p+1)*L], vtI[p*L+c:(p+1)*L])
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
		// W = V^H C (b×k) = (Vr^T - i Vi^T)(Cr + i Ci): with P1 = Vr^T Cr,
		// P2 = Vi^T Ci, P3 = (Vr + Vi)^T (Cr - Ci), W = P1 + P2 + i (P1 -
		// P2 - P3).
		cR, cI := cr[r0*k:rows*k], ci[r0*k:rows*k]
		dif := p1[:L*k]
		for i := range dif {
			dif[i] = cR[i] - cI[i]
		}
		W1, W2, W3 := w1[:b*k], w2[:b*k], w3[:b*k]
		dgemm(b, k, L, 1, vtR, L, cR, k, 0, W1, k)
		dgemm(b, k, L, 1, vtI, L, cI, k, 0, W2, k)
		dgemm(b, k, L, 1, vtS, L, dif, k, 0, W3, k)
		for i := range W1 {
			x, y := W1[i], W2[i]
			W1[i], W2[i] = x+y, x-y-W3[i] // Wr, Wi
		}
		// X = T W (T upper triangular), and Xr + Xi.
		XR, XI, XS := xr[:b*k], xi[:b*k], xs[:b*k]
		for p := 0; p < b; p++ {
			xrow, xirow := XR[p*k:(p+1)*k], XI[p*k:(p+1)*k]
			clear(xrow)
			clear(xirow)
			for q := p; q < b; q++ {
				a, bb := tR[p*b+q], tI[p*b+q]
				if a == 0 && bb == 0 {
					continue
				}
				// X_p += T_pq W_q
				bdAxpy(xrow, xirow, W1[q*k:(q+1)*k], W2[q*k:(q+1)*k], -a, -bb)
			}
		}
		for i := range XS {
			XS[i] = XR[i] + XI[i]
		}
		// C -= V X: with P1 = Vr Xr, P2 = Vi Xi, P3 = (Vr + Vi)(Xr + Xi),
		// V X = P1 - P2 + i (P3 - P1 - P2).
		P1, P2 := p1[:L*k], p2[:L*k]
		dgemm(L, k, b, 1, vR, b, XR, k, 0, P1, k)
		dgemm(L, k, b, 1, vI, b, XI, k, 0, P2, k)
		dgemm(L, k, b, -1, vS, b, XS, k, 1, cI, k)
		cR, cI = cR[:len(P1)], cI[:len(P1)]
		P2 = P2[:len(P1)]
		for i, x := range P1 {
			y := P2[i]
			cR[i] += y - x
			cI[i] += x + y
		}
	}
}
