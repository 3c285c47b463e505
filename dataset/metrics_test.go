package dataset

import (
	"math"
	"testing"
)

// Metrics stay in their ranges when rounding would take them out: KL >= 0
// and valid mass in [0, 1], as the KL -2.9e-16 and valid mass
// 1.000000000000003 were not.
func TestMetricsClamped(t *testing.T) {
	d, err := BarsAndStripes(3, 3)
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.Dense()
	if err != nil {
		t.Fatal(err)
	}
	// p slightly above the data on the support: the raw sums leave range.
	var rawKL, rawMass float64
	for i, x := range d.States {
		p[x] = d.Probs[i] * (1 + 8e-16)
		rawKL += d.Probs[i] * (math.Log(d.Probs[i]) - math.Log(p[x]))
		rawMass += p[x]
	}
	if rawKL >= 0 || rawMass <= 1 {
		t.Fatalf("test setup: raw KL %g, raw mass %.17g should be out of range", rawKL, rawMass)
	}
	if kl := KLDivergence(d, p); kl != 0 {
		t.Errorf("KL = %g, want 0", kl)
	}
	if m := ValidMass(d, p); m != 1 {
		t.Errorf("valid mass = %.17g, want 1", m)
	}
	// Far from the data the values are untouched.
	for i := range p {
		p[i] = 1 / float64(len(p))
	}
	want := math.Log(float64(len(p))) - d.Entropy()
	if kl := KLDivergence(d, p); math.Abs(kl-want) > 1e-12 {
		t.Errorf("KL(bas || uniform) = %v, want %v", kl, want)
	}
}
