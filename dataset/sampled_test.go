package dataset

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSampledMMD: on data small enough for the dense MMDLoss, the sampled
// MMD gives the same estimate and the same gradient at every state, for
// Hamming and integer metrics; and its expectation over many sample sets
// is the exact squared MMD (unbiased).
func TestSampledMMD(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, spec := range []string{"bas:3x3", "gauss:6"} {
		data, err := ParseDataset(spec)
		if err != nil {
			t.Fatal(err)
		}
		k, err := NewKernel(data.Bits, data.Metric, []float64{0.5, 2, 8})
		if err != nil {
			t.Fatal(err)
		}
		dense, err := NewMMDLoss(k, data)
		if err != nil {
			t.Fatal(err)
		}
		sampled, err := NewSampledMMD(k, data)
		if err != nil {
			t.Fatal(err)
		}
		N := 1 << data.Bits
		// A model distribution: the data mixed with uniform.
		p := make([]float64, N)
		for x := range p {
			p[x] = 0.3/float64(N) + 0.7*data.Prob(uint64(x))
		}
		exact := dense.Eval(p, nil)
		draw := func(m int) []uint64 {
			out := make([]uint64, m)
			for i := range out {
				u, acc := r.Float64(), 0.0
				for x, v := range p {
					acc += v
					if u < acc {
						out[i] = uint64(x)
						break
					}
					out[i] = uint64(x)
				}
			}
			return out
		}
		s := draw(50)
		grad := make([]float64, N)
		want, err := dense.EvalSamples(s, grad)
		if err != nil {
			t.Fatal(err)
		}
		got, g, err := sampled.Eval(s)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: sampled MMD %v, dense %v", spec, got, want)
		}
		for x := range N {
			if math.Abs(g(uint64(x))-grad[x]) > 1e-12 {
				t.Fatalf("%s: g(%d) = %v, dense gradient %v", spec, x, g(uint64(x)), grad[x])
			}
		}
		var mean float64
		const reps = 400
		for range reps {
			v, _, _ := sampled.Eval(draw(20))
			mean += v / reps
		}
		// The estimate's spread over 20 samples is about its own size; 400
		// repetitions leave a standard error of a few percent.
		if math.Abs(mean-exact) > 0.15*exact+1e-4 {
			t.Errorf("%s: mean of sampled estimates %v, exact %v", spec, mean, exact)
		}
	}
	data, _ := ParseDataset("bas:2x2")
	k, _ := NewKernel(4, Hamming, []float64{1})
	l, _ := NewSampledMMD(k, data)
	if _, _, err := l.Eval([]uint64{3}); err == nil {
		t.Error("one sample: no error")
	}
}
