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
	targets []int
	m       []complex128 // dense: 2^k x 2^k row-major; diag: the 2^k diagonal
	cmask   int          // control bits (amplitude index)
	cval    int          // their required values

	groups int
	kern   func(d []T, p *pop[T], from, to int)

	// portable kernels (amplitude space)
	mt     []T   // m as (re, im) pairs in T
	poff   []int // storage offsets of the 2^k target patterns
	afixed int   // target | control bits

	// SIMD kernels (block space)
	h, l    int
	hiOff   []int // block offsets of the 2^h high-target patterns
	lbits   []int // lane bit of each low target
	bfixed  int   // high target | high control bits, in block space
	bval    int   // high control values, in block space
	coef    []T   // coefficient vectors (see prepareSIMD for the layouts)
	uniform bool  // coef holds one (re, im) pair per coefficient, for all lanes
	tmpI    []int // scratch: matrix bit of each high target, then each low target
}

// useSIMD reports whether SIMD kernels are used; simdTable holds them. They
// are set by the build-tagged files at init, from CPU features.
var useSIMD bool

// maxSIMDDense is the largest dense gate the SIMD kernels apply (2^6
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
	case k == 1 && p.cmask == 0:
		p.kern = ks.dense1
	default:
		p.kern = ks.dense
	}
}

// portableSet holds the portable kernels of one storage type, built once
// (a generic function value made on the fly would allocate).
type portableSet[T Float] struct {
	dense1, dense, diag func(d []T, p *pop[T], from, to int)
}

var (
	portable32 = portableSet[float32]{dense1Portable[float32], densePortable[float32], diagPortable[float32]}
	portable64 = portableSet[float64]{dense1Portable[float64], densePortable[float64], diagPortable[float64]}
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

// dense1Portable applies an uncontrolled 1-qubit matrix.
func dense1Portable[T Float](d []T, p *pop[T], from, to int) {
	L := lanes[T]()
	lmask := L - 1
	fixed := p.afixed
	ps := p.poff[1]
	m0r, m0i, m1r, m1i := p.mt[0], p.mt[1], p.mt[2], p.mt[3]
	m2r, m2i, m3r, m3i := p.mt[4], p.mt[5], p.mt[6], p.mt[7]
	if ps >= 2*L && from == 0 && to == p.groups {
		// High target, whole state: pairs of blocks.
		for hi := 0; hi < len(d); hi += 2 * ps {
			for b := hi; b < hi+ps; b += 2 * L {
				a := d[b : b+2*L]
				c := d[b+ps : b+ps+2*L]
				ar, ai := a[:L], a[L:2*L]
				br, bi := c[:L], c[L:2*L]
				ai, br, bi = ai[:len(ar)], br[:len(ar)], bi[:len(ar)]
				for j := range ar {
					xr, xi, yr, yi := ar[j], ai[j], br[j], bi[j]
					ar[j] = m0r*xr - m0i*xi + m1r*yr - m1i*yi
					ai[j] = m0r*xi + m0i*xr + m1r*yi + m1i*yr
					br[j] = m2r*xr - m2i*xi + m3r*yr - m3i*yi
					bi[j] = m2r*xi + m2i*xr + m3r*yi + m3i*yr
				}
			}
		}
		return
	}
	x := deposit(from, fixed)
	for g := from; g < to; g++ {
		i := posOf(x, lmask)
		j := i + ps
		xr, xi, yr, yi := d[i], d[i+L], d[j], d[j+L]
		d[i] = m0r*xr - m0i*xi + m1r*yr - m1i*yi
		d[i+L] = m0r*xi + m0i*xr + m1r*yi + m1i*yr
		d[j] = m2r*xr - m2i*xi + m3r*yr - m3i*yi
		d[j+L] = m2r*xi + m2i*xr + m3r*yi + m3i*yr
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
		for r, o := range off {
			row := mt[2*r*dim : 2*(r+1)*dim]
			var ar, ai T
			for s := 0; s < dim; s++ {
				mr, mi := row[2*s], row[2*s+1]
				vr, vi := buf[2*s], buf[2*s+1]
				ar += mr*vr - mi*vi
				ai += mr*vi + mi*vr
			}
			d[base+o], d[base+o+L] = ar, ai
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
