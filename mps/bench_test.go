package mps

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// BenchmarkApply2 applies a random 2-qubit unitary to the middle pair of a
// random MPS whose bonds there are all chi (the cap), so every application
// is a (2chi)×(2chi) contraction, SVD and truncation back to chi.
func BenchmarkApply2(b *testing.B) {
	for _, chi := range []int{16, 64, 256} {
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

// BenchmarkSVD times the complex SVD of a random square matrix of side
// 2chi, and gonum's real SVD of the 2x larger real embedding as a same-run
// baseline (skipped at 512 in -short mode: it takes ~15 s per call).
func BenchmarkSVD(b *testing.B) {
	for _, n := range []int{128, 256, 512} {
		r := rand.New(rand.NewPCG(2, uint64(n)))
		a := randomMatrix(r, n, n, 1)
		b.Run(fmt.Sprintf("n=%d/born", n), func(b *testing.B) {
			for b.Loop() {
				SVD(n, n, a)
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

// BenchmarkSample draws 10^4 shots from a random 100-qubit MPS at chi = 64.
func BenchmarkSample(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 3))
	s := randomMPS(r, 100, 64)
	rng := rand.New(rand.NewPCG(4, 4))
	for b.Loop() {
		s.SampleBits(10000, rng)
	}
}
