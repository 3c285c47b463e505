package dataset

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
)

// denseKernel builds K as a matrix from its definition.
func denseKernel(n int, metric Metric, sigmas []float64) [][]float64 {
	N := 1 << uint(n)
	k := make([][]float64, N)
	for x := range N {
		k[x] = make([]float64, N)
		for y := range N {
			d := float64(bits.OnesCount(uint(x ^ y)))
			if metric == Integer {
				d = float64((x - y) * (x - y))
			}
			for _, s := range sigmas {
				k[x][y] += math.Exp(-d / (2 * s))
			}
		}
	}
	return k
}

// TestKernelApply checks the structured products (per-bit transform for
// Hamming, direct and FFT Toeplitz for Integer) against the dense matrix.
func TestKernelApply(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range []struct {
		n      int
		metric Metric
		sigmas []float64
	}{
		{1, Hamming, []float64{0.5}},
		{5, Hamming, []float64{0.5, 1, 2, 4}},
		{4, Integer, []float64{0.25, 10, 1000}}, // direct
		{9, Integer, []float64{0.25, 10, 1000}}, // FFT
	} {
		k, err := NewKernel(c.n, c.metric, c.sigmas)
		if err != nil {
			t.Fatal(err)
		}
		N := 1 << uint(c.n)
		v := make([]float64, N)
		for i := range v {
			v[i] = rng.Float64() - 0.5
		}
		got := k.Apply(nil, v)
		dense := denseKernel(c.n, c.metric, c.sigmas)
		for x := range N {
			var want float64
			for y := range N {
				want += dense[x][y] * v[y]
			}
			if math.Abs(got[x]-want) > 1e-12*float64(N) {
				t.Errorf("n=%d %v: (Kv)[%d] = %v, want %v", c.n, c.metric, x, got[x], want)
				break
			}
			if e := k.Eval(uint64(x), 3%uint64(N)); e != dense[x][3%N] {
				t.Errorf("Eval(%d, 3) = %v, want %v", x, e, dense[x][3%N])
			}
		}
	}
}

// TestSampledMMDUnbiased checks that the mean of the sampled MMD estimate
// over many independent sample sets matches the exact MMD.
func TestSampledMMDUnbiased(t *testing.T) {
	data, _ := BarsAndStripes(2, 2)
	k, _ := NewKernel(4, Hamming, []float64{0.5, 1, 2, 4})
	l, err := NewMMDLoss(k, data)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	p := make([]float64, 16)
	var tot float64
	for i := range p {
		p[i] = rng.Float64()
		tot += p[i]
	}
	cum := make([]float64, 16)
	for i := range p {
		p[i] /= tot
		cum[i] = p[i]
		if i > 0 {
			cum[i] += cum[i-1]
		}
	}
	exact := l.Eval(p, nil)
	const sets, shots = 4000, 10
	var mean, sq float64
	samples := make([]uint64, shots)
	for range sets {
		for i := range samples {
			u := rng.Float64()
			x := 0
			for x < 15 && cum[x] < u {
				x++
			}
			samples[i] = uint64(x)
		}
		est, err := l.EvalSamples(samples, nil)
		if err != nil {
			t.Fatal(err)
		}
		mean += est
		sq += est * est
	}
	mean /= sets
	se := math.Sqrt((sq/sets - mean*mean) / sets)
	if math.Abs(mean-exact) > 4*se {
		t.Errorf("mean sampled MMD %v +- %v, exact %v", mean, se, exact)
	}
	if _, err := l.EvalSamples(samples[:1], nil); err == nil {
		t.Error("one sample accepted")
	}
}

func TestParseSigmas(t *testing.T) {
	s, err := ParseSigmas("0.5, 1,2,4")
	if err != nil || len(s) != 4 || s[0] != 0.5 || s[3] != 4 {
		t.Errorf("got %v, %v", s, err)
	}
	for _, bad := range []string{"", "  ", "1,-2", "0", "1,,2", "inf", "nan", "a"} {
		if _, err := ParseSigmas(bad); err == nil || !strings.HasPrefix(err.Error(), "sigmas ") {
			t.Errorf("ParseSigmas(%q): error %v", bad, err)
		}
	}
	if _, err := NewKernel(3, Hamming, nil); err == nil {
		t.Error("NewKernel accepted no bandwidths")
	}
}
