package models

import (
	"encoding/json"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"born/bornmachine"
)

// This test binary imports only this package (and bornmachine, which
// registers qcbm alone): every kind must read back all the same.
func TestReadsEveryKind(t *testing.T) {
	if got, want := Kinds(), slices.Sorted(maps.Keys(bornmachine.KindPackages)); !slices.Equal(got, want) {
		t.Fatalf("linked kinds %v, bornmachine.KindPackages %v", got, want)
	}
	// bas:2x2, pixel (i,j) bit 2i+j: blank, full, two bars, two stripes.
	valid := []uint64{0, 3, 5, 10, 12, 15}
	for _, kind := range Kinds() {
		t.Run(kind, func(t *testing.T) {
			path := filepath.Join("testdata", kind+".json")
			mf, m, err := ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, m2, err := Decode(f); err != nil || m2.Kind() != kind {
				t.Fatalf("Decode: %v", err)
			}
			if m.Kind() != kind || mf.Kind != kind || m.NumBits() != 4 || mf.Metrics == nil {
				t.Fatalf("kind %s (file %s), %d bits, metrics %v", m.Kind(), mf.Kind, m.NumBits(), mf.Metrics)
			}
			// The loaded model is the trained one: its distribution gives
			// the KL and valid mass that training recorded.
			p, err := m.Probabilities()
			if err != nil {
				t.Fatal(err)
			}
			var kl, mass float64
			for _, x := range valid {
				kl += math.Log((1.0/6)/p[x]) / 6
				mass += p[x]
			}
			if math.Abs(kl-mf.Metrics.KL) > 1e-9 || math.Abs(mass-mf.Metrics.ValidMass) > 1e-9 {
				t.Errorf("KL %.12g, valid mass %.12g; the file recorded %.12g, %.12g", kl, mass, mf.Metrics.KL, mf.Metrics.ValidMass)
			}
			if kind == "rbm" {
				checkRBM(t, path, p)
			}
		})
	}
}

// checkRBM compares the loaded RBM's distribution with the closed form
// p(v) = exp(b.v) prod_j (1 + exp(c_j + sum_i W_ij v_i)) / Z from the
// file's weights.
func checkRBM(t *testing.T, path string, p []float64) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Model struct {
			W [][]float64 `json:"weights"`
			B []float64   `json:"visible_bias"`
			C []float64   `json:"hidden_bias"`
		} `json:"model"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	w := make([]float64, 16)
	var z float64
	for v := range 16 {
		e := 0.0
		for i, b := range f.Model.B {
			e += b * float64(v>>i&1)
		}
		w[v] = math.Exp(e)
		for j, c := range f.Model.C {
			a := c
			for i := range f.Model.B {
				a += f.Model.W[i][j] * float64(v>>i&1)
			}
			w[v] *= 1 + math.Exp(a)
		}
		z += w[v]
	}
	for v := range 16 {
		if math.Abs(w[v]/z-p[v]) > 1e-12 {
			t.Errorf("p(%04b) = %.15g, closed form %.15g", v, p[v], w[v]/z)
		}
	}
}

// A run folder of the mps kind opens too.
func TestOpenRunMPS(t *testing.T) {
	dir := t.TempDir()
	spec := bornmachine.DefaultRunSpec()
	spec.Model, spec.Data, spec.Optimizer, spec.Steps = "mps:2", "bas:2x2", bornmachine.OptSweep, 1
	spec.Ansatz, spec.Grad, spec.Loss = "", "", "nll"
	run, err := bornmachine.NewRun(dir, spec, "")
	if err != nil {
		t.Fatal(err)
	}
	back, err := OpenRun(run.Dir)
	if err != nil {
		t.Fatal(err)
	}
	if back.Model.Kind() != "mps" {
		t.Errorf("kind %s", back.Model.Kind())
	}
}
