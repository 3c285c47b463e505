package statevector_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"born/circuit"
)

// randomCircuitState prepares a 10-qubit state with a spread-out,
// uneven distribution.
func randomCircuitState(t testing.TB, n int, seed uint64) *circuit.Circuit {
	rng := rand.New(rand.NewPCG(seed, 0))
	c := circuit.New(n, 0)
	for layer := 0; layer < 3; layer++ {
		for q := 0; q < n; q++ {
			c.GP(qe["u3"], []float64{rng.Float64() * 3, rng.Float64() * 6, rng.Float64() * 6}, q)
		}
		for q := layer % 2; q+1 < n; q += 2 {
			c.G(qe["cx"], q, q+1)
		}
	}
	return c
}

// TestSampleChiSquare draws 10^5 shots from a 10-qubit state and compares
// the histogram with the exact probabilities by a chi-square test.
func TestSampleChiSquare(t *testing.T) {
	const n, shots = 10, 100_000
	for seed := uint64(1); seed <= 3; seed++ {
		st := evolve(t, randomCircuitState(t, n, seed))
		probs := map[uint64]float64{}
		for i, p := range st.Probabilities() {
			probs[uint64(i)] = p
		}
		obs := map[uint64]int{}
		for _, x := range st.Sample(shots, rand.New(rand.NewPCG(seed, 99))) {
			obs[x]++
		}
		chi2, df := chiSquare(obs, probs, shots)
		if !chiSquareOK(chi2, df) {
			t.Errorf("seed %d: chi2 = %.1f with %d degrees of freedom", seed, chi2, df)
		}
	}
}

func TestSampleDeterministic(t *testing.T) {
	st := evolve(t, randomCircuitState(t, 6, 7))
	a := st.Sample(1000, rand.New(rand.NewPCG(1, 2)))
	b := st.Sample(1000, rand.New(rand.NewPCG(1, 2)))
	c := st.Sample(1000, rand.New(rand.NewPCG(1, 3)))
	if !slices.Equal(a, b) {
		t.Error("same seed, different samples")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds, same samples")
	}
}

// TestSampleOrderIsRandom: sampling walks the distribution in order, so the
// shots must be shuffled afterwards. For a fair coin the number of runs of
// equal outcomes in 10^4 shots is about 5000 +- 50.
func TestSampleOrderIsRandom(t *testing.T) {
	st := mustState(t, []complex128{r2, r2})
	s := st.Sample(10_000, rand.New(rand.NewPCG(4, 4)))
	runs := 1
	for i := 1; i < len(s); i++ {
		if s[i] != s[i-1] {
			runs++
		}
	}
	if runs < 4750 || runs > 5250 {
		t.Errorf("%d runs in 10^4 fair coin flips", runs)
	}
}

func TestSampleEdgeCases(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	// A basis state: every shot is that state.
	st := mustState(t, []complex128{0, 0, 0, 0, 0, 1i, 0, 0})
	for _, x := range st.Sample(1000, rng) {
		if x != 5 {
			t.Fatalf("sampled %d from |101>", x)
		}
	}
	// An unnormalised state samples |amplitude|^2 relative to its norm, and
	// never a zero-probability state.
	st = mustState(t, []complex128{0, 3, 0, 0})
	for _, x := range st.Sample(100, rng) {
		if x != 1 {
			t.Fatalf("sampled %d", x)
		}
	}
	if got := st.Sample(0, rng); len(got) != 0 {
		t.Errorf("Sample(0) = %v", got)
	}
	// The last nonzero state absorbs rounding at the top of the cumulative
	// distribution.
	st = mustState(t, []complex128{complex(math.Sqrt(1e-300), 0), 0, 1, 0})
	for _, x := range st.Sample(100, rng) {
		if x != 2 && x != 0 {
			t.Fatalf("sampled %d", x)
		}
	}
}

// TestSampleMillionShots makes sure 10^6 shots are one pass, not 10^6,
// and still follow the 16-qubit distribution (chi-square test).
func TestSampleMillionShots(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const shots = 1_000_000
	st := evolve(t, randomCircuitState(t, 16, 5))
	s := st.Sample(shots, rand.New(rand.NewPCG(1, 1)))
	if len(s) != shots {
		t.Fatalf("%d shots", len(s))
	}
	probs := map[uint64]float64{}
	for i, p := range st.Probabilities() {
		probs[uint64(i)] = p
	}
	obs := map[uint64]int{}
	for _, x := range s {
		obs[x]++
	}
	if chi2, df := chiSquare(obs, probs, shots); !chiSquareOK(chi2, df) {
		t.Errorf("chi2 = %.1f with %d degrees of freedom", chi2, df)
	}
}

// TestSampleSorted: SampleSorted draws Sample's shots (same stream) in
// increasing order, without allocating.
func TestSampleSorted(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		st := evolve(t, randomCircuitState(t, 8, seed))
		want := st.Sample(5000, rand.New(rand.NewPCG(seed, 5)))
		slices.Sort(want)
		got := st.SampleSorted(make([]uint64, 5000), rand.New(rand.NewPCG(seed, 5)))
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: SampleSorted differs from Sample's shots sorted", seed)
		}
	}
	st := evolve(t, randomCircuitState(t, 6, 1))
	dst := make([]uint64, 1000)
	rng := rand.New(rand.NewPCG(1, 1))
	if a := testing.AllocsPerRun(10, func() { st.SampleSorted(dst, rng) }); a != 0 {
		t.Errorf("SampleSorted: %v allocations", a)
	}
	if got := st.SampleSorted(nil, rng); len(got) != 0 {
		t.Errorf("SampleSorted(nil) = %v", got)
	}
}
