package mpsbm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/stat/distuv"

	"born/bornmachine"
	"born/dataset"
	"born/model"
	"born/mps"
)

// TestObjectiveGradient checks the exact NLL and KL and their gradients by
// all tensor entries, on random tensors that are neither normalised nor
// canonical, real and complex: the loss against enumeration, the gradient
// against central finite differences (gonum diff/fd).
func TestObjectiveGradient(t *testing.T) {
	for _, tc := range []struct {
		n, chi int
		cplx   bool
		loss   string
	}{
		{2, 2, false, dataset.LossNLL},
		{3, 2, true, dataset.LossNLL},
		{4, 3, false, dataset.LossKL},
		{5, 4, true, dataset.LossKL},
		{6, 3, true, dataset.LossNLL},
	} {
		t.Run(fmt.Sprintf("n=%d,chi=%d,complex=%v,%s", tc.n, tc.chi, tc.cplx, tc.loss), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(tc.n), 1))
			m := randomModel(t, r, tc.n, tc.chi, tc.cplx)
			data := randomData(r, tc.n)
			obj, err := m.Objective(data, model.ObjectiveConfig{Loss: tc.loss})
			if err != nil {
				t.Fatal(err)
			}
			ts := randomTensors(r, tc.n, tc.chi, tc.cplx)
			for q := range ts { // scale away from norm 1
				for i := range ts[q].A {
					ts[q].A[i] *= 1.7
				}
			}
			theta := flatten(ts, tc.cplx)
			if len(theta) != m.NumParams() {
				t.Fatalf("%d parameters, NumParams %d", len(theta), m.NumParams())
			}
			grad := make([]float64, len(theta))
			ev, err := obj.Eval(1, theta, grad)
			if err != nil {
				t.Fatal(err)
			}
			p, _ := bruteProbs(ts)
			want := klOf(data, p)
			if tc.loss == dataset.LossNLL {
				want += data.Entropy()
			}
			if math.Abs(ev.Loss-want) > 1e-10 {
				t.Fatalf("loss %.15g, enumeration %.15g", ev.Loss, want)
			}
			for x := range p {
				if math.Abs(ev.Probs[x]-p[x]) > 1e-12 {
					t.Fatalf("p(%d) %g, enumeration %g", x, ev.Probs[x], p[x])
				}
			}
			f := func(x []float64) float64 {
				e, err := obj.Eval(1, x, nil)
				if err != nil {
					t.Fatal(err)
				}
				return e.Loss
			}
			num := fd.Gradient(nil, f, theta, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			for i := range num {
				if d := math.Abs(num[i] - grad[i]); d > 1e-6*max(1, math.Abs(num[i])) {
					t.Fatalf("dL/dtheta_%d: exact %.10g, finite differences %.10g", i, grad[i], num[i])
				}
			}
		})
	}
}

// TestPairGradient checks the gradient the sweeps use, by the entries of a
// merged pair with the other tensors fixed in canonical form, against
// finite differences of the model's exact NLL.
func TestPairGradient(t *testing.T) {
	for _, cplx := range []bool{false, true} {
		r := rand.New(rand.NewPCG(7, 7))
		const n = 6
		m := randomModel(t, r, n, 4, cplx)
		data := randomData(r, n)
		for i := 0; i+1 < n; i++ {
			st := m.st.Clone()
			st.MoveCenter(0)
			th, dl, dr := st.Pair(i)
			ts := st.Tensors()
			l, rr := ones(len(data.States)), ones(len(data.States))
			for b := 0; b < i; b++ {
				l = l.left(ts[b], data, b)
			}
			for b := n - 1; b >= i+2; b-- {
				rr = rr.right(ts[b], data, b)
			}
			p := &pair{dl: dl, dr: dr, l: l, r: rr, w: data.Probs, psi: make([]complex128, len(data.States)),
				s1: make([]int, len(data.States)), s2: make([]int, len(data.States))}
			for k, x := range data.States {
				p.s1[k], p.s2[k] = int(x>>uint(i)&1), int(x>>uint(i+1)&1)
			}
			// The pair's NLL is the model's (the environments are orthonormal).
			scaled := slices.Clone(th)
			for k := range scaled {
				scaled[k] *= 0.8
			}
			nll := func(th []complex128) float64 {
				full := slices.Clone(ts)
				// Replace sites i, i+1 by th as one merged site: contract by enumeration.
				var loss, z float64
				amp := func(x uint64) complex128 {
					v := []complex128{1}
					for q := 0; q < n; q++ {
						s := int(x >> uint(q) & 1)
						switch {
						case q == i:
							s2 := int(x >> uint(i+1) & 1)
							nv := make([]complex128, dr)
							for a, cv := range v {
								for cc := 0; cc < dr; cc++ {
									nv[cc] += cv * th[(a*2+s)*2*dr+s2*dr+cc]
								}
							}
							v = nv
						case q == i+1:
						default:
							v = leftStep(v, full[q], s)
						}
					}
					return v[0]
				}
				for x := uint64(0); x < 1<<n; x++ {
					a := amp(x)
					z += real(a)*real(a) + imag(a)*imag(a)
				}
				for k, x := range data.States {
					a := amp(x)
					loss -= data.Probs[k] * math.Log((real(a)*real(a)+imag(a)*imag(a))/z)
				}
				return loss
			}
			if got, want := p.nll(scaled), nll(scaled); math.Abs(got-want) > 1e-10 {
				t.Fatalf("pair %d: NLL %.15g, enumeration %.15g", i, got, want)
			}
			g := make([]complex128, len(scaled))
			p.grad(g, scaled)
			x := flatten([]mps.Tensor{{A: scaled}}, true)
			f := func(x []float64) float64 {
				th := make([]complex128, len(x)/2)
				for k := range th {
					th[k] = complex(x[2*k], x[2*k+1])
				}
				return nll(th)
			}
			num := fd.Gradient(nil, f, x, &fd.Settings{Formula: fd.Central, Step: 1e-6})
			for k := range g {
				if math.Abs(real(g[k])-num[2*k]) > 1e-6*max(1, math.Abs(num[2*k])) ||
					math.Abs(imag(g[k])-num[2*k+1]) > 1e-6*max(1, math.Abs(num[2*k+1])) {
					t.Fatalf("complex=%v pair %d entry %d: exact %v, finite differences (%g, %g)", cplx, i, k, g[k], num[2*k], num[2*k+1])
				}
			}
		}
	}
}

// TestNormalisedThroughSweeps: Z = sum_x |Psi(x)|^2, by enumeration of all
// 2^n bitstrings, stays 1 to 1e-12 after every sweep, the model's
// probabilities are the enumerated ones, and the loss of every sweep is
// the exact NLL; real models stay real.
func TestNormalisedThroughSweeps(t *testing.T) {
	for _, tc := range []struct {
		data string
		chi  int
		cplx bool
	}{{"bas:3x3", 8, false}, {"bas:2x4", 5, true}, {"gauss:8", 4, false}} {
		t.Run(fmt.Sprintf("%s,chi=%d,complex=%v", tc.data, tc.chi, tc.cplx), func(t *testing.T) {
			data := mustData(t, tc.data)
			m, err := New(data.Bits, tc.chi, 0, 3)
			if err != nil {
				t.Fatal(err)
			}
			if tc.cplx {
				m = randomModel(t, rand.New(rand.NewPCG(3, 4)), data.Bits, 2, true)
				m.st, _ = mps.FromCanonical(m.st.Tensors(), m.st.Center(), mps.Options{MaxBond: tc.chi, Cutoff: DefaultCutoff})
			}
			cfg := bornmachine.TrainConfig{ObjectiveConfig: model.ObjectiveConfig{Loss: dataset.LossNLL}, LR: 0.1}
			for step := 1; step <= 6; step++ {
				ev, err := m.Sweep(step, data, cfg)
				if err != nil {
					t.Fatal(err)
				}
				ts := m.st.Tensors()
				p, z := bruteProbs(ts)
				if math.Abs(z-1) > 1e-12 {
					t.Fatalf("sweep %d: Z = 1 %+.3g", step, z-1)
				}
				nll := klOf(data, p) + data.Entropy()
				if math.Abs(ev.Loss-nll) > 1e-10 {
					t.Fatalf("sweep %d: loss %.15g, enumerated NLL %.15g", step, ev.Loss, nll)
				}
				for x := range p {
					if math.Abs(ev.Probs[x]-p[x]) > 1e-12 {
						t.Fatalf("sweep %d: p(%d) %g, enumeration %g", step, x, ev.Probs[x], p[x])
					}
				}
				if slices.Max(m.BondDims()) > tc.chi {
					t.Fatalf("bonds %v above the cap %d", m.BondDims(), tc.chi)
				}
				for _, t0 := range ts {
					for _, v := range t0.A {
						if !tc.cplx && imag(v) != 0 {
							t.Fatalf("a real model got imaginary entries")
						}
					}
				}
			}
		})
	}
}

// TestSampleChiSquare draws 10^5 exact samples from a 10-bit MPS (complex
// tensors, bond 6) and tests them against the enumerated probabilities;
// the same seed gives the same samples with 1 or 2 threads.
func TestSampleChiSquare(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 10))
	m := randomModel(t, r, 10, 6, true)
	p, _ := bruteProbs(m.st.Tensors())
	shots := 100000
	xs, err := m.Sample(shots, 42)
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]float64, len(p))
	for _, x := range xs {
		counts[x]++
	}
	pval, stat, df := chiSquareP(counts, p, shots)
	t.Logf("chi-square %.1f with %d degrees of freedom, p = %.3f", stat, df, pval)
	if pval < 1e-4 {
		t.Fatalf("chi-square %.1f with %d dof: p = %.2g", stat, df, pval)
	}
	// The test has power: the samples reject a slightly different model.
	ts := m.st.Tensors()
	ts[4].A[0] *= 1.3
	q, _ := bruteProbs(ts)
	if pq, _, _ := chiSquareP(counts, q, shots); pq > 1e-4 {
		t.Fatalf("the samples did not reject a perturbed distribution (p = %.3g)", pq)
	}
	prev := runtime.GOMAXPROCS(1)
	again, _ := m.Sample(shots, 42)
	runtime.GOMAXPROCS(prev)
	if !slices.Equal(xs, again) {
		t.Fatal("the same seed gave different samples with 1 thread")
	}
	other, _ := m.Sample(100, 43)
	if slices.Equal(xs[:100], other) {
		t.Fatal("different seeds gave the same samples")
	}
}

// chiSquareP returns the p-value, statistic and degrees of freedom of the
// chi-square test of counts (of shots samples) against p, pooling the bins
// expected below 5.
func chiSquareP(counts, p []float64, shots int) (float64, float64, int) {
	var stat, pooledObs, pooledExp float64
	df := -1
	for x, px := range p {
		e := px * float64(shots)
		if e < 5 {
			pooledObs += counts[x]
			pooledExp += e
			continue
		}
		stat += (counts[x] - e) * (counts[x] - e) / e
		df++
	}
	if pooledExp > 0 {
		stat += (pooledObs - pooledExp) * (pooledObs - pooledExp) / pooledExp
		df++
	}
	return 1 - distuv.ChiSquared{K: float64(df)}.CDF(stat), stat, df
}

func TestJSONRoundTrip(t *testing.T) {
	for _, cplx := range []bool{false, true} {
		r := rand.New(rand.NewPCG(5, 5))
		m := randomModel(t, r, 7, 5, cplx)
		m.PairSteps = 3
		m.st.MoveCenter(4)
		mf, err := bornmachine.NewModelFile(m)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(mf)
		_, back, err := bornmachine.DecodeModelFile(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		b := back.(*Model)
		if !slices.Equal(b.Params(), m.Params()) || b.st.Center() != 4 || b.PairSteps != 3 || b.Complex() != cplx ||
			b.BondDim() != 5 || b.Cutoff() != DefaultCutoff || b.NumParams() != m.NumParams() {
			t.Fatalf("complex=%v: the model did not read back bit for bit", cplx)
		}
		// Hand-written, non-canonical tensors are accepted.
		var j modelJSON
		_ = json.Unmarshal(mf.Model, &j)
		for i := range j.Tensors[2].Re {
			j.Tensors[2].Re[i] *= 3
		}
		raw2, _ := json.Marshal(j)
		mm, err := Load(raw2)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := mm.Probabilities()
		want, _ := bruteProbs(mm.st.Tensors())
		for x := range p {
			if math.Abs(p[x]-want[x]) > 1e-12 {
				t.Fatalf("p(%d) %g, enumeration %g", x, p[x], want[x])
			}
		}
	}
}

func TestLoadErrors(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	m := randomModel(t, r, 3, 2, false)
	good, _ := m.MarshalJSON()
	edit := func(f func(j *modelJSON)) string {
		var j modelJSON
		_ = json.Unmarshal(good, &j)
		f(&j)
		b, _ := json.Marshal(j)
		return string(b)
	}
	for _, tc := range []struct {
		name, raw, want string
	}{
		{"not json", "{", "unexpected"},
		{"one bit", edit(func(j *modelJSON) { j.Bits = 1; j.Tensors = j.Tensors[:1] }), "2 to"},
		{"tensor count", edit(func(j *modelJSON) { j.Tensors = j.Tensors[:2] }), "2 tensors for 3 bits"},
		{"negative bond cap", edit(func(j *modelJSON) { j.BondDim = -1 }), "bond_dim"},
		{"bond above cap", edit(func(j *modelJSON) { j.BondDim = 1 }), "exceed"},
		{"short tensor", edit(func(j *modelJSON) { j.Tensors[1].Re = j.Tensors[1].Re[:3] }), "real parts"},
		{"imaginary parts of a real model", edit(func(j *modelJSON) { j.Tensors[0].Im = make([]float64, 4) }), "no imaginary"},
		{"bonds disagree", edit(func(j *modelJSON) { j.Tensors[1].DL = 1; j.Tensors[1].Re = j.Tensors[1].Re[:4] }), "disagree"},
		{"zero state", edit(func(j *modelJSON) { clear(j.Tensors[1].Re) }), "norm 0"},
		{"zero bond", edit(func(j *modelJSON) { j.Tensors[0].DR = 0 }), "out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load([]byte(tc.raw))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	data := mustData(t, "bas:2x2")
	m, err := New(4, 4, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"one bit", func() error { _, err := New(1, 4, 0, 1); return err }(), "2 to"},
		{"negative bond", func() error { _, err := New(4, -1, 0, 1); return err }(), "bond dimension"},
		{"negative cutoff", func() error { _, err := New(4, 4, -1, 1); return err }(), "cutoff"},
		{"NaN cutoff", func() error { _, err := New(4, 4, math.NaN(), 1); return err }(), "cutoff"},
		{"spec kind", func() error { _, err := ParseSpec("rbm:4"); return err }(), "mps:CHI"},
		{"spec number", func() error { _, err := ParseSpec("mps:x"); return err }(), "bond dimension"},
		{"spec zero", func() error { _, err := ParseSpec("mps:0"); return err }(), "at least 1"},
		{"spec missing", func() error { _, err := ParseSpec("mps"); return err }(), "bond dimension"},
		{"state too wide", func() error { _, err := m.LogProb(16); return err }(), "does not fit"},
		{"negative shots", func() error { _, err := m.Sample(-1, 1); return err }(), "shots"},
		{"params length", m.SetParams([]float64{1}), "parameters given"},
		{"params NaN", m.SetParams(append(make([]float64, m.NumParams()-1), math.NaN())), "finite"},
		{"params zero", m.SetParams(make([]float64, m.NumParams())), "norm 0"},
		{"mmd loss", func() error { _, err := m.Objective(data, model.ObjectiveConfig{Loss: "mmd"}); return err }(), "nll or kl"},
		{"shots", func() error {
			_, err := m.Objective(data, model.ObjectiveConfig{Loss: "nll", Shots: 10})
			return err
		}(), "shots"},
		{"data width", func() error {
			_, err := m.Sweep(1, mustData(t, "bas:3x3"), bornmachine.TrainConfig{ObjectiveConfig: model.ObjectiveConfig{Loss: "nll"}, LR: 0.1})
			return err
		}(), "must match"},
		{"sweep step", func() error {
			_, err := m.Sweep(1, data, bornmachine.TrainConfig{ObjectiveConfig: model.ObjectiveConfig{Loss: "nll"}, LR: -1})
			return err
		}(), "step size"},
		{"train spec", func() error { _, err := Train(t.Context(), "mps:-2", data, nil, DefaultSettings()); return err }(), "at least 1"},
		{"train nil data", func() error { _, err := Train(t.Context(), "mps:2", nil, nil, DefaultSettings()); return err }(), "no data"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, tc.err, tc.want)
		}
	}
	// Nothing above changed the model.
	if err := m.SetParams(m.Params()); err != nil {
		t.Fatal(err)
	}
}
