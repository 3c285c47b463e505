package sim_test

import (
	"testing"

	"born/sim"
	"born/statevector"
)

// BenchmarkCountsSampled: 10^6 shots of a 16-qubit circuit measured at the
// end (one simulation, then sampling).
func BenchmarkCountsSampled(b *testing.B) {
	qs := make([]int, 16)
	for i := range qs {
		qs[i] = i
	}
	l := lower(b, randomPure(16, 16, 1).Measure(qs, qs))
	for b.Loop() {
		if _, err := sim.Counts(statevector.New, l, nil, 1_000_000, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCountsShots: 10^4 shots of a 10-qubit circuit with a mid-circuit
// measurement, run one by one.
func BenchmarkCountsShots(b *testing.B) {
	c := randomPure(10, 2, 1)
	measure(c, 0, 0).G(qe["h"], 0)
	measure(c, 0, 1)
	l := lower(b, c)
	for b.Loop() {
		if _, err := sim.Counts(statevector.New, l, nil, 10_000, 1); err != nil {
			b.Fatal(err)
		}
	}
}
