package statevector

import (
	"fmt"
	"math/bits"

	"born/circuit"
)

// Gate is a gate prepared once for the kernels of n-qubit states of storage
// type T, to be applied many times with ApplyGate: Apply prepares its gate
// (checks, diagonal detection, the kernels' coefficient tables) on every
// call, which dominates for small states that run the same gates over and
// over (a training loop's parameter-shift runs).
//
// A prepared Gate is read-only while applied, so one Gate may be applied
// to several states on several goroutines at once; Set must not run
// concurrently with ApplyGate of the same Gate. The zero Gate is the
// identity on any state.
type Gate[T Float] struct {
	n     int
	set   bool
	noop  bool // a diagonal of ones
	op    pop[T]
	dsc   []complex128
	mcopy []complex128
}

// NewGate returns the gate m on targets under controls (as in Apply)
// prepared for n-qubit states with storage type T. It panics as Apply does
// on a bad gate.
func NewGate[T Float](n int, m circuit.Matrix, targets, controls []int, ctrlState uint64) *Gate[T] {
	g := &Gate[T]{}
	g.Set(n, m, targets, controls, ctrlState)
	return g
}

// Set prepares g as NewGate does, reusing g's memory: a Gate kept per
// worker and Set for every new matrix does not allocate once it has grown.
func (g *Gate[T]) Set(n int, m circuit.Matrix, targets, controls []int, ctrlState uint64) {
	if n < 0 || n > MaxQubits {
		panic(fmt.Sprintf("statevector: invalid number of qubits %d", n))
	}
	// The kernels' tables are built from m; keep a copy so that the
	// caller's matrix is not referenced after Set returns.
	g.mcopy = append(g.mcopy[:0], m...)
	g.set = false // until prepared (prepareGate panics on a bad gate)
	g.noop = !prepareGate(&g.op, &g.dsc, n, g.mcopy, targets, controls, ctrlState)
	g.n, g.set = n, true
}

// NumQubits returns the size of the states g is prepared for (0 for the
// zero Gate).
func (g *Gate[T]) NumQubits() int { return g.n }

// ApplyGate applies the prepared gate g to s. It panics if g was prepared
// for a different number of qubits.
func (s *Vector[T]) ApplyGate(g *Gate[T]) {
	if !g.set {
		return
	}
	if g.n != s.n {
		panic(fmt.Sprintf("statevector: a gate prepared for %d qubits applied to a %d-qubit state", g.n, s.n))
	}
	if g.noop {
		return
	}
	s.ex.runOp(s.data, &g.op, s.Workers())
}

// ExpectDiag returns sum over x of w[x] |<x|s>|^2, the expectation of the
// diagonal observable w (unnormalised: it is not divided by the norm),
// summed in increasing x in float64. w must have 2^n entries. It equals
// the same sum over Probabilities(), bit for bit, without allocating.
func (s *Vector[T]) ExpectDiag(w []float64) float64 {
	if len(w) != s.Len() {
		panic(fmt.Sprintf("statevector: %d weights for a %d-qubit state", len(w), s.n))
	}
	L := lanes[T]()
	var t float64
	for b := 0; b*L < len(w); b++ {
		blk := s.data[2*L*b : 2*L*(b+1)]
		o := w[b*L : min(len(w), (b+1)*L)]
		for j, wx := range o {
			re, im := float64(blk[j]), float64(blk[L+j])
			t += wx * (re*re + im*im)
		}
	}
	return t
}

// ScaleReal multiplies amplitude x by the real number w[x], for every x
// (w has 2^n entries).
func (s *Vector[T]) ScaleReal(w []float64) {
	if len(w) != s.Len() {
		panic(fmt.Sprintf("statevector: %d weights for a %d-qubit state", len(w), s.n))
	}
	L := lanes[T]()
	for b := 0; b*L < len(w); b++ {
		blk := s.data[2*L*b : 2*L*(b+1)]
		o := w[b*L : min(len(w), (b+1)*L)]
		for j, wx := range o {
			blk[j] = T(float64(blk[j]) * wx)
			blk[L+j] = T(float64(blk[L+j]) * wx)
		}
	}
}

// Inner returns <s|ket> = sum over x of conj(s[x]) ket[x], accumulated in
// float64.
func (s *Vector[T]) Inner(ket *Vector[T]) complex128 {
	r := s.PartialInner(nil, ket, nil, nil, 0)
	return r[0]
}

// PartialInner returns, in dst (grown to d*d entries, d = 2^len(targets),
// row-major), the matrix R with
//
//	R[a][b] = sum over i of conj(s[i | off(a)]) ket[i | off(b)],
//
// i running over the indices whose target bits are 0 and whose control bits
// have the values in ctrlState, and off(a) putting bit j of a on
// targets[j]. Then <s| controlled-M |ket>, restricted to the controlled
// subspace, is sum_ab M[a][b] R[a][b]: one pass gives the derivative of an
// expectation with respect to every entry of a gate (adjoint
// differentiation). Sums are accumulated in float64 in a fixed order. It
// panics on a bad qubit or a state of another size.
func (s *Vector[T]) PartialInner(dst []complex128, ket *Vector[T], targets, controls []int, ctrlState uint64) []complex128 {
	if ket.n != s.n {
		panic(fmt.Sprintf("statevector: inner product of a %d-qubit and a %d-qubit state", s.n, ket.n))
	}
	var used int
	for _, t := range targets {
		used |= s.bit(t, used)
	}
	for _, c := range controls {
		used |= s.bit(c, used)
	}
	k := len(targets)
	d := 1 << uint(k)
	dst = grow(dst, d*d)
	clear(dst)
	L, lg := lanes[T](), laneBits[T]()
	lmask := L - 1
	bra, kd := s.data, ket.data
	if len(controls) == 0 && k <= 1 {
		// Block by block, in the split layout.
		nb := max(1, s.Len()/L)
		nl := min(L, s.Len())
		if k == 0 {
			var rr, ri float64
			for b := range nb {
				x, y := bra[2*L*b:2*L*b+2*L], kd[2*L*b:2*L*b+2*L]
				for j := range nl {
					xr, xi, yr, yi := float64(x[j]), float64(x[L+j]), float64(y[j]), float64(y[L+j])
					rr += xr*yr + xi*yi
					ri += xr*yi - xi*yr
				}
			}
			dst[0] = complex(rr, ri)
			return dst
		}
		t := targets[0]
		// R00, R01, R10, R11 as (re, im); x, u: bra at target 0, 1; y, v:
		// ket at target 0, 1.
		var a0, a1, a2, a3, a4, a5, a6, a7 float64
		// Pairs (i, i+ps) in increasing i: for a high target, lane j of
		// block x and of its partner block; for a low one, lanes j and
		// j+ps of block x.
		ps, fixed, skip := 1<<uint(t), 0, 1<<uint(t)
		if t >= lg {
			ps, fixed, skip = 2*L<<uint(t-lg), 1<<uint(t-lg), 0
			nb /= 2
		}
		x := 0
		for range nb {
			base := x * 2 * L
			for j := range nl {
				if j&skip != 0 {
					continue
				}
				i, o := base+j, base+j+ps
				xr, xi, yr, yi := float64(bra[i]), float64(bra[i+L]), float64(kd[i]), float64(kd[i+L])
				ur, ui, vr, vi := float64(bra[o]), float64(bra[o+L]), float64(kd[o]), float64(kd[o+L])
				a0 += xr*yr + xi*yi
				a1 += xr*yi - xi*yr
				a2 += xr*vr + xi*vi
				a3 += xr*vi - xi*vr
				a4 += ur*yr + ui*yi
				a5 += ur*yi - ui*yr
				a6 += ur*vr + ui*vi
				a7 += ur*vi - ui*vr
			}
			x = ((x | fixed) + 1) &^ fixed
		}
		dst[0], dst[1] = complex(a0, a1), complex(a2, a3)
		dst[2], dst[3] = complex(a4, a5), complex(a6, a7)
		return dst
	}
	// General: gather each group's 2^k amplitudes of both states, in
	// scratch on the stack for gates of up to maxSIMDDense qubits.
	var offA [1 << maxSIMDDense]int
	var lvA, kvA [1 << maxSIMDDense]complex128
	off, lv, kv := offA[:], lvA[:], kvA[:]
	if d > len(off) {
		off, lv, kv = make([]int, d), make([]complex128, d), make([]complex128, d)
	}
	off, lv, kv = off[:d], lv[:d], kv[:d]
	var tmask, cmask, cval int
	for j, t := range targets {
		tmask |= 1 << uint(t)
		h := 1 << uint(j)
		for q := 0; q < h; q++ {
			off[h+q] = off[q] | 1<<uint(t)
		}
	}
	for i, c := range controls {
		cmask |= 1 << uint(c)
		if ctrlState>>uint(i)&1 == 1 {
			cval |= 1 << uint(c)
		}
	}
	fixed := tmask | cmask
	x := 0
	for range s.Len() >> uint(bits.OnesCount(uint(fixed))) {
		i := x | cval
		for q, o := range off {
			p := posOf(i|o, lmask)
			lv[q] = complex(float64(bra[p]), -float64(bra[p+L]))
			kv[q] = complex(float64(kd[p]), float64(kd[p+L]))
		}
		for a := range d {
			for b := range d {
				dst[a*d+b] += lv[a] * kv[b]
			}
		}
		x = ((x | fixed) + 1) &^ fixed
	}
	return dst
}
