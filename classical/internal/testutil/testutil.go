// Package testutil holds checks shared by the tests of the classical
// baselines.
package testutil

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"born/dataset"
	"born/model"
)

// ChiSquare returns Pearson's chi-square statistic of samples against the
// distribution p, pooling states expected fewer than 5 times into one bin,
// with its degrees of freedom and p-value.
func ChiSquare(samples []uint64, p []float64) (stat float64, df int, pvalue float64) {
	counts := make([]float64, len(p))
	for _, x := range samples {
		counts[x]++
	}
	N := float64(len(samples))
	var poolE, poolO float64
	bins := 0
	for x, px := range p {
		e := N * px
		if e < 5 {
			poolE += e
			poolO += counts[x]
			continue
		}
		stat += (counts[x] - e) * (counts[x] - e) / e
		bins++
	}
	if poolE > 0 {
		if poolE < 1e-300 {
			poolE = 1e-300
		}
		stat += (poolO - poolE) * (poolO - poolE) / poolE
		bins++
	}
	df = bins - 1
	return stat, df, distuv.ChiSquared{K: float64(df)}.Survival(stat)
}

// RandomParams sets every parameter of m to a draw from N(0, scale^2),
// from PCG seeded by seed.
func RandomParams(m model.Model, scale float64, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 3))
	theta := make([]float64, m.NumParams())
	for i := range theta {
		theta[i] = scale * rng.NormFloat64()
	}
	return m.SetParams(theta)
}

// RandomData returns a distribution on k distinct random n-bit states
// with random weights, drawn from PCG seeded by seed.
func RandomData(n, k int, seed uint64) *dataset.Dataset {
	rng := rand.New(rand.NewPCG(seed, 7))
	seen := map[uint64]bool{}
	d := &dataset.Dataset{Spec: "random", Bits: n}
	var tot float64
	for len(d.States) < k {
		x := rng.Uint64() & (1<<uint(n) - 1)
		if seen[x] {
			continue
		}
		seen[x] = true
		d.States = append(d.States, x)
		w := 0.2 + rng.Float64()
		d.Probs = append(d.Probs, w)
		tot += w
	}
	for i := range d.Probs {
		d.Probs[i] /= tot
	}
	// Sort states ascending, as bornmachine datasets are.
	for i := 1; i < len(d.States); i++ {
		for j := i; j > 0 && d.States[j] < d.States[j-1]; j-- {
			d.States[j], d.States[j-1] = d.States[j-1], d.States[j]
			d.Probs[j], d.Probs[j-1] = d.Probs[j-1], d.Probs[j]
		}
	}
	return d
}

// MaxRelErr returns max_i |a_i - b_i| / max(1, |b_i|).
func MaxRelErr(a, b []float64) float64 {
	var e float64
	for i := range a {
		e = max(e, math.Abs(a[i]-b[i])/max(1, math.Abs(b[i])))
	}
	return e
}

// Perturb returns a copy of p with mass eps moved from its most likely
// state to its least likely one.
func Perturb(p []float64, eps float64) []float64 {
	q := append([]float64(nil), p...)
	hi, lo := 0, 0
	for i, v := range q {
		if v > q[hi] {
			hi = i
		}
		if v < q[lo] {
			lo = i
		}
	}
	q[hi] -= eps
	q[lo] += eps
	return q
}
