//go:build !purego

package mps

import "math"

//go:noescape
func bdFusedAVX2(xr, xi, tr, ti, vr, vi *float64, n int, a, b float64) (wr, wi float64)

//go:noescape
func bdDotAVX2(xr, xi, vr, vi *float64, n int) (wr, wi float64)

//go:noescape
func bdAxpyAVX2(xr, xi, vr, vi *float64, n int, sr, si float64)

//go:noescape
func bdGemv2AVX2(zr, zi, cr, ci, c2r, c2i *float64, n int, a, b, a2, b2 float64)

// The assembly kernels take the first len &^ 7 entries and Go the rest;
// the element-wise kernels (axpy, gemv2) do the rest by math.FMA in the
// assembly's order, so that every entry's result is independent of where
// a slice starts (the bidiagonalisation splits rows among goroutines).

func bdFusedAsm(xr, xi, tr, ti, vr, vi []float64, a, b float64) (wr, wi float64) {
	n := len(xr) &^ 7
	if n > 0 {
		_, _, _, _, _ = xi[n-1], tr[n-1], ti[n-1], vr[n-1], vi[n-1]
		wr, wi = bdFusedAVX2(&xr[0], &xi[0], &tr[0], &ti[0], &vr[0], &vi[0], n, a, b)
	}
	if n < len(xr) {
		r, i := bdFusedGo(xr[n:], xi[n:], tr[n:], ti[n:], vr[n:], vi[n:], a, b)
		wr, wi = wr+r, wi+i
	}
	return wr, wi
}

func bdDotAsm(xr, xi, vr, vi []float64) (wr, wi float64) {
	n := len(xr) &^ 7
	if n > 0 {
		_, _, _ = xi[n-1], vr[n-1], vi[n-1]
		wr, wi = bdDotAVX2(&xr[0], &xi[0], &vr[0], &vi[0], n)
	}
	if n < len(xr) {
		r, i := bdDotGo(xr[n:], xi[n:], vr[n:], vi[n:])
		wr, wi = wr+r, wi+i
	}
	return wr, wi
}

func bdAxpyAsm(xr, xi, vr, vi []float64, sr, si float64) {
	n := len(xr) &^ 7
	if n > 0 {
		_, _, _ = xi[n-1], vr[n-1], vi[n-1]
		bdAxpyAVX2(&xr[0], &xi[0], &vr[0], &vi[0], n, sr, si)
	}
	if n < len(xr) {
		xr, xi, vr, vi := xr[n:], xi[n:], vr[n:], vi[n:]
		xi, vr, vi = xi[:len(xr)], vr[:len(xr)], vi[:len(xr)]
		for i, va := range vr {
			vb := vi[i]
			xr[i] = math.FMA(si, vb, math.FMA(-sr, va, xr[i]))
			xi[i] = math.FMA(-si, va, math.FMA(-sr, vb, xi[i]))
		}
	}
}

func bdGemv2Asm(zr, zi, cr, ci, c2r, c2i []float64, a, b, a2, b2 float64) {
	n := len(zr) &^ 7
	if n > 0 {
		_, _, _, _, _ = zi[n-1], cr[n-1], ci[n-1], c2r[n-1], c2i[n-1]
		bdGemv2AVX2(&zr[0], &zi[0], &cr[0], &ci[0], &c2r[0], &c2i[0], n, a, b, a2, b2)
	}
	if n < len(zr) {
		zr, zi, cr, ci, c2r, c2i := zr[n:], zi[n:], cr[n:], ci[n:], c2r[n:], c2i[n:]
		zi, cr, ci, c2r, c2i = zi[:len(zr)], cr[:len(zr)], ci[:len(zr)], c2r[:len(zr)], c2i[:len(zr)]
		for i := range zr {
			c, d, c2, d2 := cr[i], ci[i], c2r[i], c2i[i]
			zr[i] = math.FMA(-b2, d2, math.FMA(a2, c2, math.FMA(-b, d, math.FMA(a, c, zr[i]))))
			zi[i] = math.FMA(b2, c2, math.FMA(a2, d2, math.FMA(b, c, math.FMA(a, d, zi[i]))))
		}
	}
}
