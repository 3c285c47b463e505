package statevector_test

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"born/circuit"
	"born/statevector"
)

var (
	qe  = circuit.QELib1Gates
	std = circuit.StdGates
)

// randVec returns 2^n complex Gaussian amplitudes, normalised.
func randVec(rng *rand.Rand, n int) []complex128 {
	v := make([]complex128, 1<<uint(n))
	var norm float64
	for i := range v {
		v[i] = complex(rng.NormFloat64(), rng.NormFloat64())
		norm += real(v[i])*real(v[i]) + imag(v[i])*imag(v[i])
	}
	s := complex(1/math.Sqrt(norm), 0)
	for i := range v {
		v[i] *= s
	}
	return v
}

// randMatrix returns a 2^k x 2^k matrix of complex Gaussian entries (not
// unitary: the kernels are linear maps and must agree on any matrix).
func randMatrix(rng *rand.Rand, k int) circuit.Matrix {
	d := 1 << uint(k)
	m := make(circuit.Matrix, d*d)
	for i := range m {
		m[i] = complex(rng.NormFloat64(), rng.NormFloat64())
	}
	return m
}

func randDiag(rng *rand.Rand, k int) circuit.Matrix {
	d := 1 << uint(k)
	e := make([]complex128, d)
	for i := range e {
		e[i] = circuit.Expi(rng.Float64() * 2 * math.Pi)
	}
	return circuit.Diag(e...)
}

func maxDiff(a, b []complex128) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var m float64
	for i := range a {
		m = max(m, cmplx.Abs(a[i]-b[i]))
	}
	return m
}

func mustState(t testing.TB, amps []complex128) *statevector.State {
	t.Helper()
	s, err := statevector.FromAmplitudes(amps)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// evolve runs the pure circuit c from |0...0> by applying its lowered
// instructions one by one.
func evolve(t testing.TB, c *circuit.Circuit) *statevector.State {
	t.Helper()
	l, err := c.Lower()
	if err != nil {
		t.Fatal(err)
	}
	st, err := statevector.New(c.NumQubits)
	if err != nil {
		t.Fatal(err)
	}
	for i := range l.Instrs {
		in := &l.Instrs[i]
		if in.Kind != circuit.IUnitary || len(in.Cond) > 0 {
			t.Fatalf("evolve: instruction %d is not an unconditioned gate", i)
		}
		st.Apply(in.Matrix(nil), in.Targets, in.Controls, in.CtrlState)
	}
	return st
}

// chiSquare returns Pearson's statistic of observed counts against
// expected probabilities over shots, merging bins expected below 5 shots
// into one, and its degrees of freedom.
func chiSquare(obs map[uint64]int, probs map[uint64]float64, shots int) (chi2 float64, df int) {
	var restObs, restExp float64
	bins := 0
	for k, p := range probs {
		e := p * float64(shots)
		o := float64(obs[k])
		if e < 5 {
			restObs += o
			restExp += e
			continue
		}
		chi2 += (o - e) * (o - e) / e
		bins++
	}
	for k, o := range obs {
		if _, ok := probs[k]; !ok {
			restObs += float64(o)
		}
	}
	if restExp > 0 {
		chi2 += (restObs - restExp) * (restObs - restExp) / restExp
		bins++
	} else if restObs > 0 {
		return math.Inf(1), bins
	}
	return chi2, bins - 1
}

// chiSquareOK accepts chi2 below df + 5 sqrt(2 df) (about 5 sigma of the
// chi-square distribution's normal approximation).
func chiSquareOK(chi2 float64, df int) bool {
	return chi2 <= float64(df)+5*math.Sqrt(2*float64(df))+5
}

// forEachKernelSet runs f once per kernel set this build and CPU can run
// (avx512, avx2, portable, as available), with that set selected.
func forEachKernelSet(t *testing.T, f func(t *testing.T)) {
	for _, name := range statevector.AvailableKernels() {
		t.Run(name, func(t *testing.T) {
			restore, err := statevector.SetKernels(name)
			if err != nil {
				t.Fatal(err)
			}
			defer restore()
			f(t)
		})
	}
}
