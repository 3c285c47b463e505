package statevector

import (
	"fmt"
	"strings"
	"unsafe"
)

// Float is the element type of a state's storage: float32 for single
// precision (complex64 amplitudes), float64 for double (complex128).
type Float interface{ float32 | float64 }

// Precision selects the amplitude type of a state.
type Precision uint8

const (
	Double Precision = iota // complex128 amplitudes (16 bytes), the default
	Single                  // complex64 amplitudes (8 bytes), the fast path
)

func (p Precision) String() string {
	if p == Single {
		return "single"
	}
	return "double"
}

// BytesPerAmplitude returns the size of one amplitude: 8 for Single, 16 for
// Double.
func (p Precision) BytesPerAmplitude() uint64 {
	if p == Single {
		return 8
	}
	return 16
}

// Bytes returns the size in bytes of an n-qubit state vector of precision
// p, saturating at math.MaxUint64.
func (p Precision) Bytes(n int) uint64 { return bytesNeeded(n, p.BytesPerAmplitude()) }

// CheckMemory returns a *MemoryError if an n-qubit state vector of precision
// p needs more than limit bytes, and nil otherwise.
func (p Precision) CheckMemory(n int, limit uint64) error {
	if need := p.Bytes(n); need > limit {
		return &MemoryError{Qubits: n, Need: need, Limit: limit, Precision: p}
	}
	return nil
}

// ParsePrecision parses "single" (or "float32", "complex64", "f32") and
// "double" (or "float64", "complex128", "f64").
func ParsePrecision(s string) (Precision, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "single", "float32", "complex64", "f32", "32":
		return Single, nil
	case "double", "float64", "complex128", "f64", "64":
		return Double, nil
	}
	return 0, fmt.Errorf("unknown precision %q (want single or double)", s)
}

// PrecisionOf returns the precision of storage type T.
func PrecisionOf[T Float]() Precision {
	var z T
	if unsafe.Sizeof(z) == 4 {
		return Single
	}
	return Double
}

// Storage layout. The amplitudes are stored in blocks of L = 64 bytes /
// sizeof(T) amplitudes (16 in single precision, 8 in double): a block holds
// the L real parts and then the L imaginary parts, 128 bytes in all, so that
// one 512-bit register holds the real (or imaginary) parts of a block and
// complex arithmetic needs no shuffles. Amplitude i is lane i mod L of block
// i / L. Qubits below lg = log2(L) select a lane ("low" qubits); the others
// select a block ("high" qubits). A state of fewer than lg qubits still has
// one whole block; its extra lanes are zero and stay zero.

// lanes returns L for T.
func lanes[T Float]() int {
	var z T
	return 64 / int(unsafe.Sizeof(z))
}

// laneBits returns lg = log2(L) for T.
func laneBits[T Float]() int {
	var z T
	if unsafe.Sizeof(z) == 4 {
		return 4
	}
	return 3
}

// posOf returns the storage index of the real part of amplitude i (the
// imaginary part is L further on). It is additive over disjoint bit sets:
// posOf(a|b) = posOf(a) + posOf(b) when a&b == 0.
func posOf(i, lmask int) int { return i + i&^lmask }
