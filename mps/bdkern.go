package mps

// Level-2 kernels of the bidiagonalisation on split complex vectors (real
// parts in one slice, imaginary parts in another). Each has a portable Go
// form here; on amd64 with AVX2 and FMA, assembly forms replace them (see
// bdkern_amd64.go). All slices passed to one call have the same length.

// bdKernelSet is one implementation of the four kernels.
type bdKernelSet struct {
	fused func(xr, xi, tr, ti, vr, vi []float64, a, b float64) (wr, wi float64)
	dot   func(xr, xi, vr, vi []float64) (wr, wi float64)
	axpy  func(xr, xi, vr, vi []float64, sr, si float64)
	gemv2 func(zr, zi, cr, ci, c2r, c2i []float64, a, b, a2, b2 float64)
}

// bdKernelsFast is the assembly set this CPU runs (nil: none).
var bdKernelsFast *bdKernelSet

var (
	bdFused = bdFusedGo
	bdDot   = bdDotGo
	bdAxpy  = bdAxpyGo
	bdGemv2 = bdGemv2Go
)

// bdFusedGo sets x -= t (a + ib) and returns w = sum_i conj(v_i) x_i of the
// updated x: the pending right update of a column fused with the inner
// product of the left reflector.
func bdFusedGo(xr, xi, tr, ti, vr, vi []float64, a, b float64) (wr, wi float64) {
	xi, tr, ti, vr, vi = xi[:len(xr)], tr[:len(xr)], ti[:len(xr)], vr[:len(xr)], vi[:len(xr)]
	for i, va := range vr {
		vb := vi[i]
		c := xr[i] - (tr[i]*a - ti[i]*b)
		d := xi[i] - (tr[i]*b + ti[i]*a)
		xr[i], xi[i] = c, d
		wr += va*c + vb*d
		wi += va*d - vb*c
	}
	return wr, wi
}

// bdDotGo returns sum_i conj(v_i) x_i.
func bdDotGo(xr, xi, vr, vi []float64) (wr, wi float64) {
	xi, vr, vi = xi[:len(xr)], vr[:len(xr)], vi[:len(xr)]
	for i, va := range vr {
		vb := vi[i]
		c, d := xr[i], xi[i]
		wr += va*c + vb*d
		wi += va*d - vb*c
	}
	return wr, wi
}

// bdAxpyGo sets x -= (sr + i si) v.
func bdAxpyGo(xr, xi, vr, vi []float64, sr, si float64) {
	xi, vr, vi = xi[:len(xr)], vr[:len(xr)], vi[:len(xr)]
	for i, va := range vr {
		vb := vi[i]
		xr[i] -= sr*va - si*vb
		xi[i] -= sr*vb + si*va
	}
}

// bdGemv2Go sets z += (a + ib) c + (a2 + ib2) c2.
func bdGemv2Go(zr, zi, cr, ci, c2r, c2i []float64, a, b, a2, b2 float64) {
	zi, cr, ci, c2r, c2i = zi[:len(zr)], cr[:len(zr)], ci[:len(zr)], c2r[:len(zr)], c2i[:len(zr)]
	for i := range zr {
		c, d := cr[i], ci[i]
		c2, d2 := c2r[i], c2i[i]
		zr[i] = zr[i] + (a*c - b*d) + (a2*c2 - b2*d2)
		zi[i] = zi[i] + (a*d + b*c) + (a2*d2 + b2*c2)
	}
}
