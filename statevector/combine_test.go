package statevector_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"born/statevector"
)

// TestCombine checks Combine against the sum of the amplitudes computed
// term by term, in both precisions, for states smaller and larger than one
// storage block, with the destination also one of the inputs.
func TestCombine(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 3, 4, 7} {
		for _, k := range []int{1, 2, 4} {
			amps := make([][]complex128, k)
			c := make([]complex128, k)
			want := make([]complex128, 1<<uint(n))
			for i := range amps {
				amps[i] = randVec(rng, n)
				c[i] = complex(rng.NormFloat64(), rng.NormFloat64())
				for x, a := range amps[i] {
					want[x] += c[i] * a
				}
			}
			vs := make([]*statevector.State, k)
			vs32 := make([]*statevector.State32, k)
			for i := range amps {
				vs[i], _ = statevector.FromAmplitudes(amps[i])
				vs32[i], _ = statevector.FromAmplitudes32(amps[i])
			}
			dst, _ := statevector.New(n)
			dst.Combine(c, vs)
			if d := maxDiff(dst.Amplitudes(), want); d > 1e-14 {
				t.Errorf("n=%d k=%d: max diff %g", n, k, d)
			}
			dst32, _ := statevector.New32(n)
			dst32.Combine(c, vs32)
			if d := maxDiff(dst32.Amplitudes(), want); d > 1e-5 {
				t.Errorf("single, n=%d k=%d: max diff %g", n, k, d)
			}
			vs[0].Combine(c, vs) // in place
			if d := maxDiff(vs[0].Amplitudes(), want); d > 1e-14 {
				t.Errorf("in place, n=%d k=%d: max diff %g", n, k, d)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Combine of states of different sizes did not panic")
		}
	}()
	a, _ := statevector.New(2)
	b, _ := statevector.New(3)
	a.Combine([]complex128{1}, []*statevector.State{b})
}

// TestExpectDiagCombined checks the expectation of a diagonal observable
// in a combination of states against ExpectDiag of the combination Combine
// forms (to rounding: the sums run in another order), in both precisions
// and for states smaller and larger than one storage block.
func TestExpectDiagCombined(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 3, 4, 7} {
		for _, k := range []int{1, 2, 3} {
			w := make([]float64, 1<<uint(n))
			for i := range w {
				w[i] = rng.NormFloat64()
			}
			vs := make([]*statevector.State, k)
			vs32 := make([]*statevector.State32, k)
			c := make([]complex128, k)
			for i := range vs {
				a := randVec(rng, n)
				vs[i], _ = statevector.FromAmplitudes(a)
				vs32[i], _ = statevector.FromAmplitudes32(a)
				c[i] = complex(rng.NormFloat64(), rng.NormFloat64())
			}
			comb, _ := statevector.New(n)
			comb.Combine(c, vs)
			want := comb.ExpectDiag(w)
			if got := statevector.ExpectDiagCombined(w, c, vs); math.Abs(got-want) > 1e-13 {
				t.Errorf("n=%d k=%d: %v, ExpectDiag of the combination %v", n, k, got, want)
			}
			if got := statevector.ExpectDiagCombined(w, c, vs32); math.Abs(got-want) > 1e-4 {
				t.Errorf("single, n=%d k=%d: %v, want %v", n, k, got, want)
			}
		}
	}
	st, _ := statevector.New(6)
	vs := []*statevector.State{st, st}
	w := make([]float64, 64)
	c := []complex128{1, 2i}
	if a := testing.AllocsPerRun(10, func() { statevector.ExpectDiagCombined(w, c, vs) }); a != 0 {
		t.Errorf("ExpectDiagCombined: %v allocations", a)
	}
}
