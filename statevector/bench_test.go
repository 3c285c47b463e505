package statevector_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"born/circuit"
	"born/statevector"
)

// The kernel benchmarks report ns per amplitude (ns/op divided by 2^n).
func benchGate(b *testing.B, n int, m circuit.Matrix, targets, controls []int) {
	st, err := statevector.New(n)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		st.Apply(m, targets, controls, 1)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(int(1)<<uint(n)), "ns/amp")
}

func BenchmarkApply(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	u1 := circuit.MatU(0.3, 0.2, 0.1)
	u2 := randMatrix(rng, 2)
	u3 := randMatrix(rng, 3)
	for _, n := range []int{16, 20} {
		b.Run(fmt.Sprintf("1q/n=%d", n), func(b *testing.B) { benchGate(b, n, u1, []int{n / 2}, nil) })
		b.Run(fmt.Sprintf("1q-low/n=%d", n), func(b *testing.B) { benchGate(b, n, u1, []int{0}, nil) })
		b.Run(fmt.Sprintf("c1q/n=%d", n), func(b *testing.B) { benchGate(b, n, u1, []int{n / 2}, []int{3}) })
		b.Run(fmt.Sprintf("2q/n=%d", n), func(b *testing.B) { benchGate(b, n, u2, []int{1, n - 2}, nil) })
		b.Run(fmt.Sprintf("3q/n=%d", n), func(b *testing.B) { benchGate(b, n, u3, []int{0, 5, n - 1}, nil) })
		b.Run(fmt.Sprintf("diag1q/n=%d", n), func(b *testing.B) { benchGate(b, n, circuit.MatRZ(0.4), []int{4}, nil) })
	}
}

func BenchmarkSample(b *testing.B) {
	st := evolve(b, randomCircuitState(b, 20, 1))
	rng := rand.New(rand.NewPCG(1, 1))
	for b.Loop() {
		st.Sample(1_000_000, rng)
	}
}
