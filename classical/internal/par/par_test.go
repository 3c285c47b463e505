package par

import (
	"math"
	"testing"
)

func TestSoftplusAndSigmoid(t *testing.T) {
	for _, x := range []float64{-800, -40, -5, -1e-9, 0, 1e-9, 3, 40, 800} {
		// Reference values in a form that is exact where it does not
		// overflow, and asymptotic where it does.
		want := math.Log1p(math.Exp(x))
		if x > 30 {
			want = x + math.Exp(-x)
		}
		sig := 1 / (1 + math.Exp(-x))
		if got := Softplus(x); math.Abs(got-want) > 1e-15*max(1, math.Abs(want)) {
			t.Errorf("Softplus(%g) = %.17g, want %.17g", x, got, want)
		}
		if got := Sigmoid(x); math.Abs(got-sig) > 1e-16 {
			t.Errorf("Sigmoid(%g) = %.17g, want %.17g", x, got, sig)
		}
		sp, sg := SoftplusSigmoid(x)
		if math.Abs(sp-want) > 4e-16*max(1, math.Abs(want)) || math.Abs(sg-sig) > 1e-16 {
			t.Errorf("SoftplusSigmoid(%g) = %.17g, %.17g; want %.17g, %.17g", x, sp, sg, want, sig)
		}
	}
}

func TestLogSumExp(t *testing.T) {
	for _, tc := range []struct {
		name string
		xs   []float64
	}{
		{"small", []float64{0.1, -2, 3}},
		{"huge", []float64{1000, 999, 1001}},
		{"tiny", []float64{-1000, -1001}},
		{"increasing", []float64{-5, -4, -3, -2, -1, 0, 1}},
	} {
		mx := math.Inf(-1)
		for _, x := range tc.xs {
			mx = max(mx, x)
		}
		var s float64
		for _, x := range tc.xs {
			s += math.Exp(x - mx)
		}
		want := mx + math.Log(s)
		l := NewLogSumExp()
		for _, x := range tc.xs {
			l.Add(x)
		}
		// Merging two halves gives the same value.
		a, b := NewLogSumExp(), NewLogSumExp()
		for i, x := range tc.xs {
			if i%2 == 0 {
				a.Add(x)
			} else {
				b.Add(x)
			}
		}
		a.Merge(b)
		for _, got := range []float64{l.Value(), a.Value()} {
			if math.Abs(got-want) > 1e-13*max(1, math.Abs(want)) {
				t.Errorf("%s: %.17g, want %.17g", tc.name, got, want)
			}
		}
	}
	if v := NewLogSumExp().Value(); !math.IsInf(v, -1) {
		t.Errorf("empty sum: %v", v)
	}
}

func TestRunCoversEveryChunkOnce(t *testing.T) {
	for _, w := range []int{0, 1, 3, 50} {
		seen := make([]int, 1000)
		Run(len(seen), 64, w, func(c, lo, hi int) {
			if lo != c*64 || hi != min(1000, lo+64) {
				t.Errorf("chunk %d is [%d, %d)", c, lo, hi)
			}
			for i := lo; i < hi; i++ {
				seen[i]++
			}
		})
		for i, n := range seen {
			if n != 1 {
				t.Fatalf("workers %d: index %d visited %d times", w, i, n)
			}
		}
	}
}
