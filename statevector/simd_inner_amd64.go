//go:build goexperiment.simd && amd64

package statevector

import (
	"simd/archsimd"
	"unsafe"
)

func init() {
	if archsimd.X86.AVX512() {
		inner1F64 = inner1AVX512F64
	}
}

// inner1AVX512F64 is the double-precision core of PartialInner for one
// uncontrolled target t on an n-qubit state (n > 3): lane-wise fused
// multiply-adds into eight accumulator vectors, summed across lanes at the
// end. It returns R00, R01, R10, R11.
func inner1AVX512F64(bra, ket []float64, t, n int) [4]complex128 {
	const L, bb = lanesF64, 2 * lanesF64 * 8 // lanes, block bytes
	pb := unsafe.Pointer(unsafe.SliceData(bra))
	pk := unsafe.Pointer(unsafe.SliceData(ket))
	nb := 1 << uint(n-3)
	var zero archsimd.Float64x8
	var out [4]complex128
	if t >= 3 {
		// Blocks x (target 0) and x+ps (target 1), lane by lane.
		ps := uintptr(bb) << uint(t-3)
		fixed := 1 << uint(t-3)
		var r00, i00, r01, i01, r10, i10, r11, i11 archsimd.Float64x8
		x := 0
		for range nb / 2 {
			a := unsafe.Add(pb, uintptr(x)*bb)
			k := unsafe.Add(pk, uintptr(x)*bb)
			xr, xi := ldF64(a, 0), ldF64(a, 64)
			ur, ui := ldF64(a, ps), ldF64(a, ps+64)
			nxi, nui := zero.Sub(xi), zero.Sub(ui)
			yr, yi := ldF64(k, 0), ldF64(k, 64)
			r00 = xi.MulAdd(yi, xr.MulAdd(yr, r00))
			i00 = nxi.MulAdd(yr, xr.MulAdd(yi, i00))
			r10 = ui.MulAdd(yi, ur.MulAdd(yr, r10))
			i10 = nui.MulAdd(yr, ur.MulAdd(yi, i10))
			vr, vi := ldF64(k, ps), ldF64(k, ps+64)
			r01 = xi.MulAdd(vi, xr.MulAdd(vr, r01))
			i01 = nxi.MulAdd(vr, xr.MulAdd(vi, i01))
			r11 = ui.MulAdd(vi, ur.MulAdd(vr, r11))
			i11 = nui.MulAdd(vr, ur.MulAdd(vi, i11))
			x = ((x | fixed) + 1) &^ fixed
		}
		var s [8][L]float64
		for e, v := range [8]archsimd.Float64x8{r00, i00, r01, i01, r10, i10, r11, i11} {
			v.Store(&s[e])
		}
		archsimd.ClearAVXUpperBits()
		for e := range 4 {
			var re, im float64
			for j := range L {
				re += s[2*e][j]
				im += s[2*e+1][j]
			}
			out[e] = complex(re, im)
		}
		return out
	}
	// A low target: lane j pairs with lane j^tb of the same block. P is
	// conj(bra) * ket lane-wise, Q the same with ket's lanes permuted; the
	// lanes with target bit 0 and 1 then hold the four sums.
	tb := 1 << uint(t)
	pm := permF64(tb)
	var pr, pi, qr, qi archsimd.Float64x8
	for b := range nb {
		a := unsafe.Add(pb, uintptr(b)*bb)
		k := unsafe.Add(pk, uintptr(b)*bb)
		xr, xi := ldF64(a, 0), ldF64(a, 64)
		nxi := zero.Sub(xi)
		yr, yi := ldF64(k, 0), ldF64(k, 64)
		zr, zi := yr.Permute(pm), yi.Permute(pm)
		pr = xi.MulAdd(yi, xr.MulAdd(yr, pr))
		pi = nxi.MulAdd(yr, xr.MulAdd(yi, pi))
		qr = xi.MulAdd(zi, xr.MulAdd(zr, qr))
		qi = nxi.MulAdd(zr, xr.MulAdd(zi, qi))
	}
	var s [4][L]float64
	pr.Store(&s[0])
	pi.Store(&s[1])
	qr.Store(&s[2])
	qi.Store(&s[3])
	archsimd.ClearAVXUpperBits()
	var a [8]float64 // R00, R01, R10, R11 as (re, im)
	for j := range L {
		if j&tb == 0 {
			a[0] += s[0][j]
			a[1] += s[1][j]
			a[2] += s[2][j]
			a[3] += s[3][j]
		} else {
			a[6] += s[0][j]
			a[7] += s[1][j]
			a[4] += s[2][j]
			a[5] += s[3][j]
		}
	}
	for e := range 4 {
		out[e] = complex(a[2*e], a[2*e+1])
	}
	return out
}
