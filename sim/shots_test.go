package sim_test

import (
	"testing"

	"born/circuit"
	"born/sim"
	"born/statevector"
)

// Shots draws from the same streams as Counts, so with the same seed its
// histogram is Counts' with keys written as bitstrings, on both the sampled
// and the shot-by-shot path; Observe sees every final state.
func TestShotsMatchesCounts(t *testing.T) {
	qe := circuit.QELib1Gates
	sampled := circuit.New(3, 3).G(qe["h"], 0).G(qe["cx"], 0, 1).GP(qe["ry"], []float64{0.7}, 2)
	sampled.Measure([]int{0, 1, 2}, []int{2, 0, 1})
	byShot := circuit.New(2, 3).G(qe["h"], 0).Measure([]int{0}, []int{0})
	byShot.G(qe["h"], 0).G(qe["cx"], 0, 1).Measure([]int{0, 1}, []int{1, 2})
	for _, tc := range []struct {
		name      string
		c         *circuit.Circuit
		wantCalls int
	}{{"sampled", sampled, 1}, {"shot by shot", byShot, 500}} {
		l, err := tc.c.Lower()
		if err != nil {
			t.Fatal(err)
		}
		counts, err := sim.Counts(statevector.New, l, nil, 500, 9)
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		shots, err := sim.Shots(statevector.New, l, nil, 500, 9, &sim.Options[*statevector.State]{
			Observe: func(*statevector.State) { calls++ },
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(shots) != len(counts) {
			t.Fatalf("%s: %v vs %v", tc.name, shots, counts)
		}
		for k, v := range counts {
			if got := shots[circuit.FormatBits(k, 3)]; got != v {
				t.Errorf("%s: key %03b: Shots %d, Counts %d", tc.name, k, got, v)
			}
		}
		if calls != tc.wantCalls {
			t.Errorf("%s: Observe called %d times, want %d", tc.name, calls, tc.wantCalls)
		}
	}
}
