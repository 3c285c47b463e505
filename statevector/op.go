package statevector

import (
	"math/bits"
)

// pop is a gate prepared for the kernels: a dense matrix or a diagonal on
// targets, applied where the controls hold, for a state (or a chunk of one)
// of nq qubits with storage type T. Preparing reuses the slices' memory, so
// Apply does not allocate once they have grown.
//
// Group g of an op is the g-th "base" index in increasing order whose target
// and control bits are zero (in amplitude space for the portable kernels, in
// block space for the SIMD ones); kern applies the gate to groups [from, to),
// so that workers can split them.
type pop[T Float] struct {
	diag    bool
	k       int
	nq      int
	outer   int // block-index bits outside a qubit-set stage's chunk (assembly kernels only): fixed in every group
	targets []int
	m       []complex128 // dense: 2^k x 2^k row-major; diag: the 2^k diagonal
	cmask   int          // control bits (amplitude index)
	cval    int          // their required values

	groups int
	kern   func(d []T, p *pop[T], from, to int)

	// portable kernels (amplitude space; the 1-target ones in block space,
	// with bfixed and bval)
	mt     []T   // m as (re, im) pairs in T
	poff   []int // storage offsets of the 2^k target patterns
	afixed int   // target | control bits
	pst    int   // 1 target: storage offset from an amplitude to its partner
	plane  []int // 1 target: the lanes of a block that start a pair
	full   bool  // 1 target: plane is every lane (high target, no low controls)

	// SIMD kernels (block space)
	h, l   int
	hiOff  []int // block offsets of the 2^h high-target patterns
	lbits  []int // lane bit of each low target
	bfixed int   // high target | high control bits, in block space
	bval   int   // high control values, in block space
	coef   []T   // coefficient vectors (see prepareSIMD for the layout)
	tmpI   []int // scratch: matrix bit of each high target, then each low target
	offB   []uintptr
	permT  []uint32
	hoffT  []uintptr
	ka     kargs
	asm    asmFunc
}

// maxSIMDDense is the largest dense gate the assembly kernels apply (2^6
// inputs per group fit their scratch).
const maxSIMDDense = 6

// prepare fills p for m on targets under controls for an nq-qubit state.
// m is the full matrix, or the diagonal when diag is set.
func (p *pop[T]) prepare(nq int, m []complex128, diag bool, targets, controls []int, ctrlState uint64) {
	p.diag, p.k, p.nq, p.m = diag, len(targets), nq, m
	p.targets = append(p.targets[:0], targets...)
	p.cmask, p.cval = 0, 0
	for i, c := range controls {
		p.cmask |= 1 << uint(c)
		if ctrlState>>uint(i)&1 == 1 {
			p.cval |= 1 << uint(c)
		}
	}
	if useSIMD && nq >= laneBits[T]() && (diag || p.k <= maxSIMDDense) && p.prepareSIMD() {
		return
	}
	p.preparePortable()
}

func (p *pop[T]) preparePortable() {
	k := p.k
	if k == 1 {
		p.prepare1Portable()
		return
	}
	d := 1 << uint(k)
	lmask := lanes[T]() - 1
	p.poff = grow(p.poff, d)
	p.poff[0] = 0
	tmask := 0
	for j, t := range p.targets {
		h := 1 << uint(j)
		o := posOf(1<<uint(t), lmask)
		for s := 0; s < h; s++ {
			p.poff[h+s] = p.poff[s] + o
		}
		tmask |= 1 << uint(t)
	}
	p.afixed = tmask | p.cmask
	p.groups = (1 << uint(p.nq)) >> uint(bits.OnesCount(uint(p.afixed)))
	p.mt = grow(p.mt, 2*len(p.m))
	for i, v := range p.m {
		p.mt[2*i], p.mt[2*i+1] = T(real(v)), T(imag(v))
	}
	ks := portableFor[T]()
	switch {
	case p.diag:
		p.kern = ks.diag
	case k == 2:
		p.kern = ks.dense2
	default:
		p.kern = ks.dense
	}
}

// prepare1Portable prepares a 1-qubit gate (dense or diagonal), controlled
// or not, for
// the block-space portable kernels: a group is one block (low target) or a
// pair of blocks (high target) whose high control bits hold, and within it
// the lanes in plane (those whose low control bits hold, and, for a low
// target, whose target bit is 0) start a pair of amplitudes pst apart. An X
// (the matrix [0 1; 1 0] exactly, as in CNOT and Toffoli) is a permutation:
// its kernel swaps amplitudes without arithmetic.
func (p *pop[T]) prepare1Portable() {
	L, lg := lanes[T](), laneBits[T]()
	lmask := L - 1
	t := p.targets[0]
	lcm, lcv := p.cmask&lmask, p.cval&lmask
	p.bfixed, p.bval = p.cmask>>uint(lg), p.cval>>uint(lg)
	nl := min(L, 1<<uint(p.nq))
	p.plane = p.plane[:0]
	if t >= lg {
		p.pst = 2 * L << uint(t-lg)
		p.bfixed |= 1 << uint(t-lg)
		for j := range nl {
			if j&lcm == lcv {
				p.plane = append(p.plane, j)
			}
		}
	} else {
		p.pst = 1 << uint(t)
		for j := range nl {
			if j&lcm == lcv && j>>uint(t)&1 == 0 {
				p.plane = append(p.plane, j)
			}
		}
	}
	p.full = t >= lg && len(p.plane) == L
	p.groups = (1 << uint(max(0, p.nq-lg))) >> uint(bits.OnesCount(uint(p.bfixed)))
	p.mt = grow(p.mt, 2*len(p.m))
	for i, v := range p.m {
		p.mt[2*i], p.mt[2*i+1] = T(real(v)), T(imag(v))
	}
	ks := portableFor[T]()
	switch {
	case p.diag:
		p.kern = ks.diag1
	case isX(p.m):
		p.kern = ks.swap1
	default:
		p.kern = ks.dense1
	}
}

// isX reports whether m is exactly the 1-qubit X matrix.
func isX(m []complex128) bool {
	return len(m) == 4 && m[0] == 0 && m[1] == 1 && m[2] == 1 && m[3] == 0
}

// portableSet holds the portable kernels of one storage type, built once
// (a generic function value made on the fly would allocate).
type portableSet[T Float] struct {
	dense1, swap1, diag1, dense2, dense, diag func(d []T, p *pop[T], from, to int)
}

var (
	portable32 = portableSet[float32]{dense1Portable[float32], swap1Portable[float32], diag1Portable[float32],
		dense2Portable[float32], densePortable[float32], diagPortable[float32]}
	portable64 = portableSet[float64]{dense1Portable[float64], swap1Portable[float64], diag1Portable[float64],
		dense2Portable[float64], densePortable[float64], diagPortable[float64]}
)

func portableFor[T Float]() *portableSet[T] {
	var z T
	if _, ok := any(z).(float32); ok {
		return any(&portable32).(*portableSet[T])
	}
	return any(&portable64).(*portableSet[T])
}

// grow returns s resliced to n, reallocated if its capacity is short.
func grow[E any](s []E, n int) []E {
	if cap(s) < n {
		return make([]E, n, n+n/4)
	}
	return s[:n]
}

// deposit returns the j-th integer (from 0, in increasing order) whose bits
// in fixed are zero: the bits of j spread over the free positions.
func deposit(j, fixed int) int {
	x := 0
	for bit := 1; j != 0; bit <<= 1 {
		if fixed&bit == 0 {
			if j&1 != 0 {
				x |= bit
			}
			j >>= 1
		}
	}
	return x
}

// The portable kernels. They work in T arithmetic (float32 for single
// precision, which Go computes without widening), on the split layout.

// dense1Portable applies a 1-qubit matrix where the controls hold (see
// prepare1Portable).
func dense1Portable[T Float](d []T, p *pop[T], from, to int) {
	L := lanes[T]()
	bs := 2 * L
	fixed, bval, ps := p.bfixed, p.bval, p.pst
	m0r, m0i, m1r, m1i := p.mt[0], p.mt[1], p.mt[2], p.mt[3]
	m2r, m2i, m3r, m3i := p.mt[4], p.mt[5], p.mt[6], p.mt[7]
	x := deposit(from, fixed)
	if p.full {
		// High target, every lane: a group is a pair of whole blocks.
		for g := from; g < to; g++ {
			b := (x | bval) * bs
			a := d[b : b+bs]
			c := d[b+ps : b+ps+bs]
			ar, ai := a[:L], a[L:bs]
			br, bi := c[:L], c[L:bs]
			ai, br, bi = ai[:len(ar)], br[:len(ar)], bi[:len(ar)]
			for j := range ar {
				xr, xi, yr, yi := ar[j], ai[j], br[j], bi[j]
				ar[j] = m0r*xr - m0i*xi + m1r*yr - m1i*yi
				ai[j] = m0r*xi + m0i*xr + m1r*yi + m1i*yr
				br[j] = m2r*xr - m2i*xi + m3r*yr - m3i*yi
				bi[j] = m2r*xi + m2i*xr + m3r*yi + m3i*yr
			}
			x = ((x | fixed) + 1) &^ fixed
		}
		return
	}
	ln := p.plane
	for g := from; g < to; g++ {
		b := (x | bval) * bs
		for _, j := range ln {
			i := b + j
			k := i + ps
			xr, xi, yr, yi := d[i], d[i+L], d[k], d[k+L]
			d[i] = m0r*xr - m0i*xi + m1r*yr - m1i*yi
			d[i+L] = m0r*xi + m0i*xr + m1r*yi + m1i*yr
			d[k] = m2r*xr - m2i*xi + m3r*yr - m3i*yi
			d[k+L] = m2r*xi + m2i*xr + m3r*yi + m3i*yr
		}
		x = ((x | fixed) + 1) &^ fixed
	}
}

// swap1Portable applies X where the controls hold: it exchanges the
// amplitudes of each pair.
func swap1Portable[T Float](d []T, p *pop[T], from, to int) {
	L := lanes[T]()
	bs := 2 * L
	fixed, bval, ps := p.bfixed, p.bval, p.pst
	x := deposit(from, fixed)
	if p.full {
		for g := from; g < to; g++ {
			b := (x | bval) * bs
			a := d[b : b+bs]
			c := d[b+ps : b+ps+bs]
			c = c[:len(a)]
			for j := range a {
				a[j], c[j] = c[j], a[j]
			}
			x = ((x | fixed) + 1) &^ fixed
		}
		return
	}
	ln := p.plane
	for g := from; g < to; g++ {
		b := (x | bval) * bs
		for _, j := range ln {
			i := b + j
			k := i + ps
			d[i], d[k] = d[k], d[i]
			d[i+L], d[k+L] = d[k+L], d[i+L]
		}
		x = ((x | fixed) + 1) &^ fixed
	}
}

// diag1Portable multiplies the two amplitudes of each pair by the
// diagonal's entries where the controls hold (an entry of exactly 1, as in
// phase gates, is skipped).
func diag1Portable[T Float](d []T, p *pop[T], from, to int) {
	L := lanes[T]()
	bs := 2 * L
	fixed, bval, ps := p.bfixed, p.bval, p.pst
	ar, ai, br, bi := p.mt[0], p.mt[1], p.mt[2], p.mt[3]
	one0, one1 := ar == 1 && ai == 0, br == 1 && bi == 0
	x := deposit(from, fixed)
	ln := p.plane
	for g := from; g < to; g++ {
		b := (x | bval) * bs
		for _, j := range ln {
			i := b + j
			k := i + ps
			if !one0 {
				xr, xi := d[i], d[i+L]
				d[i], d[i+L] = ar*xr-ai*xi, ar*xi+ai*xr
			}
			if !one1 {
				yr, yi := d[k], d[k+L]
				d[k], d[k+L] = br*yr-bi*yi, br*yi+bi*yr
			}
		}
		x = ((x | fixed) + 1) &^ fixed
	}
}

// dense2Portable applies a dense 2-qubit matrix where the controls hold.
func dense2Portable[T Float](d []T, p *pop[T], from, to int) {
	L := lanes[T]()
	lmask := L - 1
	fixed, cval := p.afixed, p.cval
	o1, o2, o3 := p.poff[1], p.poff[2], p.poff[3]
	m := p.mt[:32]
	x := deposit(from, fixed)
	for g := from; g < to; g++ {
		i0 := posOf(x|cval, lmask)
		i1, i2, i3 := i0+o1, i0+o2, i0+o3
		v0r, v0i := d[i0], d[i0+L]
		v1r, v1i := d[i1], d[i1+L]
		v2r, v2i := d[i2], d[i2+L]
		v3r, v3i := d[i3], d[i3+L]
		for r, o := range [4]int{i0, i1, i2, i3} {
			row := m[8*r : 8*r+8]
			d[o] = row[0]*v0r - row[1]*v0i + row[2]*v1r - row[3]*v1i + row[4]*v2r - row[5]*v2i + row[6]*v3r - row[7]*v3i
			d[o+L] = row[0]*v0i + row[1]*v0r + row[2]*v1i + row[3]*v1r + row[4]*v2i + row[5]*v2r + row[6]*v3i + row[7]*v3r
		}
		x = ((x | fixed) + 1) &^ fixed
	}
}

// densePortable applies a dense k-qubit matrix where the controls hold.
func densePortable[T Float](d []T, p *pop[T], from, to int) {
	L := lanes[T]()
	lmask := L - 1
	fixed, cval := p.afixed, p.cval
	off := p.poff
	dim := len(off)
	mt := p.mt[:2*dim*dim]
	var bufArr [2 * 64]T
	var buf []T
	if dim <= 64 {
		buf = bufArr[:2*dim]
	} else {
		buf = make([]T, 2*dim)
	}
	x := deposit(from, fixed)
	for g := from; g < to; g++ {
		base := posOf(x|cval, lmask)
		for s, o := range off {
			buf[2*s], buf[2*s+1] = d[base+o], d[base+o+L]
		}
		// Two rows at a time: four independent sums hide the latency of
		// the additions.
		for r := 0; r+1 < dim; r += 2 {
			row0 := mt[2*r*dim : 2*(r+1)*dim]
			row1 := mt[2*(r+1)*dim : 2*(r+2)*dim]
			row0, row1 = row0[:len(buf)], row1[:len(buf)]
			var ar, ai, br, bi T
			for s := 0; s+1 < len(buf); s += 2 {
				vr, vi := buf[s], buf[s+1]
				mr, mi := row0[s], row0[s+1]
				nr, ni := row1[s], row1[s+1]
				ar += mr*vr - mi*vi
				ai += mr*vi + mi*vr
				br += nr*vr - ni*vi
				bi += nr*vi + ni*vr
			}
			o0, o1 := base+off[r], base+off[r+1]
			d[o0], d[o0+L] = ar, ai
			d[o1], d[o1+L] = br, bi
		}
		x = ((x | fixed) + 1) &^ fixed
	}
}

// diagPortable multiplies amplitude base+off[s] by diag[s] where the
// controls hold.
func diagPortable[T Float](d []T, p *pop[T], from, to int) {
	L := lanes[T]()
	lmask := L - 1
	fixed, cval := p.afixed, p.cval
	off := p.poff
	mt := p.mt[:2*len(off)]
	x := deposit(from, fixed)
	for g := from; g < to; g++ {
		base := posOf(x|cval, lmask)
		for s, o := range off {
			fr, fi := mt[2*s], mt[2*s+1]
			i := base + o
			vr, vi := d[i], d[i+L]
			d[i] = fr*vr - fi*vi
			d[i+L] = fr*vi + fi*vr
		}
		x = ((x | fixed) + 1) &^ fixed
	}
}
