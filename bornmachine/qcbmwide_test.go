package bornmachine

import (
	"math"
	"strings"
	"testing"

	"born/dataset"
	"born/model"
)

// TestWideObjectiveMatchesDense: the objective for QCBMs above 24 qubits
// (sampled MMD from pairwise kernel values, g evaluated at the shifted
// circuits' samples) gives, on a 6-qubit QCBM where the dense sampled
// objective also runs, the same loss and the same shift gradient: both
// draw the same samples from the same random streams, and g(x) equals the
// dense 2 K (q - pi) at every state.
func TestWideObjectiveMatchesDense(t *testing.T) {
	data, err := dataset.ParseDataset("bas:2x3")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := EngineByName("mps:8")
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseAnsatz("qcbm:2:line", 6, data)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewAnsatzQCBM(a, eng)
	if err != nil {
		t.Fatal(err)
	}
	m.RandomizeParams(3)
	cfg := model.ObjectiveConfig{Loss: dataset.LossMMD, Sigmas: []float64{0.5, 2}, Grad: GradShift, Shots: 300, Seed: 5, Workers: 2}
	dense, err := m.Objective(data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	wide, err := m.wideObjective(data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	theta := m.Params()
	for step := range 2 {
		gd, gw := make([]float64, len(theta)), make([]float64, len(theta))
		ed, err := dense.Eval(step, theta, gd)
		if err != nil {
			t.Fatal(err)
		}
		ew, err := wide.Eval(step, theta, gw)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(ed.Loss-ew.Loss) > 1e-12 || ew.Probs != nil {
			t.Errorf("step %d: loss %v wide, %v dense", step, ew.Loss, ed.Loss)
		}
		var norm float64
		for i := range gd {
			norm = max(norm, math.Abs(gd[i]))
			if math.Abs(gd[i]-gw[i]) > 1e-12 {
				t.Errorf("step %d: d/dtheta_%d = %v wide, %v dense", step, i, gw[i], gd[i])
			}
		}
		if norm == 0 {
			t.Errorf("step %d: zero gradient", step)
		}
	}
}

// TestWideObjectiveErrors: above 24 qubits the QCBM asks for what the
// sampled objective needs, one line each.
func TestWideObjectiveErrors(t *testing.T) {
	lines := make([]string, 4)
	for i := range lines {
		lines[i] = strings.Repeat("0110", 8)[i : i+26]
	}
	data, err := dataset.ParseData("wide", strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	build := func(engine string) *QCBM {
		eng, _ := EngineByName(engine)
		a, err := ParseAnsatz("qcbm:1:line", 26, data)
		if err != nil {
			t.Fatal(err)
		}
		m, err := NewAnsatzQCBM(a, eng)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	ok := model.ObjectiveConfig{Loss: dataset.LossMMD, Sigmas: []float64{1}, Grad: GradShift, Shots: 10}
	for _, c := range []struct {
		engine string
		edit   func(*model.ObjectiveConfig)
		want   string
	}{
		{"mps:4", func(c *model.ObjectiveConfig) { c.Loss = dataset.LossNLL }, "sampled mmd"},
		{"mps:4", func(c *model.ObjectiveConfig) { c.Shots = 0 }, "give shots N"},
		{"mps:4", func(c *model.ObjectiveConfig) { c.Grad = GradAdjoint }, "(grad shift)"},
		{"statevector", func(*model.ObjectiveConfig) {}, "use engine mps:CHI"},
	} {
		cfg := ok
		c.edit(&cfg)
		_, err := build(c.engine).Objective(data, cfg)
		// The library names its settings, never the command line's flags.
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "--") {
			t.Errorf("%s %+v: error %v, want %q and no flag", c.engine, cfg, err, c.want)
		}
	}
	if _, err := build("mps:4").Objective(data, ok); err != nil {
		t.Errorf("valid wide objective: %v", err)
	}
}
