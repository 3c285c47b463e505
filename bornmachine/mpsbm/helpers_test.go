package mpsbm

import (
	"math"
	"math/rand/v2"
	"testing"

	"born/dataset"
	"born/mps"
)

// randomTensors returns random site tensors (Gaussian entries, complex or
// real) with bonds min(chi, 2^q, 2^(n-q)).
func randomTensors(r *rand.Rand, n, chi int, cplx bool) []mps.Tensor {
	dims := bondDims(n, chi)
	ts := make([]mps.Tensor, n)
	for q := range ts {
		t := mps.Tensor{DL: dims[q], DR: dims[q+1]}
		t.A = make([]complex128, t.DL*2*t.DR)
		for i := range t.A {
			im := 0.0
			if cplx {
				im = r.NormFloat64()
			}
			t.A[i] = complex(r.NormFloat64(), im)
		}
		ts[q] = t
	}
	return ts
}

// randomModel returns a model on random tensors with bond cap chi.
func randomModel(t testing.TB, r *rand.Rand, n, chi int, cplx bool) *Model {
	t.Helper()
	st, err := mps.FromTensors(randomTensors(r, n, chi, cplx), mps.Options{MaxBond: chi, Cutoff: DefaultCutoff})
	if err != nil {
		t.Fatal(err)
	}
	return &Model{n: n, complex: cplx, st: st}
}

// bruteAmplitudes contracts tensors for every bitstring by multiplying the
// matrices A_q[x_q] in turn: the independent truth of the tests.
func bruteAmplitudes(ts []mps.Tensor) []complex128 {
	n := len(ts)
	out := make([]complex128, 1<<n)
	for x := range out {
		v := []complex128{1}
		for q, t := range ts {
			s := x >> q & 1
			nv := make([]complex128, t.DR)
			for l, c := range v {
				for r := 0; r < t.DR; r++ {
					nv[r] += c * t.A[(l*2+s)*t.DR+r]
				}
			}
			v = nv
		}
		out[x] = v[0]
	}
	return out
}

// bruteProbs returns |Psi(x)|^2 / Z by enumeration, and Z.
func bruteProbs(ts []mps.Tensor) ([]float64, float64) {
	a := bruteAmplitudes(ts)
	p := make([]float64, len(a))
	var z float64
	for x, v := range a {
		p[x] = real(v)*real(v) + imag(v)*imag(v)
		z += p[x]
	}
	for x := range p {
		p[x] /= z
	}
	return p, z
}

// klOf returns KL(data || p) by its definition.
func klOf(data *dataset.Dataset, p []float64) float64 {
	var kl float64
	for i, x := range data.States {
		kl += data.Probs[i] * math.Log(data.Probs[i]/p[x])
	}
	return kl
}

// randomData returns a distribution on a random subset of n-bit states.
func randomData(r *rand.Rand, n int) *dataset.Dataset {
	d := &dataset.Dataset{Spec: "random", Bits: n}
	var total float64
	for x := range uint64(1) << uint(n) {
		if r.IntN(3) == 0 {
			w := r.Float64() + 0.1
			d.States = append(d.States, x)
			d.Probs = append(d.Probs, w)
			total += w
		}
	}
	if len(d.States) == 0 {
		d.States, d.Probs, total = []uint64{0}, []float64{1}, 1
	}
	for i := range d.Probs {
		d.Probs[i] /= total
	}
	return d
}

func mustData(t testing.TB, spec string) *dataset.Dataset {
	t.Helper()
	d, err := dataset.ParseDataset(spec)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
