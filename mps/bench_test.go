package mps

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkApply2 applies a random 2-qubit unitary to the middle pair of a
// random MPS whose bonds there are all chi (the cap), so every application
// is a (2chi)×(2chi) contraction, SVD and truncation back to chi.
func BenchmarkApply2(b *testing.B) {
	for _, chi := range []int{16, 64, 128, 256} {
		b.Run(fmt.Sprintf("chi=%d", chi), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, uint64(chi)))
			n := 2*bits.Len(uint(chi)) + 2
			s := randomMPS(r, n, chi)
			i := n/2 - 1
			s.moveCenter(i)
			if d := s.BondDims(); d[i-1] != chi || d[i] != chi || d[i+1] != chi {
				b.Fatalf("bonds %v", d)
			}
			g := randomUnitary(r, 4)
			for b.Loop() {
				s.Apply(g, []int{i, i + 1}, nil, 0)
			}
		})
	}
}

// BenchmarkSVD times the complex SVD of a random square matrix of side n,
// and gonum's real SVD of the 2x larger real embedding as a same-run
// baseline (skipped above 256 in -short mode: it takes ~15 s per call at
// 512). With BORN_SVD_MATRICES=DIR the matrices are read from
// DIR/svd-N.bin (N*N complex128, row-major, little-endian), or written
// there when absent, so that another program (LAPACK's zgesdd through
// numpy) can time the same matrices.
func BenchmarkSVD(b *testing.B) {
	for _, n := range []int{64, 128, 256, 512} {
		a := benchMatrix(b, n)
		b.Run(fmt.Sprintf("n=%d/born", n), func(b *testing.B) {
			for b.Loop() {
				SVD(n, n, a)
			}
		})
		b.Run(fmt.Sprintf("n=%d/born-truncated-half", n), func(b *testing.B) {
			for b.Loop() {
				svdTrunc(n, n, a, func([]float64) int { return n / 2 })
			}
		})
		b.Run(fmt.Sprintf("n=%d/gonum-embedding", n), func(b *testing.B) {
			if testing.Short() && n > 256 {
				b.Skip("slow baseline")
			}
			for b.Loop() {
				embeddingSVD(n, n, a)
			}
		})
	}
}

// benchMatrix returns the n×n benchmark matrix: standard complex normal
// entries, shared through $BORN_SVD_MATRICES when set.
func benchMatrix(b *testing.B, n int) []complex128 {
	dir := os.Getenv("BORN_SVD_MATRICES")
	file := filepath.Join(dir, fmt.Sprintf("svd-%d.bin", n))
	if dir != "" {
		if raw, err := os.ReadFile(file); err == nil {
			if len(raw) != 16*n*n {
				b.Fatalf("%s: %d bytes, want %d", file, len(raw), 16*n*n)
			}
			a := make([]complex128, n*n)
			for i := range a {
				re := math.Float64frombits(binary.LittleEndian.Uint64(raw[16*i:]))
				im := math.Float64frombits(binary.LittleEndian.Uint64(raw[16*i+8:]))
				a[i] = complex(re, im)
			}
			return a
		}
	}
	r := rand.New(rand.NewPCG(2, uint64(n)))
	a := randomMatrix(r, n, n, 1)
	if dir != "" {
		raw := make([]byte, 16*n*n)
		for i, v := range a {
			binary.LittleEndian.PutUint64(raw[16*i:], math.Float64bits(real(v)))
			binary.LittleEndian.PutUint64(raw[16*i+8:], math.Float64bits(imag(v)))
		}
		if err := os.WriteFile(file, raw, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return a
}

// BenchmarkSample draws 10^4 shots from a random 100-qubit MPS at chi = 64.
func BenchmarkSample(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 3))
	s := randomMPS(r, 100, 64)
	rng := rand.New(rand.NewPCG(4, 4))
	for b.Loop() {
		s.SampleBits(10000, rng)
	}
}
