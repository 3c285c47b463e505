package model

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"born/dataset"
)

// product is a model whose bits are independent with P(bit q = 1) = P[q]:
// ln p(x) has a closed form, so Evaluate can be checked analytically.
type product struct{ P []float64 }

func (m *product) Kind() string                { return "product-test" }
func (m *product) NumBits() int                { return len(m.P) }
func (m *product) NumParams() int              { return len(m.P) }
func (m *product) Params() []float64           { return append([]float64(nil), m.P...) }
func (m *product) SetParams(t []float64) error { copy(m.P, t); return nil }
func (m *product) LogProb(x uint64) (float64, error) {
	var lp float64
	for q, p := range m.P {
		if x>>uint(q)&1 == 1 {
			lp += math.Log(p)
		} else {
			lp += math.Log(1 - p)
		}
	}
	return lp, nil
}
func (m *product) Probabilities() ([]float64, error) {
	if len(m.P) > dataset.MaxExactBits {
		return nil, fmt.Errorf("too wide")
	}
	out := make([]float64, 1<<uint(len(m.P)))
	for x := range out {
		lp, _ := m.LogProb(uint64(x))
		out[x] = math.Exp(lp)
	}
	return out, nil
}
func (m *product) Sample(int, uint64) ([]uint64, error) { return nil, fmt.Errorf("no sampling") }
func (m *product) Objective(*dataset.Dataset, ObjectiveConfig) (Objective, error) {
	return nil, fmt.Errorf("no objective")
}
func (m *product) MarshalJSON() ([]byte, error) { return json.Marshal(m.P) }

// TestEvaluate checks the metrics against their closed forms, through the
// exact path (n <= 24, from the full distribution) and the log-probability
// path (n > 24).
func TestEvaluate(t *testing.T) {
	for _, n := range []int{3, 30} {
		m := &product{P: make([]float64, n)}
		for q := range m.P {
			m.P[q] = 0.2 + 0.6*float64(q)/float64(n)
		}
		// Two states with probabilities 1/4 and 3/4.
		x0, x1 := uint64(0), uint64(1)<<uint(n)-1
		data := &dataset.Dataset{Spec: "two", Bits: n, States: []uint64{x0, x1}, Probs: []float64{0.25, 0.75}}
		var l0, l1 float64
		for _, p := range m.P {
			l0 += math.Log(1 - p)
			l1 += math.Log(p)
		}
		wantNLL := -(0.25*l0 + 0.75*l1)
		wantKL := wantNLL - data.Entropy()
		wantMass := math.Exp(l0) + math.Exp(l1)
		got, err := Evaluate(m, data, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n > dataset.MaxExactBits {
			// Above 24 bits only the NLL is measured.
			wantKL, wantMass = math.NaN(), math.NaN()
			if got.Skipped == "" {
				t.Errorf("n=%d: no note on the skipped metrics", n)
			}
		}
		same := func(a, b, tol float64) bool { return math.Abs(a-b) <= tol || (math.IsNaN(a) && math.IsNaN(b)) }
		if !same(got.NLL, wantNLL, 1e-12) || !same(got.KL, wantKL, 1e-12) || !same(got.ValidMass, wantMass, 1e-15) {
			t.Errorf("n=%d: %+v, want NLL %v KL %v mass %v", n, got, wantNLL, wantKL, wantMass)
		}
		// The JSON leaves out what was not measured and reads back.
		raw, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		var back Metrics
		if err := json.Unmarshal(raw, &back); err != nil || !same(back.KL, got.KL, 0) || back.NLL != got.NLL || back.Skipped != got.Skipped {
			t.Errorf("n=%d: JSON %s read back as %+v (%v)", n, raw, back, err)
		}
	}
	if _, err := Evaluate(&product{P: []float64{0.5, 0.5}}, &dataset.Dataset{Bits: 3}, nil); err == nil || !strings.Contains(err.Error(), "3") {
		t.Errorf("bit mismatch: error %v", err)
	}
}

func TestRegistry(t *testing.T) {
	Register("product-test", func(raw []byte) (Model, error) {
		m := &product{}
		return m, json.Unmarshal(raw, &m.P)
	})
	m, err := Load("product-test", []byte("[0.25,0.5]"))
	if err != nil || m.NumBits() != 2 || m.Params()[0] != 0.25 {
		t.Fatalf("Load: %v, %v", m, err)
	}
	found := false
	for _, k := range Kinds() {
		found = found || k == "product-test"
	}
	if !found {
		t.Errorf("Kinds() = %v lacks product-test", Kinds())
	}
	if _, err := Load("nosuch", nil); err == nil || !strings.Contains(err.Error(), `unknown model kind "nosuch"`) {
		t.Errorf("unknown kind: error %v", err)
	}
}
