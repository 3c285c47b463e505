// Package statevector is born's exact engine: an n-qubit pure state held as
// 2^n complex128 amplitudes.
//
// Qubit q is bit q of an amplitude index (qubit 0 is the least significant
// bit), and a gate's matrix follows package circuit's convention: bit j of a
// matrix index is the gate's target j. Controlled gates are applied on the
// controlled subspace only; the full controlled matrix is never built.
//
// Randomness is explicit: Measure and Reset take a uniform number u in
// [0, 1) that picks the outcome, and Sample takes a *rand.Rand, so results
// are reproducible from a seed. A State is not safe for concurrent
// mutation; Clone it per goroutine.
//
// The gate kernels are in kernels.go, in one place, so that faster versions
// can replace them.
package statevector

import (
	"fmt"
	"math"
	"math/bits"

	"born/circuit"
)

// MaxQubits is the largest qubit count the index arithmetic supports. The
// memory limit (MaxMemory) is usually far lower.
const MaxQubits = 59

// State is an n-qubit pure state vector.
type State struct {
	n   int
	psi []complex128

	// scratch for gates on 3 or more targets, reused across gates
	off []int
	buf []complex128
}

// New returns the n-qubit state |0...0>. It returns a *MemoryError, without
// allocating, if the state needs more than MaxMemory bytes.
func New(n int) (*State, error) {
	if n < 0 || n > MaxQubits {
		if n > MaxQubits {
			return nil, &MemoryError{Qubits: n, Need: BytesNeeded(n), Limit: MaxMemory}
		}
		return nil, fmt.Errorf("statevector: invalid number of qubits %d", n)
	}
	if err := CheckMemory(n, MaxMemory); err != nil {
		return nil, err
	}
	s := &State{n: n, psi: make([]complex128, 1<<uint(n))}
	s.psi[0] = 1
	return s, nil
}

// FromAmplitudes returns a state holding a copy of amps, whose length must
// be a power of two. The amplitudes are used as given (not normalised).
func FromAmplitudes(amps []complex128) (*State, error) {
	d := len(amps)
	if d == 0 || d&(d-1) != 0 {
		return nil, fmt.Errorf("statevector: %d amplitudes is not a power of two", d)
	}
	n := bits.TrailingZeros(uint(d))
	if err := CheckMemory(n, MaxMemory); err != nil {
		return nil, err
	}
	return &State{n: n, psi: append([]complex128(nil), amps...)}, nil
}

// NumQubits returns the number of qubits.
func (s *State) NumQubits() int { return s.n }

// Len returns the number of amplitudes, 2^n.
func (s *State) Len() int { return len(s.psi) }

// Amplitude returns the amplitude of basis state i.
func (s *State) Amplitude(i int) complex128 { return s.psi[i] }

// Amplitudes returns a copy of the amplitudes.
func (s *State) Amplitudes() []complex128 { return append([]complex128(nil), s.psi...) }

// Probabilities returns |amplitude|^2 of every basis state.
func (s *State) Probabilities() []float64 {
	p := make([]float64, len(s.psi))
	for i, a := range s.psi {
		p[i] = abs2(a)
	}
	return p
}

// Norm returns the 2-norm of the state (1 for a normalised state).
func (s *State) Norm() float64 {
	var t float64
	for _, a := range s.psi {
		t += abs2(a)
	}
	return math.Sqrt(t)
}

// Clone returns an independent copy of s.
func (s *State) Clone() *State {
	return &State{n: s.n, psi: append([]complex128(nil), s.psi...)}
}

// CopyFrom overwrites s with the amplitudes of src, which must have the
// same number of qubits. It reuses s's memory.
func (s *State) CopyFrom(src *State) {
	if src.n != s.n {
		panic(fmt.Sprintf("statevector: CopyFrom of a %d-qubit state into a %d-qubit state", src.n, s.n))
	}
	copy(s.psi, src.psi)
}

// Apply applies the matrix m on targets, where the controls have the values
// in ctrlState (bit i is the value Controls[i] must have). m is a
// 2^k x 2^k matrix in circuit's convention (bit j of its index is
// targets[j]); with no targets m is the 1x1 phase e^{i g}, applied where the
// controls hold (a global phase without controls). It panics on a qubit out
// of range, a qubit named twice, or a matrix of the wrong size.
func (s *State) Apply(m circuit.Matrix, targets, controls []int, ctrlState uint64) {
	k := len(targets)
	if len(m) != 1<<uint(2*k) {
		panic(fmt.Sprintf("statevector: a %d-target gate needs a %dx%d matrix, got %d entries", k, 1<<uint(k), 1<<uint(k), len(m)))
	}
	var tmask, cmask, cval int
	for _, t := range targets {
		tmask |= s.bit(t, tmask|cmask)
	}
	for i, c := range controls {
		b := s.bit(c, tmask|cmask)
		cmask |= b
		if ctrlState>>uint(i)&1 == 1 {
			cval |= b
		}
	}
	switch {
	case k == 0:
		applyPhase(s.psi, m[0], cmask, cval)
	case k == 1 && m[1] == 0 && m[2] == 0:
		applyDiag1(s.psi, m[0], m[3], targets[0], cmask, cval)
	case k == 1:
		apply1(s.psi, (*[4]complex128)(m), targets[0], cmask, cval)
	case circuit.IsDiagonal(m):
		off := s.offsets(targets)
		d := len(off)
		diag := s.buf[:d]
		for i := range d {
			diag[i] = m[i*d+i]
		}
		applyDiag(s.psi, diag, off, tmask, cmask, cval)
	case k == 2:
		apply2(s.psi, (*[16]complex128)(m), targets[0], targets[1], cmask, cval)
	default:
		off := s.offsets(targets)
		applyK(s.psi, m, off, tmask, cmask, cval, s.buf)
	}
}

// bit returns 1<<q after checking that q is a qubit not already in used.
func (s *State) bit(q int, used int) int {
	if q < 0 || q >= s.n {
		panic(fmt.Sprintf("statevector: qubit %d out of range [0,%d)", q, s.n))
	}
	b := 1 << uint(q)
	if used&b != 0 {
		panic(fmt.Sprintf("statevector: qubit %d used twice in one gate", q))
	}
	return b
}

// offsets returns the scratch offsets for targets and makes s.buf at least
// as long.
func (s *State) offsets(targets []int) []int {
	d := 1 << uint(len(targets))
	if cap(s.off) < d {
		s.off = make([]int, d)
		s.buf = make([]complex128, d)
	}
	off := s.off[:d]
	offsets(off, targets)
	return off
}
