package rbm

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"born/bornmachine"
	"born/classical/internal/testutil"
	"born/dataset"
	"born/model"
)

// randomRBM returns an RBM with every parameter drawn from N(0, scale^2).
func randomRBM(t testing.TB, n, h int, scale float64, seed uint64) *RBM {
	t.Helper()
	m, err := New(n, h)
	if err != nil {
		t.Fatal(err)
	}
	if err := testutil.RandomParams(m, scale, seed); err != nil {
		t.Fatal(err)
	}
	return m
}

// bruteForce returns p(v) by summing exp(-E(v, h)) over every joint
// state, with the energy written out from its definition.
func bruteForce(m *RBM) []float64 {
	n, h := m.n, m.h
	t := m.net(m.theta)
	p := make([]float64, 1<<uint(n))
	var z float64
	for v := range p {
		for y := 0; y < 1<<uint(h); y++ {
			var e float64
			for i := range n {
				vi := float64(v >> uint(i) & 1)
				e -= t.a[i] * vi
				for j := range h {
					e -= vi * t.w[i*h+j] * float64(y>>uint(j)&1)
				}
			}
			for j := range h {
				e -= t.b[j] * float64(y>>uint(j)&1)
			}
			p[v] += math.Exp(-e)
		}
		z += p[v]
	}
	for v := range p {
		p[v] /= z
	}
	return p
}

func TestProbabilitiesMatchJointEnumeration(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n, h  int
		scale float64
	}{
		{"visible layer enumerated", 4, 6, 1},
		{"hidden layer enumerated", 5, 2, 1},
		{"tie", 3, 3, 1.5},
		{"one visible unit", 1, 4, 1},
		{"one hidden unit", 6, 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := randomRBM(t, tc.n, tc.h, tc.scale, 1)
			want := bruteForce(m)
			got, err := m.Probabilities()
			if err != nil {
				t.Fatal(err)
			}
			for v := range want {
				if math.Abs(got[v]-want[v]) > 1e-13 {
					t.Errorf("p(%d) = %.16g, joint enumeration %.16g", v, got[v], want[v])
				}
				lp, err := m.LogProb(uint64(v))
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(lp-math.Log(want[v])) > 1e-11 {
					t.Errorf("ln p(%d) = %.15g, want %.15g", v, lp, math.Log(want[v]))
				}
			}
		})
	}
}

func TestProbabilitiesSumToOne(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n, h  int
		scale float64
	}{
		{"bas 3x3 size", 9, 16, 1},
		{"hidden path, 12 bits", 12, 4, 1},
		{"large weights", 10, 12, 30},
		{"several chunks", 13, 14, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := randomRBM(t, tc.n, tc.h, tc.scale, 2)
			p, err := m.Probabilities()
			if err != nil {
				t.Fatal(err)
			}
			var s float64
			for _, v := range p {
				if !(v >= 0) {
					t.Fatalf("p = %v", v)
				}
				s += v
			}
			if math.Abs(s-1) > 1e-12 {
				t.Errorf("probabilities sum to 1 %+.3g", s-1)
			}
			// ln Z by the exact path of LogZ (Probabilities left its own
			// value in the cache; SetParams drops it), which enumerates
			// the smaller layer, agrees with the visible enumeration and
			// with the hidden layer's marginal written out from its
			// definition.
			if err := m.SetParams(m.Params()); err != nil {
				t.Fatal(err)
			}
			lz, err := m.LogZ()
			if err != nil {
				t.Fatal(err)
			}
			_, lzv := m.net(m.theta).visibleEnum(1)
			if !lz.Exact || math.Abs(lz.Value-lzv) > 1e-12*max(1, math.Abs(lzv)) {
				t.Errorf("ln Z = %+v, visible enumeration %.15g", lz, lzv)
			}
			if lzh := hiddenLogZ(m); math.Abs(lz.Value-lzh) > 1e-12*max(1, math.Abs(lzh)) {
				t.Errorf("ln Z = %.15g, hidden enumeration %.15g", lz.Value, lzh)
			}
		})
	}
}

// hiddenLogZ returns ln Z = ln sum_h exp(b.h + sum_i softplus(a_i +
// sum_j W_ij h_j)) by enumerating the hidden layer, with the energy and
// the softplus written out from their definitions.
func hiddenLogZ(m *RBM) float64 {
	n, h := m.n, m.h
	t := m.net(m.theta)
	softplus := func(x float64) float64 { return max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }
	terms := make([]float64, 1<<uint(h))
	mx := math.Inf(-1)
	for y := range terms {
		var v float64
		for j := range h {
			v += t.b[j] * float64(y>>uint(j)&1)
		}
		for i := range n {
			q := t.a[i]
			for j := range h {
				q += t.w[i*h+j] * float64(y>>uint(j)&1)
			}
			v += softplus(q)
		}
		terms[y] = v
		mx = max(mx, v)
	}
	var s float64
	for _, v := range terms {
		s += math.Exp(v - mx)
	}
	return mx + math.Log(s)
}

// objectiveAt returns the loss of o as a function of theta.
func objectiveAt(t *testing.T, o *Objective) func([]float64) float64 {
	return func(x []float64) float64 {
		ev, err := o.Eval(1, x, nil)
		if err != nil {
			t.Fatal(err)
		}
		return ev.Loss
	}
}

func TestGradientMatchesFiniteDifferences(t *testing.T) {
	for _, tc := range []struct {
		name string
		n, h int
		loss string
	}{
		{"nll, visible enumerated", 4, 5, dataset.LossNLL},
		{"nll, hidden enumerated", 6, 3, dataset.LossNLL},
		{"kl", 5, 5, dataset.LossKL},
		{"mmd", 4, 3, dataset.LossMMD},
		{"mmd, hidden smaller", 5, 2, dataset.LossMMD},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := randomRBM(t, tc.n, tc.h, 0.7, 4)
			data := testutil.RandomData(tc.n, 5, 5)
			o, err := m.NewObjective(data, model.ObjectiveConfig{Loss: tc.loss, Sigmas: []float64{0.5, 2}})
			if err != nil {
				t.Fatal(err)
			}
			theta := m.Params()
			grad := make([]float64, len(theta))
			if _, err := o.Eval(1, theta, grad); err != nil {
				t.Fatal(err)
			}
			want := fd.Gradient(nil, objectiveAt(t, o), theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
			if e := testutil.MaxRelErr(grad, want); e > 1e-6 {
				t.Errorf("gradient differs from finite differences by %.3g (max relative)", e)
			} else {
				t.Logf("max relative error %.2g", e)
			}
		})
	}
}

func TestNLLIsExact(t *testing.T) {
	// The objective's loss is -sum pi ln p with p from joint enumeration.
	m := randomRBM(t, 5, 4, 1, 6)
	data := testutil.RandomData(5, 7, 8)
	p := bruteForce(m)
	var want float64
	for i, x := range data.States {
		want -= data.Probs[i] * math.Log(p[x])
	}
	for _, loss := range []string{dataset.LossNLL, dataset.LossKL} {
		o, err := m.NewObjective(data, model.ObjectiveConfig{Loss: loss})
		if err != nil {
			t.Fatal(err)
		}
		ev, err := o.Eval(1, m.Params(), nil)
		if err != nil {
			t.Fatal(err)
		}
		w := want
		if loss == dataset.LossKL {
			w -= data.Entropy()
		}
		if math.Abs(ev.Loss-w) > 1e-12 {
			t.Errorf("%s = %.15g, want %.15g", loss, ev.Loss, w)
		}
		if testutil.MaxRelErr(ev.Probs, p) > 1e-13 {
			t.Errorf("%s: Evaluation.Probs differ from the joint enumeration", loss)
		}
	}
}

func TestResultsDoNotDependOnWorkers(t *testing.T) {
	m := randomRBM(t, 13, 14, 0.3, 9) // 8192 visible states: 4 chunks
	data := testutil.RandomData(13, 20, 10)
	var grads [2][]float64
	var losses [2]float64
	for i, w := range []int{1, 3} {
		o, err := m.NewObjective(data, model.ObjectiveConfig{Loss: dataset.LossNLL, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		grads[i] = make([]float64, m.NumParams())
		ev, err := o.Eval(1, m.Params(), grads[i])
		if err != nil {
			t.Fatal(err)
		}
		losses[i] = ev.Loss
	}
	if losses[0] != losses[1] {
		t.Errorf("loss %v with 1 worker, %v with 3", losses[0], losses[1])
	}
	for i := range grads[0] {
		if grads[0][i] != grads[1][i] {
			t.Fatalf("gradient %d: %v with 1 worker, %v with 3", i, grads[0][i], grads[1][i])
		}
	}
}

func TestSamplesFollowProbabilities(t *testing.T) {
	const shots = 40000
	for _, tc := range []struct {
		name  string
		n, h  int
		gibbs bool
	}{
		{"exact, visible layer", 5, 7, false},
		{"exact, hidden layer", 7, 3, false},
		{"block Gibbs", 6, 5, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := randomRBM(t, tc.n, tc.h, 0.8, 11)
			p, err := m.Probabilities()
			if err != nil {
				t.Fatal(err)
			}
			var xs []uint64
			if tc.gibbs {
				xs, err = m.SampleGibbs(shots, 5, GibbsConfig{Chains: 200, BurnIn: 200, Thin: 5})
			} else {
				xs, err = m.Sample(shots, 5)
			}
			if err != nil {
				t.Fatal(err)
			}
			stat, df, pv := testutil.ChiSquare(xs, p)
			if pv < 1e-4 {
				t.Errorf("chi-square %.1f on %d degrees of freedom: p-value %.2g", stat, df, pv)
			}
			// The same test rejects a slightly wrong distribution.
			if _, _, pw := testutil.ChiSquare(xs, testutil.Perturb(p, 0.02)); pw > 1e-4 {
				t.Errorf("the chi-square test accepts a wrong distribution (p-value %.2g)", pw)
			}
		})
	}
}

func TestSampleIsSeeded(t *testing.T) {
	for _, m := range []*RBM{randomRBM(t, 6, 4, 1, 1), randomRBM(t, 4, 8, 1, 1)} {
		a, _ := m.Sample(100, 7)
		b, _ := m.Sample(100, 7)
		c, _ := m.Sample(100, 8)
		if !equal(a, b) || equal(a, c) {
			t.Errorf("samples: same seed equal %v, other seed equal %v", equal(a, b), equal(a, c))
		}
		g1, _ := m.SampleGibbs(50, 7, GibbsConfig{Chains: 7, BurnIn: 10, Thin: 2})
		g2, _ := m.SampleGibbs(50, 7, GibbsConfig{Chains: 7, BurnIn: 10, Thin: 2})
		if !equal(g1, g2) {
			t.Error("Gibbs samples differ for the same seed")
		}
	}
}

func equal(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestAISBracketsExactLogZ checks that AIS estimates of ln Z on 12-bit
// RBMs lie within 3 standard errors of the exact value, for several seeds,
// and that the error bars are small enough to mean something.
func TestAISBracketsExactLogZ(t *testing.T) {
	trained := trainedBAS3x4(t)
	for _, tc := range []struct {
		name          string
		m             *RBM
		chains, temps int
	}{
		{"random, 8 hidden", randomRBM(t, 12, 8, 0.5, 21), 100, 1000},
		{"random, 16 hidden", randomRBM(t, 12, 16, 0.3, 22), 100, 1000},
		{"trained on bas 3x4, 10 hidden", trained, 200, 2000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exact, err := tc.m.net(tc.m.theta).exactLogZ(nil, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for seed := uint64(1); seed <= 4; seed++ {
				est, err := tc.m.EstimateLogZ(AISConfig{Chains: tc.chains, Temps: tc.temps, Seed: seed})
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("seed %d: exact %.5f, AIS %.5f +- %.5f, [%.5f, %.5f]", seed, exact, est.Value, est.StdErr, est.Lo, est.Hi)
				if est.Exact || est.Method != "ais" {
					t.Errorf("an estimate is labelled %+v", est)
				}
				if !(est.Lo <= exact && exact <= est.Hi) {
					t.Errorf("seed %d: exact ln Z %.6f outside the AIS bracket [%.6f, %.6f]", seed, exact, est.Lo, est.Hi)
				}
				if !(est.StdErr < 0.05) {
					t.Errorf("seed %d: error bar %.3g too wide to test anything", seed, est.StdErr)
				}
			}
		})
	}
}

// trainedBAS3x4 returns an RBM with 10 hidden units trained for 300 exact
// steps on bars and stripes 3x4 (12 bits): a multimodal distribution.
func trainedBAS3x4(t *testing.T) *RBM {
	t.Helper()
	data, err := dataset.ParseDataset("bas:3x4")
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(12, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Init(1, 0.01, data); err != nil {
		t.Fatal(err)
	}
	tr := &bornmachine.Trainer{Model: m, Data: data, Config: bornmachine.TrainConfig{
		ObjectiveConfig: model.ObjectiveConfig{Loss: dataset.LossNLL},
		Optimizer:       bornmachine.OptAdam, LR: 0.05, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Steps: 300, CheckpointEvery: 300,
	}}
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestLogZFallsBackToAIS(t *testing.T) {
	m := randomRBM(t, 30, 24, 0.05, 3)
	m.AIS = AISConfig{Chains: 20, Temps: 50, Seed: 1}
	lz, err := m.LogZ()
	if err != nil {
		t.Fatal(err)
	}
	if lz.Exact || lz.Method != "ais" || !(lz.StdErr > 0) {
		t.Errorf("ln Z of a 30x24 RBM: %+v, want an AIS estimate with an error bar", lz)
	}
	// Weak couplings: ln Z is close to the factorised value.
	t0 := m.net(m.theta)
	var approx float64
	for _, a := range t0.a {
		approx += math.Log1p(math.Exp(a))
	}
	for _, b := range t0.b {
		approx += math.Log1p(math.Exp(b))
	}
	if math.Abs(lz.Value-approx) > 1 {
		t.Errorf("ln Z estimate %.3f far from the weak-coupling value %.3f", lz.Value, approx)
	}
	if _, err := m.Probabilities(); err == nil {
		t.Error("Probabilities of 30 bits: no error")
	}
}

// TestPCDGradientMatchesExact checks that PCD's gradient with many
// equilibrated chains agrees with the exact gradient within its noise.
func TestPCDGradientMatchesExact(t *testing.T) {
	data := testutil.RandomData(6, 10, 3)
	m := randomRBM(t, 6, 8, 0.5, 1)
	m.PCD = PCDConfig{Chains: 4000, K: 100}
	exact, pcd := make([]float64, m.NumParams()), make([]float64, m.NumParams())
	for _, g := range []struct {
		grad string
		out  []float64
	}{{GradExact, exact}, {GradPCD, pcd}} {
		o, err := m.NewObjective(data, model.ObjectiveConfig{Loss: dataset.LossNLL, Grad: g.grad, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.Eval(1, m.Params(), g.out); err != nil {
			t.Fatal(err)
		}
	}
	// Each component is a difference of means of terms in [0, 1] (or
	// [-1, 1]): its standard error is at most 0.5/sqrt(4000) = 0.008.
	var worst float64
	for i := range exact {
		worst = max(worst, math.Abs(exact[i]-pcd[i]))
	}
	t.Logf("largest difference %.4f", worst)
	if worst > 0.035 {
		t.Errorf("PCD and exact gradients differ by up to %.4f", worst)
	}
}

func TestPCDTrainsSmallRBM(t *testing.T) {
	data, err := dataset.ParseDataset("bas:2x3")
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(6, 8)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Init(1, 1, data); err != nil {
		t.Fatal(err)
	}
	kl0 := klOf(t, m, data)
	m.PCD = PCDConfig{Chains: 200, K: 5}
	tr := &bornmachine.Trainer{Model: m, Data: data, Config: bornmachine.TrainConfig{
		ObjectiveConfig: model.ObjectiveConfig{Loss: dataset.LossNLL, Grad: GradPCD, Seed: 3},
		Optimizer:       bornmachine.OptAdam, LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Steps: 1000, CheckpointEvery: 1000,
	}}
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	kl := klOf(t, m, data)
	t.Logf("PCD-5: KL %.3f -> %.3f", kl0, kl)
	if !(kl < 0.5) || !(kl < kl0/5) {
		t.Errorf("PCD-5 training: KL %.3f -> %.3f, want below 0.5", kl0, kl)
	}
}

func klOf(t *testing.T, m *RBM, data *dataset.Dataset) float64 {
	t.Helper()
	p, err := m.Probabilities()
	if err != nil {
		t.Fatal(err)
	}
	return dataset.KLDivergence(data, p)
}

func TestPCDFallbackIsReported(t *testing.T) {
	data := testutil.RandomData(22, 10, 1)
	m, err := New(22, 21)
	if err != nil {
		t.Fatal(err)
	}
	o, err := m.NewObjective(data, model.ObjectiveConfig{Loss: dataset.LossNLL})
	if err != nil {
		t.Fatal(err)
	}
	if o.Method() != GradPCD || !strings.Contains(o.Note(), "PCD") {
		t.Errorf("method %q, note %q: want a reported fallback to PCD", o.Method(), o.Note())
	}
	if _, err := m.NewObjective(data, model.ObjectiveConfig{Loss: dataset.LossNLL, Grad: GradExact}); err == nil {
		t.Error("the exact gradient on a 22x21 RBM: no error")
	}
	grad := make([]float64, m.NumParams())
	if ev, err := o.Eval(1, m.Params(), grad); err != nil || math.IsNaN(ev.Loss) {
		t.Errorf("PCD evaluation: %v, %v", ev.Loss, err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	m := randomRBM(t, 7, 5, 1/3.0, 12)
	mf, err := bornmachine.NewModelFile(m)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(mf)
	if err != nil {
		t.Fatal(err)
	}
	_, got, err := bornmachine.DecodeModelFile(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	r, ok := got.(*RBM)
	if !ok || r.NumHidden() != 5 || r.NumBits() != 7 {
		t.Fatalf("loaded %T", got)
	}
	a, b := m.Params(), r.Params()
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("parameter %d: %v saved, %v loaded", i, a[i], b[i])
		}
	}
	if r.Weight(2, 3) != a[2*5+3] {
		t.Error("Weight(2, 3) is not W[2*H+3]")
	}
}

func TestBadInput(t *testing.T) {
	data, _ := dataset.ParseDataset("bas:2x2")
	good, _ := New(4, 3)
	nanData := testutil.RandomData(4, 3, 1)
	nanData.Probs[1] = math.NaN()
	for _, tc := range []struct {
		name string
		err  func() error
		want string
	}{
		{"zero hidden units", func() error { _, err := New(4, 0); return err }, "hidden units"},
		{"zero visible units", func() error { _, err := New(0, 4); return err }, "visible units"},
		{"65 visible units", func() error { _, err := New(65, 4); return err }, "visible units"},
		{"wrong data width", func() error {
			m, _ := New(5, 3)
			_, err := m.Objective(data, model.ObjectiveConfig{Loss: "nll"})
			return err
		}, "data have 4 bits"},
		{"NaN in data", func() error {
			_, err := good.Objective(nanData, model.ObjectiveConfig{Loss: "nll"})
			return err
		}, "NaN"},
		{"NaN parameter", func() error {
			th := good.Params()
			th[2] = math.NaN()
			return good.SetParams(th)
		}, "finite"},
		{"NaN in Eval", func() error {
			o, _ := good.Objective(data, model.ObjectiveConfig{Loss: "nll"})
			th := good.Params()
			th[0] = math.Inf(1)
			_, err := o.Eval(1, th, nil)
			return err
		}, "finite"},
		{"wrong parameter count", func() error { return good.SetParams(make([]float64, 3)) }, "parameters"},
		{"unknown loss", func() error {
			_, err := good.Objective(data, model.ObjectiveConfig{Loss: "hinge"})
			return err
		}, "unknown loss"},
		{"unknown gradient", func() error {
			_, err := good.Objective(data, model.ObjectiveConfig{Loss: "nll", Grad: "adjoint"})
			return err
		}, "unknown gradient"},
		{"shots", func() error {
			_, err := good.Objective(data, model.ObjectiveConfig{Loss: "mmd", Sigmas: []float64{1}, Shots: 100})
			return err
		}, "shots"},
		{"pcd with mmd", func() error {
			_, err := good.Objective(data, model.ObjectiveConfig{Loss: "mmd", Sigmas: []float64{1}, Grad: "pcd"})
			return err
		}, "PCD"},
		{"state too wide", func() error { _, err := good.LogProb(16); return err }, "does not fit"},
		{"negative shots", func() error { _, err := good.Sample(-1, 1); return err }, "shots"},
		{"bad Gibbs settings", func() error { _, err := good.SampleGibbs(5, 1, GibbsConfig{}); return err }, "chain"},
		{"bad AIS settings", func() error { _, err := good.EstimateLogZ(AISConfig{Chains: 1, Temps: 10}); return err }, "AIS"},
		{"bad PCD settings", func() error {
			m, _ := New(4, 3)
			m.PCD = PCDConfig{}
			_, err := m.Objective(data, model.ObjectiveConfig{Loss: "nll", Grad: "pcd"})
			return err
		}, "PCD"},
		{"malformed JSON", func() error { _, err := Load([]byte(`{"visible": 2, "hidden": 1, "weights": [[1]]}`)); return err }, "weight rows"},
		{"NaN init scale", func() error { return good.Init(1, math.NaN(), nil) }, "scale"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
