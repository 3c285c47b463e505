// Package statevector is born's exact engine: an n-qubit pure state held as
// 2^n complex amplitudes, in double (complex128) or single (complex64)
// precision.
//
// Qubit q is bit q of an amplitude index (qubit 0 is the least significant
// bit), and a gate's matrix follows package circuit's convention: bit j of a
// matrix index is the gate's target j. Controlled gates are applied on the
// controlled subspace only; the full controlled matrix is never built.
//
// One generic type, Vector[T], serves both precisions: State is
// Vector[float64] and State32 is Vector[float32]. Amplitudes are stored
// with real and imaginary parts split into blocks (see layout.go), so that
// the assembly kernels (AVX-512 or AVX2 on amd64, in every build, chosen at
// run time by CPU features; see KernelSet) need no shuffles; a portable
// pure-Go kernel set is used on other CPUs and architectures. Both give
// the same results up to rounding.
//
// Gates are applied one at a time with Apply (or prepared once as a Gate
// and applied many times with ApplyGate), or a whole pure circuit is
// compiled into a Program (gates fused into dense blocks of up to K qubits,
// runs of gates on low qubits applied per cache-sized chunk) and run with
// Run, or in one call with RunLowered. Large states are processed by a persistent worker pool over aligned
// chunks; results do not depend on the number of workers.
//
// Randomness is explicit: Measure and Reset take a uniform number u in
// [0, 1) that picks the outcome, and Sample takes a *rand.Rand, so results
// are reproducible from a seed. A state is not safe for concurrent
// mutation; Clone it per goroutine.
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

// Vector is an n-qubit pure state vector whose amplitudes have real and
// imaginary parts of type T.
type Vector[T Float] struct {
	n       int
	data    []T // split blocks; see layout.go
	workers int // 0: the default (see SetWorkers)

	op  pop[T] // scratch for Apply, reused across gates
	ex  executor[T]
	dsc []complex128 // diagonal scratch
}

// State is a double-precision (complex128) state vector.
type State = Vector[float64]

// State32 is a single-precision (complex64) state vector.
type State32 = Vector[float32]

// New returns the n-qubit double-precision state |0...0>. It returns a
// *MemoryError, without allocating, if the state needs more than MaxMemory
// bytes.
func New(n int) (*State, error) { return NewVector[float64](n) }

// New32 returns the n-qubit single-precision state |0...0>, or a
// *MemoryError as New does.
func New32(n int) (*State32, error) { return NewVector[float32](n) }

// NewVector returns the n-qubit state |0...0> with storage type T, within
// the package limit MaxMemory.
func NewVector[T Float](n int) (*Vector[T], error) { return NewVectorWithin[T](n, MaxMemory) }

// NewVectorWithin is NewVector with a memory limit of its own: a caller
// with a per-command limit (--max-memory) passes it here instead of
// changing MaxMemory for the whole process.
func NewVectorWithin[T Float](n int, limit uint64) (*Vector[T], error) {
	p := PrecisionOf[T]()
	if n < 0 || n > MaxQubits {
		if n > MaxQubits {
			return nil, &MemoryError{Qubits: n, Need: p.Bytes(n), Limit: limit, Precision: p}
		}
		return nil, fmt.Errorf("statevector: invalid number of qubits %d", n)
	}
	if err := p.CheckMemory(n, limit); err != nil {
		return nil, err
	}
	s := &Vector[T]{n: n, data: make([]T, storageLen[T](n))}
	s.data[0] = 1
	return s, nil
}

// storageLen returns the number of T an n-qubit state occupies.
func storageLen[T Float](n int) int { return 2 * max(1<<uint(n), lanes[T]()) }

// FromAmplitudes returns a double-precision state holding a copy of amps,
// whose length must be a power of two. The amplitudes are used as given (not
// normalised).
func FromAmplitudes(amps []complex128) (*State, error) { return VectorFrom[float64](amps) }

// FromAmplitudes32 is FromAmplitudes for a single-precision state; the
// amplitudes are rounded to complex64.
func FromAmplitudes32(amps []complex128) (*State32, error) { return VectorFrom[float32](amps) }

// VectorFrom returns a state with storage type T holding amps (see
// FromAmplitudes).
func VectorFrom[T Float](amps []complex128) (*Vector[T], error) {
	d := len(amps)
	if d == 0 || d&(d-1) != 0 {
		return nil, fmt.Errorf("statevector: %d amplitudes is not a power of two", d)
	}
	n := bits.TrailingZeros(uint(d))
	p := PrecisionOf[T]()
	if err := p.CheckMemory(n, MaxMemory); err != nil {
		return nil, err
	}
	s := &Vector[T]{n: n, data: make([]T, storageLen[T](n))}
	s.SetAmplitudes(amps)
	return s, nil
}

// NumQubits returns the number of qubits.
func (s *Vector[T]) NumQubits() int { return s.n }

// Len returns the number of amplitudes, 2^n.
func (s *Vector[T]) Len() int { return 1 << uint(s.n) }

// Precision returns the state's precision.
func (s *Vector[T]) Precision() Precision { return PrecisionOf[T]() }

// Amplitude returns the amplitude of basis state i.
func (s *Vector[T]) Amplitude(i int) complex128 {
	if i < 0 || i >= s.Len() {
		panic(fmt.Sprintf("statevector: amplitude index %d out of range [0,%d)", i, s.Len()))
	}
	L := lanes[T]()
	p := posOf(i, L-1)
	return complex(float64(s.data[p]), float64(s.data[p+L]))
}

// Amplitudes returns a copy of the amplitudes (widened to complex128 in
// single precision).
func (s *Vector[T]) Amplitudes() []complex128 {
	out := make([]complex128, s.Len())
	L := lanes[T]()
	for b := 0; b*L < len(out); b++ {
		blk := s.data[2*L*b : 2*L*(b+1)]
		o := out[b*L : min(len(out), (b+1)*L)]
		for j := range o {
			o[j] = complex(float64(blk[j]), float64(blk[L+j]))
		}
	}
	return out
}

// SetAmplitudes overwrites the state with amps, which must have 2^n
// entries.
func (s *Vector[T]) SetAmplitudes(amps []complex128) {
	if len(amps) != s.Len() {
		panic(fmt.Sprintf("statevector: %d amplitudes for a %d-qubit state", len(amps), s.n))
	}
	L := lanes[T]()
	for i, a := range amps {
		p := posOf(i, L-1)
		s.data[p], s.data[p+L] = T(real(a)), T(imag(a))
	}
}

// Probabilities returns |amplitude|^2 of every basis state.
func (s *Vector[T]) Probabilities() []float64 {
	p := make([]float64, s.Len())
	L := lanes[T]()
	for b := 0; b*L < len(p); b++ {
		blk := s.data[2*L*b : 2*L*(b+1)]
		o := p[b*L : min(len(p), (b+1)*L)]
		for j := range o {
			re, im := float64(blk[j]), float64(blk[L+j])
			o[j] = re*re + im*im
		}
	}
	return p
}

// Norm returns the 2-norm of the state (1 for a normalised state).
func (s *Vector[T]) Norm() float64 { return math.Sqrt(s.norm2()) }

func (s *Vector[T]) norm2() float64 {
	var t float64
	L := lanes[T]()
	nb := len(s.data) / (2 * L)
	for b := range nb {
		blk := s.data[2*L*b : 2*L*(b+1)]
		for j := range L {
			re, im := float64(blk[j]), float64(blk[L+j])
			t += re*re + im*im
		}
	}
	return t
}

// Clone returns an independent copy of s (with the same worker setting).
func (s *Vector[T]) Clone() *Vector[T] {
	return &Vector[T]{n: s.n, data: append([]T(nil), s.data...), workers: s.workers}
}

// CopyFrom overwrites s with the amplitudes of src, which must have the
// same number of qubits. It reuses s's memory.
func (s *Vector[T]) CopyFrom(src *Vector[T]) {
	if src.n != s.n {
		panic(fmt.Sprintf("statevector: CopyFrom of a %d-qubit state into a %d-qubit state", src.n, s.n))
	}
	copy(s.data, src.data)
}

// Reset0 sets the state to |0...0>, reusing its memory.
func (s *Vector[T]) Reset0() {
	clear(s.data)
	s.data[0] = 1
}

// SetWorkers sets how many goroutines work on one gate of this state: 0
// (the default) uses GOMAXPROCS for states of at least ParallelMinQubits
// qubits and 1 below; 1 runs serially (the right choice when many states
// are evolved concurrently, see RunMany). Results do not depend on it.
func (s *Vector[T]) SetWorkers(w int) { s.workers = max(0, w) }

// Workers returns the number of goroutines a gate of s uses.
func (s *Vector[T]) Workers() int { return workersFor(s.workers, s.n) }

// Apply applies the matrix m on targets, where the controls have the values
// in ctrlState (bit i is the value Controls[i] must have). m is a
// 2^k x 2^k matrix in circuit's convention (bit j of its index is
// targets[j]); with no targets m is the 1x1 phase e^{i g}, applied where the
// controls hold (a global phase without controls). It panics on a qubit out
// of range, a qubit named twice, or a matrix of the wrong size. To apply
// the same gate many times, prepare it once as a Gate (ApplyGate).
func (s *Vector[T]) Apply(m circuit.Matrix, targets, controls []int, ctrlState uint64) {
	if prepareGate(&s.op, &s.dsc, s.n, m, targets, controls, ctrlState) {
		s.ex.runOp(s.data, &s.op, s.Workers())
	}
}

// prepareGate checks a gate as Apply does and prepares it in p for an
// n-qubit state, keeping a diagonal in *dsc. It returns false for a gate
// with no effect (a diagonal of ones).
func prepareGate[T Float](p *pop[T], dsc *[]complex128, n int, m circuit.Matrix, targets, controls []int, ctrlState uint64) bool {
	k := len(targets)
	if len(m) != 1<<uint(2*k) {
		panic(fmt.Sprintf("statevector: a %d-target gate needs a %dx%d matrix, got %d entries", k, 1<<uint(k), 1<<uint(k), len(m)))
	}
	var used int
	for _, t := range targets {
		used |= checkBit(n, t, used)
	}
	for _, c := range controls {
		used |= checkBit(n, c, used)
	}
	if k == 0 || circuit.IsDiagonal(m) {
		d := 1 << uint(k)
		if cap(*dsc) < d {
			*dsc = make([]complex128, d)
		}
		diag := (*dsc)[:d]
		unit := true
		for i := range d {
			diag[i] = m[i*d+i]
			unit = unit && diag[i] == 1
		}
		if unit {
			return false
		}
		p.prepare(n, diag, true, targets, controls, ctrlState)
		return true
	}
	p.prepare(n, m, false, targets, controls, ctrlState)
	return true
}

// bit returns 1<<q after checking that q is a qubit not already in used.
func (s *Vector[T]) bit(q int, used int) int { return checkBit(s.n, q, used) }

// checkBit returns 1<<q after checking that q is a qubit of an n-qubit
// state not already in used.
func checkBit(n, q int, used int) int {
	if q < 0 || q >= n {
		panic(fmt.Sprintf("statevector: qubit %d out of range [0,%d)", q, n))
	}
	b := 1 << uint(q)
	if used&b != 0 {
		panic(fmt.Sprintf("statevector: qubit %d used twice in one gate", q))
	}
	return b
}
