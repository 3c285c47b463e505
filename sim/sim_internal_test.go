package sim

import (
	"maps"
	"math"
	"testing"

	"born/circuit"
	"born/statevector"
)

// TestShotByShotIndependentOfWorkers: each shot's random stream depends on
// (seed, shot index) only, so any number of goroutines gives the same
// histogram.
func TestShotByShotIndependentOfWorkers(t *testing.T) {
	qe := circuit.QELib1Gates
	c := circuit.New(3, 3)
	c.GP(qe["ry"], []float64{1.1}, 0).G(qe["h"], 1).G(qe["cx"], 1, 2)
	c.Measure([]int{0}, []int{0})
	c.G(qe["h"], 0)
	c.Measure([]int{0, 1, 2}, []int{1, 2, 0})
	l, err := c.Lower()
	if err != nil {
		t.Fatal(err)
	}
	pr, err := compile(l, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pr.sampled || pr.prefix != 3 {
		t.Fatalf("sampled %v prefix %d; want a shot-by-shot circuit with a 3-gate prefix", pr.sampled, pr.prefix)
	}
	pre, _ := statevector.New(3)
	run(pr, pre, 0, pr.prefix, nil, nil)
	want := sbs(pr, pre, 2000, 5, 1)
	for _, w := range []int{2, 3, 7} {
		if got := sbs(pr, pre, 2000, 5, w); !maps.Equal(got, want) {
			t.Errorf("%d workers: %v, want %v", w, got, want)
		}
	}
}

// TestShotByShotMatchesSampling forces the shot-by-shot path on a circuit
// with terminal measurements and compares it with the sampled histogram by
// a two-sample chi-square test.
func TestShotByShotMatchesSampling(t *testing.T) {
	qe := circuit.QELib1Gates
	c := circuit.New(4, 4)
	for q := 0; q < 4; q++ {
		c.GP(qe["u3"], []float64{0.4 + 0.5*float64(q), 0.3, 0.1}, q)
	}
	c.G(qe["cx"], 0, 1).G(qe["cx"], 2, 3).G(qe["cx"], 1, 2)
	c.Measure([]int{0, 1, 2, 3}, []int{3, 2, 1, 0})
	l, _ := c.Lower()
	pr, _ := compile(l, nil)
	if !pr.sampled {
		t.Fatal("expected a sampled circuit")
	}
	const shots = 20000
	sampled, err := Counts(statevector.New, l, nil, shots, 3)
	if err != nil {
		t.Fatal(err)
	}
	pre, _ := statevector.New(4)
	run(pr, pre, 0, pr.prefix, nil, nil)
	byShot := sbs(pr, pre, shots, 4, 2)
	var chi2 float64
	df := -1
	for k := uint64(0); k < 16; k++ {
		a, b := float64(sampled[k]), float64(byShot[k])
		if a+b == 0 {
			continue
		}
		chi2 += (a - b) * (a - b) / (a + b)
		df++
	}
	if chi2 > float64(df)+5*math.Sqrt(2*float64(df))+5 {
		t.Errorf("two-sample chi2 = %.1f with %d degrees of freedom\nsampled %v\nby shot %v", chi2, df, sampled, byShot)
	}
}

// TestOneShotMatchesShotZero: Counts with one shot runs in place, drawing
// from the same stream as shot 0 of a longer run.
func TestOneShotMatchesShotZero(t *testing.T) {
	qe := circuit.QELib1Gates
	c := circuit.New(2, 2).G(qe["h"], 0).Measure([]int{0}, []int{0})
	c.G(qe["h"], 0).Measure([]int{0}, []int{1})
	l, _ := c.Lower()
	pr, _ := compile(l, nil)
	for seed := uint64(0); seed < 8; seed++ {
		one, err := Counts(statevector.New, l, nil, 1, seed)
		if err != nil {
			t.Fatal(err)
		}
		pre, _ := statevector.New(2)
		run(pr, pre, 0, pr.prefix, nil, nil)
		if want := sbs(pr, pre, 1, seed, 1); !maps.Equal(one, want) {
			t.Errorf("seed %d: %v, want %v", seed, one, want)
		}
	}
}

// sbs runs shotByShot with uint64 keys, as Counts does.
func sbs(pr *program, pre *statevector.State, shots int, seed uint64, workers int) map[uint64]int {
	counts := map[uint64]int{}
	shotByShot(pr, pre, shots, seed, workers, pack, nil, counts)
	return counts
}
