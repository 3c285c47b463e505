package flow

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"

	"born/bornmachine"
	"born/classical/internal/testutil"
	"born/dataset"
	"born/model"
)

// randomMADE returns a MADE with every parameter drawn from N(0, scale^2).
func randomMADE(t testing.TB, n, h int, scale float64, seed uint64) *MADE {
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

func TestNumParams(t *testing.T) {
	for _, tc := range []struct{ n, h, want int }{
		{9, 16, 205}, // the REFERENCES.md anchor
		{2, 1, 1*2 + 1 + 2 + 1},
		{6, 3, 6*3 + 3 + 6 + 15},
		{4, 10, 4*10 + 10 + 4 + 6},
	} {
		m, err := New(tc.n, tc.h)
		if err != nil {
			t.Fatal(err)
		}
		if m.NumParams() != tc.want {
			t.Errorf("n=%d, H=%d: %d parameters, want %d", tc.n, tc.h, m.NumParams(), tc.want)
		}
		// Every parameter is a distinct entry of the dense matrices that
		// the masks leave free (input k-e: e < m_k; hidden k to output d:
		// m_k <= d; direct e-d: e < d; biases always): setting each one
		// alone changes exactly one such entry, and no two parameters
		// change the same one.
		deg := m.Degrees()
		free := map[string]func(r, c int) bool{
			"c": func(int, int) bool { return true },
			"b": func(int, int) bool { return true },
			"U": func(k, e int) bool { return e < deg[k] },
			"W": func(d, k int) bool { return deg[k] <= d },
			"V": func(d, e int) bool { return e < d },
		}
		type entry struct {
			mat  string
			r, c int
		}
		seen := map[entry]int{}
		for i := range m.NumParams() {
			theta := make([]float64, m.NumParams())
			theta[i] = 1
			w := m.dense(theta)
			var set []entry
			for name, d := range map[string][]float64{"c": w.c, "b": w.b} {
				for k, v := range d {
					if v != 0 {
						set = append(set, entry{name, k, 0})
					}
				}
			}
			for name, d := range map[string]*mat.Dense{"U": w.U, "W": w.W, "V": w.V} {
				rows, cols := d.Dims()
				for r := range rows {
					for c := range cols {
						if d.At(r, c) != 0 {
							set = append(set, entry{name, r, c})
						}
					}
				}
			}
			if len(set) != 1 {
				t.Fatalf("n=%d, H=%d: parameter %d sets %d entries", tc.n, tc.h, i, len(set))
			}
			e := set[0]
			if !free[e.mat](e.r, e.c) {
				t.Fatalf("n=%d, H=%d: parameter %d sets %s[%d][%d], which the mask holds at 0", tc.n, tc.h, i, e.mat, e.r, e.c)
			}
			if j, ok := seen[e]; ok {
				t.Fatalf("n=%d, H=%d: parameters %d and %d both set %s[%d][%d]", tc.n, tc.h, j, i, e.mat, e.r, e.c)
			}
			seen[e] = i
		}
		if len(seen) != tc.want {
			t.Errorf("%d distinct entries set, want %d", len(seen), tc.want)
		}
	}
}

// TestAutoregressive checks the masks against brute force: the
// probabilities sum to 1 (which holds only for an autoregressive network)
// and each conditional the network computes equals the one obtained by
// marginalising the full distribution.
func TestAutoregressive(t *testing.T) {
	for _, tc := range []struct{ n, h int }{{2, 1}, {3, 4}, {5, 7}, {7, 3}} {
		m := randomMADE(t, tc.n, tc.h, 1.5, uint64(tc.n))
		p, err := m.Probabilities()
		if err != nil {
			t.Fatal(err)
		}
		var s float64
		for _, v := range p {
			s += v
		}
		if math.Abs(s-1) > 1e-12 {
			t.Errorf("n=%d, H=%d: probabilities sum to 1 %+.3g", tc.n, tc.h, s-1)
		}
		for x := range p {
			cond, err := m.Conditionals(uint64(x))
			if err != nil {
				t.Fatal(err)
			}
			lp, err := m.LogProb(uint64(x))
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(lp-math.Log(p[x])) > 1e-12 {
				t.Errorf("LogProb(%d) = %v, ln Probabilities = %v", x, lp, math.Log(p[x]))
			}
			for d := range tc.n {
				// P(x_<d, x_d = 1) / P(x_<d) from the full distribution.
				prefix := uint64(x) & (1<<uint(d) - 1)
				var num, den float64
				for y, py := range p {
					if uint64(y)&(1<<uint(d)-1) != prefix {
						continue
					}
					den += py
					if y>>uint(d)&1 == 1 {
						num += py
					}
				}
				if math.Abs(num/den-cond[d]) > 1e-12 {
					t.Fatalf("n=%d, H=%d, x=%d: p(x_%d=1 | x_<%d) = %v, marginalised %v", tc.n, tc.h, x, d, d, cond[d], num/den)
				}
			}
		}
	}
}

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
		{"nll", 5, 6, dataset.LossNLL},
		{"nll, 2 bits", 2, 3, dataset.LossNLL},
		{"kl", 6, 4, dataset.LossKL},
		{"mmd", 4, 5, dataset.LossMMD},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := randomMADE(t, tc.n, tc.h, 0.8, 4)
			data := testutil.RandomData(tc.n, min(3, 1<<uint(tc.n)), 5)
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

func TestNLLMatchesProbabilities(t *testing.T) {
	m := randomMADE(t, 6, 5, 1, 2)
	data := testutil.RandomData(6, 9, 3)
	p, _ := m.Probabilities()
	o, err := m.NewObjective(data, model.ObjectiveConfig{Loss: dataset.LossNLL})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := o.Eval(1, m.Params(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := dataset.NLL(data, p); math.Abs(ev.Loss-want) > 1e-12 {
		t.Errorf("NLL %.15g, from the probabilities %.15g", ev.Loss, want)
	}
}

func TestResultsDoNotDependOnWorkers(t *testing.T) {
	m := randomMADE(t, 12, 8, 0.5, 9) // mmd over 4096 states: 4 chunks
	data := testutil.RandomData(12, 20, 10)
	var grads [2][]float64
	for i, w := range []int{1, 3} {
		o, err := m.NewObjective(data, model.ObjectiveConfig{Loss: dataset.LossMMD, Sigmas: []float64{1}, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		grads[i] = make([]float64, m.NumParams())
		if _, err := o.Eval(1, m.Params(), grads[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i := range grads[0] {
		if grads[0][i] != grads[1][i] {
			t.Fatalf("gradient %d: %v with 1 worker, %v with 3", i, grads[0][i], grads[1][i])
		}
	}
}

func TestSamplesFollowProbabilities(t *testing.T) {
	m := randomMADE(t, 6, 5, 1, 11)
	p, _ := m.Probabilities()
	xs, err := m.Sample(40000, 5)
	if err != nil {
		t.Fatal(err)
	}
	if stat, df, pv := testutil.ChiSquare(xs, p); pv < 1e-4 {
		t.Errorf("chi-square %.1f on %d degrees of freedom: p-value %.2g", stat, df, pv)
	}
	if _, _, pw := testutil.ChiSquare(xs, testutil.Perturb(p, 0.02)); pw > 1e-4 {
		t.Errorf("the chi-square test accepts a wrong distribution (p-value %.2g)", pw)
	}
	a, _ := m.Sample(100, 7)
	b, _ := m.Sample(100, 7)
	c, _ := m.Sample(100, 8)
	same := func(x, y []uint64) bool {
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	if !same(a, b) || same(a, c) {
		t.Error("samples are not determined by the seed")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	m := randomMADE(t, 7, 5, 1/3.0, 12)
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
	r, ok := got.(*MADE)
	if !ok || r.NumHidden() != 5 || r.NumBits() != 7 {
		t.Fatalf("loaded %T", got)
	}
	a, b := m.Params(), r.Params()
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Fatalf("parameter %d: %v saved, %v loaded", i, a[i], b[i])
		}
	}
}

func TestBadInput(t *testing.T) {
	data, _ := dataset.ParseDataset("bas:2x2")
	good, _ := New(4, 3)
	nanData := testutil.RandomData(4, 3, 1)
	nanData.Probs[0] = math.NaN()
	raw, _ := good.MarshalJSON()
	var j map[string]any
	_ = json.Unmarshal(raw, &j)
	j["direct"].([]any)[0].([]any)[2] = 1.0 // above the diagonal: masked
	badMask, _ := json.Marshal(j)
	for _, tc := range []struct {
		name string
		err  func() error
		want string
	}{
		{"zero hidden units", func() error { _, err := New(4, 0); return err }, "hidden units"},
		{"one bit", func() error { _, err := New(1, 4); return err }, "2 to"},
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
			th[1] = math.NaN()
			return good.SetParams(th)
		}, "finite"},
		{"NaN in Eval", func() error {
			o, _ := good.Objective(data, model.ObjectiveConfig{Loss: "nll"})
			th := good.Params()
			th[0] = math.NaN()
			_, err := o.Eval(1, th, nil)
			return err
		}, "finite"},
		{"unknown loss", func() error {
			_, err := good.Objective(data, model.ObjectiveConfig{Loss: "hinge"})
			return err
		}, "unknown loss"},
		{"unknown gradient", func() error {
			_, err := good.Objective(data, model.ObjectiveConfig{Loss: "nll", Grad: "pcd"})
			return err
		}, "unknown gradient"},
		{"shots", func() error {
			_, err := good.Objective(data, model.ObjectiveConfig{Loss: "nll", Shots: 10})
			return err
		}, "shots"},
		{"state too wide", func() error { _, err := good.LogProb(16); return err }, "does not fit"},
		{"negative shots", func() error { _, err := good.Sample(-1, 1); return err }, "shots"},
		{"masked entry in file", func() error { _, err := Load(badMask); return err }, "mask"},
		{"truncated file", func() error { _, err := Load([]byte(`{"bits": 3`)); return err }, "flow"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
