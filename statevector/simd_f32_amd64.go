//go:build goexperiment.simd && amd64

// The AVX-512 kernels for single precision. simd_f64_amd64.go is generated
// from this file by gen_simd.go (go generate): edit this one only.

package statevector

import (
	"simd/archsimd"
	"unsafe"
)

// Every kernel ends with ClearAVXUpperBits (VZEROUPPER): Go compiles
// scalar floating point to legacy SSE instructions, which run several times
// slower while the upper halves of the vector registers are dirty (false
// dependencies), so scalar code after a kernel (reading probabilities,
// inner products) would otherwise pay for it.

// A block is 128 bytes in both precisions: the real parts at +0, the
// imaginary parts at +64. A coefficient vector is 192 bytes: re, im, -im.
const (
	blockBytesF32 = 128
	coefBytesF32  = 192
)

func ldF32(p unsafe.Pointer, off uintptr) archsimd.Float32x16 {
	return archsimd.LoadFloat32x16((*[lanesF32]float32)(unsafe.Add(p, off)))
}

func stF32(v archsimd.Float32x16, p unsafe.Pointer, off uintptr) {
	v.Store((*[lanesF32]float32)(unsafe.Add(p, off)))
}

// permF32 returns the index vector that makes lane i read lane i^m.
func permF32(m int) archsimd.Uint32x16 {
	return archsimd.LoadUint32x16(&iotaF32).Xor(archsimd.BroadcastUint32x16(uint32(m)))
}

// cmulF32 returns c*x, c the coefficient vector at c.
func cmulF32(c unsafe.Pointer, xr, xi archsimd.Float32x16) (archsimd.Float32x16, archsimd.Float32x16) {
	yr := ldF32(c, 0).Mul(xr)
	yi := ldF32(c, 0).Mul(xi)
	yr = ldF32(c, 128).MulAdd(xi, yr)
	yi = ldF32(c, 64).MulAdd(xr, yi)
	return yr, yi
}

// cmacF32 returns y + c*x.
func cmacF32(c unsafe.Pointer, xr, xi, yr, yi archsimd.Float32x16) (archsimd.Float32x16, archsimd.Float32x16) {
	yr = ldF32(c, 0).MulAdd(xr, yr)
	yi = ldF32(c, 0).MulAdd(xi, yi)
	yr = ldF32(c, 128).MulAdd(xi, yr)
	yi = ldF32(c, 64).MulAdd(xr, yi)
	return yr, yi
}

// dense1hiF32: one high target; a group is two blocks.
func dense1hiF32(d []float32, p *pop[float32], from, to int) {
	base := unsafe.Pointer(unsafe.SliceData(d))
	c := unsafe.Pointer(unsafe.SliceData(p.coef))
	so := uintptr(p.hiOff[1]) * blockBytesF32
	fixed, bval := p.bfixed, p.bval
	x := deposit(from, fixed)
	for g := from; g < to; g++ {
		pa := unsafe.Add(base, uintptr(x|bval)*blockBytesF32)
		pb := unsafe.Add(pa, so)
		ar, ai := ldF32(pa, 0), ldF32(pa, 64)
		br, bi := ldF32(pb, 0), ldF32(pb, 64)
		yr, yi := cmulF32(c, ar, ai)
		yr, yi = cmacF32(unsafe.Add(c, coefBytesF32), br, bi, yr, yi)
		stF32(yr, pa, 0)
		stF32(yi, pa, 64)
		zr, zi := cmulF32(unsafe.Add(c, 2*coefBytesF32), ar, ai)
		zr, zi = cmacF32(unsafe.Add(c, 3*coefBytesF32), br, bi, zr, zi)
		stF32(zr, pb, 0)
		stF32(zi, pb, 64)
		x = ((x | fixed) + 1) &^ fixed
	}
	archsimd.ClearAVXUpperBits()
}

// dense1loF32: one low target; a group is one block.
func dense1loF32(d []float32, p *pop[float32], from, to int) {
	base := unsafe.Pointer(unsafe.SliceData(d))
	c := unsafe.Pointer(unsafe.SliceData(p.coef))
	pm := permF32(p.spread(1))
	fixed, bval := p.bfixed, p.bval
	x := deposit(from, fixed)
	for g := from; g < to; g++ {
		pa := unsafe.Add(base, uintptr(x|bval)*blockBytesF32)
		xr, xi := ldF32(pa, 0), ldF32(pa, 64)
		yr, yi := cmulF32(c, xr, xi)
		yr, yi = cmacF32(unsafe.Add(c, coefBytesF32), xr.Permute(pm), xi.Permute(pm), yr, yi)
		stF32(yr, pa, 0)
		stF32(yi, pa, 64)
		x = ((x | fixed) + 1) &^ fixed
	}
	archsimd.ClearAVXUpperBits()
}

// dense2hhF32: two high targets; a group is four blocks.
func dense2hhF32(d []float32, p *pop[float32], from, to int) {
	base := unsafe.Pointer(unsafe.SliceData(d))
	c := unsafe.Pointer(unsafe.SliceData(p.coef))
	o1 := uintptr(p.hiOff[1]) * blockBytesF32
	o2 := uintptr(p.hiOff[2]) * blockBytesF32
	o3 := uintptr(p.hiOff[3]) * blockBytesF32
	fixed, bval := p.bfixed, p.bval
	x := deposit(from, fixed)
	for g := from; g < to; g++ {
		p0 := unsafe.Add(base, uintptr(x|bval)*blockBytesF32)
		p1, p2, p3 := unsafe.Add(p0, o1), unsafe.Add(p0, o2), unsafe.Add(p0, o3)
		a0r, a0i := ldF32(p0, 0), ldF32(p0, 64)
		a1r, a1i := ldF32(p1, 0), ldF32(p1, 64)
		a2r, a2i := ldF32(p2, 0), ldF32(p2, 64)
		a3r, a3i := ldF32(p3, 0), ldF32(p3, 64)
		cr := c
		yr, yi := cmulF32(cr, a0r, a0i)
		yr, yi = cmacF32(unsafe.Add(cr, coefBytesF32), a1r, a1i, yr, yi)
		yr, yi = cmacF32(unsafe.Add(cr, 2*coefBytesF32), a2r, a2i, yr, yi)
		yr, yi = cmacF32(unsafe.Add(cr, 3*coefBytesF32), a3r, a3i, yr, yi)
		stF32(yr, p0, 0)
		stF32(yi, p0, 64)
		cr = unsafe.Add(c, 4*coefBytesF32)
		yr, yi = cmulF32(cr, a0r, a0i)
		yr, yi = cmacF32(unsafe.Add(cr, coefBytesF32), a1r, a1i, yr, yi)
		yr, yi = cmacF32(unsafe.Add(cr, 2*coefBytesF32), a2r, a2i, yr, yi)
		yr, yi = cmacF32(unsafe.Add(cr, 3*coefBytesF32), a3r, a3i, yr, yi)
		stF32(yr, p1, 0)
		stF32(yi, p1, 64)
		cr = unsafe.Add(c, 8*coefBytesF32)
		yr, yi = cmulF32(cr, a0r, a0i)
		yr, yi = cmacF32(unsafe.Add(cr, coefBytesF32), a1r, a1i, yr, yi)
		yr, yi = cmacF32(unsafe.Add(cr, 2*coefBytesF32), a2r, a2i, yr, yi)
		yr, yi = cmacF32(unsafe.Add(cr, 3*coefBytesF32), a3r, a3i, yr, yi)
		stF32(yr, p2, 0)
		stF32(yi, p2, 64)
		cr = unsafe.Add(c, 12*coefBytesF32)
		yr, yi = cmulF32(cr, a0r, a0i)
		yr, yi = cmacF32(unsafe.Add(cr, coefBytesF32), a1r, a1i, yr, yi)
		yr, yi = cmacF32(unsafe.Add(cr, 2*coefBytesF32), a2r, a2i, yr, yi)
		yr, yi = cmacF32(unsafe.Add(cr, 3*coefBytesF32), a3r, a3i, yr, yi)
		stF32(yr, p3, 0)
		stF32(yi, p3, 64)
		x = ((x | fixed) + 1) &^ fixed
	}
	archsimd.ClearAVXUpperBits()
}

// dense2hlF32: one high and one low target; a group is two blocks, each
// also read permuted.
func dense2hlF32(d []float32, p *pop[float32], from, to int) {
	base := unsafe.Pointer(unsafe.SliceData(d))
	c := unsafe.Pointer(unsafe.SliceData(p.coef))
	o1 := uintptr(p.hiOff[1]) * blockBytesF32
	pm := permF32(p.spread(1))
	fixed, bval := p.bfixed, p.bval
	x := deposit(from, fixed)
	for g := from; g < to; g++ {
		p0 := unsafe.Add(base, uintptr(x|bval)*blockBytesF32)
		p1 := unsafe.Add(p0, o1)
		a0r, a0i := ldF32(p0, 0), ldF32(p0, 64)
		a2r, a2i := ldF32(p1, 0), ldF32(p1, 64)
		a1r, a1i := a0r.Permute(pm), a0i.Permute(pm)
		a3r, a3i := a2r.Permute(pm), a2i.Permute(pm)
		yr, yi := cmulF32(c, a0r, a0i)
		yr, yi = cmacF32(unsafe.Add(c, coefBytesF32), a1r, a1i, yr, yi)
		yr, yi = cmacF32(unsafe.Add(c, 2*coefBytesF32), a2r, a2i, yr, yi)
		yr, yi = cmacF32(unsafe.Add(c, 3*coefBytesF32), a3r, a3i, yr, yi)
		stF32(yr, p0, 0)
		stF32(yi, p0, 64)
		cr := unsafe.Add(c, 4*coefBytesF32)
		yr, yi = cmulF32(cr, a0r, a0i)
		yr, yi = cmacF32(unsafe.Add(cr, coefBytesF32), a1r, a1i, yr, yi)
		yr, yi = cmacF32(unsafe.Add(cr, 2*coefBytesF32), a2r, a2i, yr, yi)
		yr, yi = cmacF32(unsafe.Add(cr, 3*coefBytesF32), a3r, a3i, yr, yi)
		stF32(yr, p1, 0)
		stF32(yi, p1, 64)
		x = ((x | fixed) + 1) &^ fixed
	}
	archsimd.ClearAVXUpperBits()
}

// dense2llF32: two low targets; a group is one block read four ways.
func dense2llF32(d []float32, p *pop[float32], from, to int) {
	base := unsafe.Pointer(unsafe.SliceData(d))
	c := unsafe.Pointer(unsafe.SliceData(p.coef))
	pm1, pm2, pm3 := permF32(p.spread(1)), permF32(p.spread(2)), permF32(p.spread(3))
	fixed, bval := p.bfixed, p.bval
	x := deposit(from, fixed)
	for g := from; g < to; g++ {
		pa := unsafe.Add(base, uintptr(x|bval)*blockBytesF32)
		xr, xi := ldF32(pa, 0), ldF32(pa, 64)
		yr, yi := cmulF32(c, xr, xi)
		yr, yi = cmacF32(unsafe.Add(c, coefBytesF32), xr.Permute(pm1), xi.Permute(pm1), yr, yi)
		yr, yi = cmacF32(unsafe.Add(c, 2*coefBytesF32), xr.Permute(pm2), xi.Permute(pm2), yr, yi)
		yr, yi = cmacF32(unsafe.Add(c, 3*coefBytesF32), xr.Permute(pm3), xi.Permute(pm3), yr, yi)
		stF32(yr, pa, 0)
		stF32(yi, pa, 64)
		x = ((x | fixed) + 1) &^ fixed
	}
	archsimd.ClearAVXUpperBits()
}

// cmatvecF32 is in matvec_f32_amd64.s.
//
//go:noescape
func cmatvecF32(c, x, pg unsafe.Pointer, offs *uintptr, nin, nout int)

// cmatvecbF32 is cmatvecF32 with lane-uniform (broadcast) coefficients.
//
//go:noescape
func cmatvecbF32(c, x, pg unsafe.Pointer, offs *uintptr, nin, nout int)

// denseKF32: any dense gate of up to maxSIMDDense targets. A group's 2^h
// blocks and their 2^l lane permutations are copied to a scratch buffer,
// then cmatvecF32 computes every output block as the sum of coefficient
// vectors times the buffered inputs (in assembly: Go's register allocator
// uses 16 vector registers, and this loop needs all 32).
func denseKF32(d []float32, p *pop[float32], from, to int) {
	const maxIn = 1 << maxSIMDDense
	var buf [maxIn * 2 * lanesF32]float32
	var offs [maxIn]uintptr
	var masks [maxIn]int
	base := unsafe.Pointer(unsafe.SliceData(d))
	c := unsafe.Pointer(unsafe.SliceData(p.coef))
	bp := unsafe.Pointer(&buf[0])
	nh, nl := 1<<uint(p.h), 1<<uint(p.l)
	nin := nh * nl
	for s := 0; s < nh; s++ {
		offs[s] = uintptr(p.hiOff[s]) * blockBytesF32
	}
	for q := 0; q < nl; q++ {
		masks[q] = p.spread(q)
	}
	uniform := p.uniform
	fixed, bval := p.bfixed, p.bval
	x := deposit(from, fixed)
	for g := from; g < to; g++ {
		pg := unsafe.Add(base, uintptr(x|bval)*blockBytesF32)
		dst := bp
		for s := 0; s < nh; s++ {
			src := unsafe.Add(pg, offs[s])
			xr, xi := ldF32(src, 0), ldF32(src, 64)
			stF32(xr, dst, 0)
			stF32(xi, dst, 64)
			dst = unsafe.Add(dst, blockBytesF32)
			for q := 1; q < nl; q++ {
				pm := permF32(masks[q])
				stF32(xr.Permute(pm), dst, 0)
				stF32(xi.Permute(pm), dst, 64)
				dst = unsafe.Add(dst, blockBytesF32)
			}
		}
		if uniform {
			cmatvecbF32(c, bp, pg, &offs[0], nin, nh)
		} else {
			cmatvecF32(c, bp, pg, &offs[0], nin, nh)
		}
		x = ((x | fixed) + 1) &^ fixed
	}
	archsimd.ClearAVXUpperBits()
}

// diagF32: a diagonal; a group is the 2^h blocks of the high-target
// patterns, each multiplied lane-wise by its coefficient vector.
func diagF32(d []float32, p *pop[float32], from, to int) {
	base := unsafe.Pointer(unsafe.SliceData(d))
	c := unsafe.Pointer(unsafe.SliceData(p.coef))
	hiOff := p.hiOff
	fixed, bval := p.bfixed, p.bval
	x := deposit(from, fixed)
	if len(hiOff) == 1 {
		cr, ci, cn := ldF32(c, 0), ldF32(c, 64), ldF32(c, 128)
		for g := from; g < to; g++ {
			pa := unsafe.Add(base, uintptr(x|bval)*blockBytesF32)
			xr, xi := ldF32(pa, 0), ldF32(pa, 64)
			stF32(cn.MulAdd(xi, cr.Mul(xr)), pa, 0)
			stF32(ci.MulAdd(xr, cr.Mul(xi)), pa, 64)
			x = ((x | fixed) + 1) &^ fixed
		}
		archsimd.ClearAVXUpperBits()
		return
	}
	for g := from; g < to; g++ {
		pg := unsafe.Add(base, uintptr(x|bval)*blockBytesF32)
		cp := c
		for _, o := range hiOff {
			pa := unsafe.Add(pg, uintptr(o)*blockBytesF32)
			yr, yi := cmulF32(cp, ldF32(pa, 0), ldF32(pa, 64))
			stF32(yr, pa, 0)
			stF32(yi, pa, 64)
			cp = unsafe.Add(cp, coefBytesF32)
		}
		x = ((x | fixed) + 1) &^ fixed
	}
	archsimd.ClearAVXUpperBits()
}
