package sim_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"born/circuit"
	"born/sim"
	"born/statevector"
)

// The single-precision engine is a runner engine too.
var _ sim.State[*statevector.State32] = (*statevector.State32)(nil)

// TestSinglePrecisionRunner runs the runner's paths (exact branching,
// sampled counts, shot-by-shot counts) on the single-precision engine and
// compares with double precision: probabilities to 1e-5, counts by a
// chi-square test against the exact distribution.
func TestSinglePrecisionRunner(t *testing.T) {
	c := randomPure(5, 3, 2)
	measure(c, 0, 0).G(qe["h"], 0) // a mid-circuit measurement: branches
	measure(c, 0, 1)
	measure(c, 3, 2)
	l := lower(t, c)
	want, wantProbs, err := sim.Exact(statevector.New, l, nil, 64)
	if err != nil {
		t.Fatal(err)
	}
	got, gotProbs, err := sim.Exact(statevector.New32, l, nil, 64)
	if err != nil {
		t.Fatal(err)
	}
	for k, p := range want {
		if math.Abs(got[k]-p) > 1e-5 {
			t.Errorf("classical %b: %g, want %g", k, got[k], p)
		}
	}
	for i, p := range wantProbs {
		if math.Abs(gotProbs[i]-p) > 1e-5 {
			t.Errorf("basis state %d: %g, want %g", i, gotProbs[i], p)
		}
	}
	const shots = 20000
	counts, err := sim.Counts(statevector.New32, l, nil, shots, 5)
	if err != nil {
		t.Fatal(err)
	}
	if chi2, df := chiSquare(counts, want, shots); !chiSquareOK(chi2, df) {
		t.Errorf("shot by shot: chi2 = %.1f with %d degrees of freedom", chi2, df)
	}
	// Terminal measurements only: one final state, sampled.
	c2 := randomPure(6, 6, 4)
	c2.Measure([]int{0, 1, 2, 3, 4, 5}, []int{0, 1, 2, 3, 4, 5})
	l2 := lower(t, c2)
	exact, _, err := sim.Exact(statevector.New, l2, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	sampled, err := sim.Counts(statevector.New32, l2, nil, shots, 9)
	if err != nil {
		t.Fatal(err)
	}
	if chi2, df := chiSquare(sampled, exact, shots); !chiSquareOK(chi2, df) {
		t.Errorf("sampled: chi2 = %.1f with %d degrees of freedom", chi2, df)
	}
}

// TestSinglePrecisionEvolve: sim.Evolve with both precisions agrees to 1e-5
// on a circuit of every qelib1 gate.
func TestSinglePrecisionEvolve(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const n = 6
	c := circuit.New(n, 0)
	for i := 0; i < 120; i++ {
		g := qe[circuit.QELib1Order[rng.IntN(len(circuit.QELib1Order))]]
		if g.NumQubits() > n || g.Opaque {
			continue
		}
		ps := make([]float64, len(g.Params))
		for j := range ps {
			ps[j] = rng.Float64() * 6
		}
		c.GP(g, ps, rng.Perm(n)[:g.NumQubits()]...)
	}
	l := lower(t, c)
	sd, _ := statevector.New(n)
	ss, _ := statevector.New32(n)
	if err := sim.Evolve(sd, l, nil); err != nil {
		t.Fatal(err)
	}
	if err := sim.Evolve(ss, l, nil); err != nil {
		t.Fatal(err)
	}
	a, b := sd.Amplitudes(), ss.Amplitudes()
	for i := range a {
		if d := a[i] - b[i]; math.Hypot(real(d), imag(d)) > 1e-5 {
			t.Fatalf("amplitude %d: %v vs %v", i, a[i], b[i])
		}
	}
}
