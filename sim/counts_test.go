package sim_test

import (
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"born/circuit"
	"born/internal/testguard"
	"born/mps"
	"born/sim"
	"born/statevector"
)

// productCircuit puts qubit q in RY(theta_q)|0> and measures it into bit q:
// P(bit q = 1) = sin^2(theta_q / 2), independently.
func productCircuit(thetas []float64) (*circuit.Circuit, map[uint64]float64) {
	n := len(thetas)
	c := circuit.New(n, n)
	for q, th := range thetas {
		c.GP(qe["ry"], []float64{th}, q)
	}
	for q := range n {
		c.Measure([]int{q}, []int{q})
	}
	probs := map[uint64]float64{}
	for x := range uint64(1) << uint(n) {
		p := 1.0
		for q, th := range thetas {
			s := math.Pow(math.Sin(th/2), 2)
			if x>>uint(q)&1 == 1 {
				p *= s
			} else {
				p *= 1 - s
			}
		}
		probs[x] = p
	}
	return c, probs
}

// 10^12 shots of a 20-qubit circuit are drawn as one histogram: seconds and
// a few tens of MB, where storing the shots would take 8 TB. The counts
// pass a chi-square test against the exact (uniform) distribution, whose
// 2^20 - 1 degrees of freedom make the statistic normal: df +- 5 sqrt(2 df).
func TestCountsTrillionShots(t *testing.T) {
	const n, shots = 20, 1_000_000_000_000
	c := circuit.New(n, n)
	for q := range n {
		c.G(qe["h"], q)
	}
	for q := range n {
		c.Measure([]int{q}, []int{q})
	}
	l := lower(t, c)
	var counts map[uint64]int
	var err error
	// 10 s of CPU time is the bound (CPU time, which the load of
	// other programs does not stretch); the draw takes about 1 s, while
	// storing or drawing 10^12 shots one by one would take hours and 8 TB.
	cost := testguard.Within(t, "10^12 shots", 10*time.Second, 100<<20, func() {
		counts, err = sim.Counts(statevector.New, l, nil, shots, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	var sum int
	probs := make(map[uint64]float64, 1<<n)
	for x := range uint64(1) << n {
		probs[x] = 1.0 / (1 << n)
	}
	for _, v := range counts {
		sum += v
	}
	if sum != shots {
		t.Fatalf("counts sum to %d", sum)
	}
	if chi2, df := chiSquare(counts, probs, shots); !chiSquareOK(chi2, df) {
		t.Errorf("chi-square %.0f on %d degrees of freedom", chi2, df)
	}
	t.Logf("10^12 shots of %d qubits: %v", n, cost)
}

// Counts drawn as one multinomial variate follow the exact distribution, on
// both engines and through Shots: chi-square tests against the analytic
// distribution of a product state, for few and for very many shots.
func TestCountsMultinomialExact(t *testing.T) {
	c, probs := productCircuit([]float64{0.3, 1.9, 2.5, 0.05, math.Pi / 2})
	l := lower(t, c)
	newMPS := func(n int) (*mps.State, error) { return mps.New(n, mps.Options{MaxBond: 4}) }
	for _, shots := range []int{100, 100_000, 1 << 40} {
		for name, counts := range map[string]func() (map[uint64]int, error){
			"statevector": func() (map[uint64]int, error) { return sim.Counts(statevector.New, l, nil, shots, 3) },
			"mps":         func() (map[uint64]int, error) { return sim.Counts(newMPS, l, nil, shots, 3) },
			"shots": func() (map[uint64]int, error) {
				m, err := sim.Shots(statevector.New, l, nil, shots, 3, nil)
				out := map[uint64]int{}
				for k, v := range m {
					var x uint64
					for i := range k {
						if k[len(k)-1-i] == '1' {
							x |= 1 << uint(i)
						}
					}
					out[x] = v
				}
				return out, err
			},
		} {
			got, err := counts()
			if err != nil {
				t.Fatalf("%s, %d shots: %v", name, shots, err)
			}
			sum := 0
			for _, v := range got {
				sum += v
			}
			if sum != shots {
				t.Fatalf("%s, %d shots: counts sum to %d", name, shots, sum)
			}
			if chi2, df := chiSquare(got, probs, shots); !chiSquareOK(chi2, df) {
				t.Errorf("%s, %d shots: chi-square %.1f on %d degrees of freedom", name, shots, chi2, df)
			}
		}
	}
}

// A circuit with mid-circuit measurements and very many shots is counted
// from the exact distribution of its few outcomes: 10^12 shots of a
// measure-and-correct circuit pass a chi-square test against the analytic
// distribution, quickly, on both engines.
func TestCountsDynamicManyShots(t *testing.T) {
	// q0 in RY(0.8)|0>, measured into c0; if c0 = 1, flip q1; q1 in
	// RY(1.3) either way and measured into c1. P(c0=1) = sin^2(0.4); c1
	// is then 1 with probability sin^2(0.65) if c0 = 0, cos^2(0.65) if 1.
	c := circuit.New(2, 2)
	c.GP(qe["ry"], []float64{0.8}, 0)
	measure(c, 0, 0)
	when(c.G(qe["x"], 1), []int{0}, 1)
	c.GP(qe["ry"], []float64{1.3}, 1)
	measure(c, 1, 1)
	l := lower(t, c)
	a, b := math.Pow(math.Sin(0.4), 2), math.Pow(math.Sin(0.65), 2)
	probs := map[uint64]float64{0b00: (1 - a) * (1 - b), 0b10: (1 - a) * b, 0b01: a * b, 0b11: a * (1 - b)}
	newMPS := func(n int) (*mps.State, error) { return mps.New(n, mps.Options{MaxBond: 4}) }
	const shots = 1_000_000_000_000
	for name, counts := range map[string]func() (map[uint64]int, error){
		"statevector": func() (map[uint64]int, error) { return sim.Counts(statevector.New, l, nil, shots, 8) },
		"mps":         func() (map[uint64]int, error) { return sim.Counts(newMPS, l, nil, shots, 8) },
	} {
		var got map[uint64]int
		var err error
		testguard.Within(t, name+": 10^12 shots", 10*time.Second, 100<<20, func() { got, err = counts() })
		if err != nil {
			t.Fatal(err)
		}
		if chi2, df := chiSquare(got, probs, shots); !chiSquareOK(chi2, df) {
			t.Errorf("%s: chi-square %.1f on %d degrees of freedom: %v", name, chi2, df, got)
		}
	}
}

// The histogram does not depend on the number of threads, on any path.
func TestCountsIndependentOfThreads(t *testing.T) {
	sampled, _ := productCircuit([]float64{0.3, 1.9, 2.5})
	dyn := circuit.New(2, 2)
	dyn.G(qe["h"], 0)
	measure(dyn, 0, 0)
	when(dyn.G(qe["x"], 1), []int{0}, 1)
	dyn.G(qe["h"], 1)
	measure(dyn, 1, 1)
	for _, tc := range []struct {
		name  string
		c     *circuit.Circuit
		shots int
	}{{"sampled", sampled, 1 << 30}, {"exact", dyn, 1 << 30}, {"shot by shot", dyn, 5000}} {
		l := lower(t, tc.c)
		var results []map[uint64]int
		for _, procs := range []int{1, 2, 4} {
			old := runtime.GOMAXPROCS(procs)
			got, err := sim.Counts(statevector.New, l, nil, tc.shots, 77)
			runtime.GOMAXPROCS(old)
			if err != nil {
				t.Fatal(err)
			}
			results = append(results, got)
		}
		for _, r := range results[1:] {
			if len(r) != len(results[0]) {
				t.Fatalf("%s: %v vs %v", tc.name, r, results[0])
			}
			for k, v := range results[0] {
				if r[k] != v {
					t.Fatalf("%s: %v vs %v", tc.name, r, results[0])
				}
			}
		}
	}
}

// Requests that cannot be met are refused at once with the reason: more
// than 2^53 shots, more shots than can run one at a time on a circuit with
// too many mid-circuit outcomes to enumerate, and more distinct outcomes
// than a histogram can hold.
func TestCountsRefusals(t *testing.T) {
	c, _ := productCircuit([]float64{1, 1})
	l := lower(t, c)
	if _, err := sim.Counts(statevector.New, l, nil, sim.MaxShots+1, 1); err == nil || !strings.Contains(err.Error(), "at most 2^53") {
		t.Errorf("2^53+1 shots: %v", err)
	}
	// 13 mid-circuit measurements, each followed by a conditioned gate:
	// 2^13 branches, more than are enumerated.
	dyn := circuit.New(13, 13)
	for q := range 13 {
		dyn.G(qe["h"], q)
		measure(dyn, q, q)
		when(dyn.G(qe["x"], q), []int{q}, 1)
		dyn.G(qe["h"], q)
	}
	ld := lower(t, dyn)
	var err error
	testguard.Within(t, "refusing 2^30+1 shots one at a time", time.Second, 100<<20, func() {
		_, err = sim.Counts(statevector.New, ld, nil, sim.MaxShotByShot+1, 1)
	})
	if err == nil || !strings.Contains(err.Error(), "one at a time") {
		t.Errorf("2^30+1 shots one at a time: %v", err)
	}
	old := sim.MaxOutcomes
	sim.MaxOutcomes = 3
	defer func() { sim.MaxOutcomes = old }()
	if _, err := sim.Counts(statevector.New, l, nil, 10000, 1); err == nil || !strings.Contains(err.Error(), "distinct outcomes") {
		t.Errorf("4 outcomes with MaxOutcomes 3: %v", err)
	}
}
