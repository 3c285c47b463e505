package statevector_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"born/circuit"
	"born/statevector"
)

// applier is what the kernel benchmarks need of a state.
type applier interface {
	Apply(m circuit.Matrix, targets, controls []int, ctrlState uint64)
	SetWorkers(int)
}

func newApplier(b *testing.B, prec string, n int) applier {
	if prec == "single" {
		s, err := statevector.New32(n)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	s, err := statevector.New(n)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkKernels times each kernel on one gate (ns/amp is ns per
// amplitude per gate) in both precisions, serial and with the default
// workers, with the kernel set the CPU selects (see KernelSet).
func BenchmarkKernels(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	u1 := circuit.MatU(0.3, 0.2, 0.1)
	u2 := randMatrix(rng, 2)
	u3 := randMatrix(rng, 3)
	u4 := randMatrix(rng, 4)
	type kcase struct {
		name     string
		m        circuit.Matrix
		targets  func(n int) []int
		controls []int
	}
	cases := []kcase{
		{"1q", u1, func(n int) []int { return []int{n / 2} }, nil},
		{"1q-low", u1, func(n int) []int { return []int{1} }, nil},
		{"c1q", u1, func(n int) []int { return []int{n / 2} }, []int{5}},
		{"cx", circuit.Matrix{0, 1, 1, 0}, func(n int) []int { return []int{n / 2} }, []int{5}},
		{"cx-low", circuit.Matrix{0, 1, 1, 0}, func(n int) []int { return []int{1} }, []int{2}},
		{"2q", u2, func(n int) []int { return []int{n / 2, n - 2} }, nil},
		{"2q-hl", u2, func(n int) []int { return []int{1, n - 2} }, nil},
		{"2q-ll", u2, func(n int) []int { return []int{0, 2} }, nil},
		{"3q", u3, func(n int) []int { return []int{5, n / 2, n - 1} }, nil},
		{"4q", u4, func(n int) []int { return []int{4, 7, n / 2, n - 1} }, nil},
		{"diag1q", circuit.MatRZ(0.4), func(n int) []int { return []int{n / 2} }, nil},
	}
	for _, prec := range []string{"single", "double"} {
		for _, n := range []int{16, 20} {
			for _, w := range []int{1, 0} {
				for _, kc := range cases {
					b.Run(fmt.Sprintf("%s/%s/n=%d/w=%d", prec, kc.name, n, w), func(b *testing.B) {
						st := newApplier(b, prec, n)
						st.SetWorkers(w)
						tg := kc.targets(n)
						for b.Loop() {
							st.Apply(kc.m, tg, kc.controls, 1)
						}
						b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(int(1)<<uint(n)), "ns/amp")
					})
				}
			}
		}
	}
}

// BenchmarkPartialInner times the bulk inner product the adjoint gradient
// takes per parameterised 1-qubit block, on the QCBM's 9 qubits.
func BenchmarkPartialInner(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, _ := statevector.FromAmplitudes(randVec(rng, 9))
	y, _ := statevector.FromAmplitudes(randVec(rng, 9))
	for _, t := range []int{1, 6} {
		b.Run(fmt.Sprintf("t=%d", t), func(b *testing.B) {
			var r []complex128
			for b.Loop() {
				r = x.PartialInner(r, y, []int{t}, nil, 0)
			}
		})
	}
}
