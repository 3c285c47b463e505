package statevector

// The gate kernels. Everything that touches amplitudes for a gate lives in
// this file so that faster versions (SIMD, fusion, parallel chunks,
// complex64) can replace them without touching the rest of the package.
//
// Index conventions: qubit q is bit q of an amplitude index. A gate's
// controls are described by cmask (the control bits) and cval (the values
// they must have, as bits at the same positions). The kernels visit only the
// controlled subspace: they enumerate "base" indices whose target and control
// bits are all zero, in increasing order, with
//
//	x = ((x | fixed) + 1) &^ fixed
//
// (fixed = target bits | control bits), and then set the control bits to
// cval. A k-qubit target group is then base + off[s] for s in [0, 2^k), where
// off[s] sets target bit j of base when bit j of s is one.

import "math/bits"

// groups returns how many base indices a state of len(psi) amplitudes has
// when the bits in fixed are held at zero.
func groups(psi []complex128, fixed int) int {
	return len(psi) >> uint(bits.OnesCount(uint(fixed)))
}

// offsets fills off[s] (len 2^len(targets)) with the index offset of matrix
// index s: bit j of s set means bit targets[j] of the amplitude index set.
func offsets(off []int, targets []int) {
	off[0] = 0
	for j, t := range targets {
		h := 1 << uint(j)
		for s := 0; s < h; s++ {
			off[h+s] = off[s] | 1<<uint(t)
		}
	}
}

// apply1 applies the 2x2 matrix m to qubit t where the controls hold.
func apply1(psi []complex128, m *[4]complex128, t, cmask, cval int) {
	m0, m1, m2, m3 := m[0], m[1], m[2], m[3]
	stride := 1 << uint(t)
	if cmask == 0 {
		for hi := 0; hi < len(psi); hi += 2 * stride {
			a := psi[hi : hi+stride]
			b := psi[hi+stride : hi+2*stride]
			b = b[:len(a)]
			for j := range a {
				x, y := a[j], b[j]
				a[j] = m0*x + m1*y
				b[j] = m2*x + m3*y
			}
		}
		return
	}
	fixed := stride | cmask
	x := 0
	for c := groups(psi, fixed); c > 0; c-- {
		i := x | cval
		j := i | stride
		a, b := psi[i], psi[j]
		psi[i] = m0*a + m1*b
		psi[j] = m2*a + m3*b
		x = ((x | fixed) + 1) &^ fixed
	}
}

// apply2 applies the 4x4 matrix m to targets (t0, t1) (matrix bit 0 is t0)
// where the controls hold.
func apply2(psi []complex128, m *[16]complex128, t0, t1, cmask, cval int) {
	o1, o2 := 1<<uint(t0), 1<<uint(t1)
	o3 := o1 | o2
	fixed := o3 | cmask
	x := 0
	for c := groups(psi, fixed); c > 0; c-- {
		i := x | cval
		a0, a1, a2, a3 := psi[i], psi[i|o1], psi[i|o2], psi[i|o3]
		psi[i] = m[0]*a0 + m[1]*a1 + m[2]*a2 + m[3]*a3
		psi[i|o1] = m[4]*a0 + m[5]*a1 + m[6]*a2 + m[7]*a3
		psi[i|o2] = m[8]*a0 + m[9]*a1 + m[10]*a2 + m[11]*a3
		psi[i|o3] = m[12]*a0 + m[13]*a1 + m[14]*a2 + m[15]*a3
		x = ((x | fixed) + 1) &^ fixed
	}
}

// applyK applies the dense 2^k x 2^k matrix m to the targets whose offsets
// are off (see offsets; tmask is their union) where the controls hold. buf
// is scratch of len 2^k.
func applyK(psi []complex128, m []complex128, off []int, tmask, cmask, cval int, buf []complex128) {
	d := len(off)
	m = m[:d*d]
	buf = buf[:d]
	fixed := tmask | cmask
	x := 0
	for c := groups(psi, fixed); c > 0; c-- {
		i := x | cval
		for s, o := range off {
			buf[s] = psi[i|o]
		}
		for r, o := range off {
			row := m[r*d : r*d+d]
			var acc complex128
			for s, v := range buf {
				acc += row[s] * v
			}
			psi[i|o] = acc
		}
		x = ((x | fixed) + 1) &^ fixed
	}
}

// applyDiag1 multiplies the amplitudes with qubit t = 0 by d0 and those with
// t = 1 by d1, where the controls hold. Factors equal to 1 are skipped.
func applyDiag1(psi []complex128, d0, d1 complex128, t, cmask, cval int) {
	tb := 1 << uint(t)
	switch {
	case d0 == 1 && d1 == 1:
		return
	case d0 == 1:
		applyPhase(psi, d1, cmask|tb, cval|tb)
		return
	case d1 == 1:
		applyPhase(psi, d0, cmask|tb, cval)
		return
	}
	fixed := tb | cmask
	x := 0
	for c := groups(psi, fixed); c > 0; c-- {
		i := x | cval
		psi[i] *= d0
		psi[i|tb] *= d1
		x = ((x | fixed) + 1) &^ fixed
	}
}

// applyDiag multiplies amplitude base+off[s] by diag[s] where the controls
// hold (tmask is the union of the target bits). Factors equal to 1 are
// skipped.
func applyDiag(psi []complex128, diag []complex128, off []int, tmask, cmask, cval int) {
	diag = diag[:len(off)]
	fixed := tmask | cmask
	x := 0
	for c := groups(psi, fixed); c > 0; c-- {
		i := x | cval
		for s, o := range off {
			if f := diag[s]; f != 1 {
				psi[i|o] *= f
			}
		}
		x = ((x | fixed) + 1) &^ fixed
	}
}

// applyPhase multiplies every amplitude where the controls hold by ph: a
// global phase when cmask is 0.
func applyPhase(psi []complex128, ph complex128, cmask, cval int) {
	if ph == 1 {
		return
	}
	if cmask == 0 {
		for i := range psi {
			psi[i] *= ph
		}
		return
	}
	x := 0
	for c := groups(psi, cmask); c > 0; c-- {
		psi[x|cval] *= ph
		x = ((x | cmask) + 1) &^ cmask
	}
}

// flip exchanges the amplitudes with qubit t = 0 and t = 1 (an X gate).
func flip(psi []complex128, t int) {
	stride := 1 << uint(t)
	for hi := 0; hi < len(psi); hi += 2 * stride {
		a := psi[hi : hi+stride]
		b := psi[hi+stride : hi+2*stride]
		b = b[:len(a)]
		for j := range a {
			a[j], b[j] = b[j], a[j]
		}
	}
}

// probOne returns the total weight of the amplitudes with qubit t = 0 and
// with t = 1.
func probOne(psi []complex128, t int) (p0, p1 float64) {
	stride := 1 << uint(t)
	for hi := 0; hi < len(psi); hi += 2 * stride {
		a := psi[hi : hi+stride]
		b := psi[hi+stride : hi+2*stride]
		b = b[:len(a)]
		for j := range a {
			p0 += abs2(a[j])
			p1 += abs2(b[j])
		}
	}
	return p0, p1
}

// collapse keeps the half of the state with qubit t = outcome, scaled by
// scale, and zeroes the other half.
func collapse(psi []complex128, t, outcome int, scale float64) {
	stride := 1 << uint(t)
	s := complex(scale, 0)
	for hi := 0; hi < len(psi); hi += 2 * stride {
		keep := psi[hi : hi+stride]
		drop := psi[hi+stride : hi+2*stride]
		if outcome == 1 {
			keep, drop = drop, keep
		}
		drop = drop[:len(keep)]
		for j := range keep {
			keep[j] *= s
			drop[j] = 0
		}
	}
}

func abs2(z complex128) float64 { return real(z)*real(z) + imag(z)*imag(z) }
