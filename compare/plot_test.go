package compare

import (
	"bytes"
	"image/png"
	"math"
	"strings"
	"testing"

	"born/bornmachine"
	"born/dataset"
)

// history returns records with KL(step) = f(step) for steps 0..n-1.
func history(n int, f func(int) float64) []bornmachine.Record {
	h := make([]bornmachine.Record, n)
	for i := range h {
		h[i] = bornmachine.Record{Step: i, KL: f(i)}
	}
	return h
}

// testReport is a comparison of a step-trained model (two seeds) and a
// sweep-trained one (two seeds) on BAS 2x2, built by hand.
func testReport(t *testing.T) *Report {
	t.Helper()
	data, err := dataset.BarsAndStripes(2, 2)
	if err != nil {
		t.Fatal(err)
	}
	uniform := make([]float64, 16)
	for i := range uniform {
		uniform[i] = 1.0 / 16
	}
	exact, _ := data.Dense()
	r := &Report{Data: data.Spec, Bits: 4, Seeds: []uint64{1, 2}, data: data}
	r.Trials = []Trial{
		{Model: "qcbm:2", Family: "quantum circuit", Seed: 1, Method: "adjoint",
			history: history(11, func(s int) float64 { return 0.5 * math.Pow(0.5, float64(s)) }), probs: uniform},
		{Model: "qcbm:2", Family: "quantum circuit", Seed: 2, Method: "adjoint",
			history: history(11, func(s int) float64 { return 0.1 * math.Pow(0.5, float64(s)) }), probs: exact},
		{Model: "mps:2", Family: "tensor network", Seed: 1, Method: bornmachine.OptSweep,
			history: history(4, func(s int) float64 { return math.Pow(10, -5*float64(s)) }), probs: exact},
		{Model: "mps:2", Family: "tensor network", Seed: 2, Method: bornmachine.OptSweep,
			history: history(4, func(s int) float64 { return math.Pow(10, -5*float64(s)) }), probs: exact},
	}
	r.summarize()
	return r
}

// The KL curve of a model is the mean over seeds with the min and max, and
// a log-x panel leaves out step 0.
func TestKLCurveMeanAndRange(t *testing.T) {
	r := testReport(t)
	mean, lo, hi := r.klCurve("qcbm:2", true)
	if len(mean) != 10 || mean[0].X != 1 {
		t.Fatalf("%d points from step %g, want 10 from step 1", len(mean), mean[0].X)
	}
	for k, m := range mean {
		s := m.X
		a, b := 0.5*math.Pow(0.5, s), 0.1*math.Pow(0.5, s)
		if math.Abs(m.Y-(a+b)/2) > 1e-15 || lo[k].Y != b || hi[k].Y != a {
			t.Errorf("step %g: mean %g min %g max %g, want %g %g %g", s, m.Y, lo[k].Y, hi[k].Y, (a+b)/2, b, a)
		}
	}
	if mean, _, _ := r.klCurve("mps:2", false); len(mean) != 4 || mean[0].X != 0 {
		t.Errorf("sweep curve: %v", mean)
	}
}

// Models trained by gradient steps and by MPS sweeps get separate panels,
// and each panel's y range comes from its data (no fixed floor), at most
// maxDecades deep.
func TestKLPanelsSeparateUnitsAndFitTheData(t *testing.T) {
	r := testReport(t)
	panels, err := r.klPanels()
	if err != nil {
		t.Fatal(err)
	}
	if len(panels) != 2 {
		t.Fatalf("%d panels, want 2 (steps and sweeps)", len(panels))
	}
	steps, sweeps := panels[0], panels[1]
	if !strings.Contains(steps.X.Label.Text, "gradient step") || !strings.Contains(sweeps.X.Label.Text, "sweep") {
		t.Errorf("x labels %q and %q", steps.X.Label.Text, sweeps.X.Label.Text)
	}
	// Steps 1..10: KL from 0.1*2^-10 to 0.5*2^-1.
	lo, hi := 0.1*math.Pow(0.5, 10), 0.25
	if steps.Y.Min < lo/1.5 || steps.Y.Min > lo || steps.Y.Max < hi || steps.Y.Max > 1.5*hi {
		t.Errorf("step panel y range %g..%g, data %g..%g", steps.Y.Min, steps.Y.Max, lo, hi)
	}
	// Sweeps reach 1e-15 from 1: the panel stops maxDecades below the top
	// and its title says so.
	if d := math.Log10(sweeps.Y.Max / sweeps.Y.Min); d > maxDecades+0.5 || !strings.Contains(sweeps.Title.Text, "drawn at") {
		t.Errorf("sweep panel spans %.1f decades, title %q", d, sweeps.Title.Text)
	}
}

// The bar panel shows the data's states, then the states outside the data
// the models favour, and its title says which of how many.
func TestProbPanelStates(t *testing.T) {
	r := testReport(t)
	mean, lo, hi := r.modelProbs()
	// qcbm:2: seeds uniform and exact: mean, min and max per state.
	for x := range 16 {
		p := r.data.Prob(uint64(x))
		if want := (1.0/16 + p) / 2; math.Abs(mean[0][x]-want) > 1e-15 || lo[0][x] != math.Min(p, 1.0/16) || hi[0][x] != math.Max(p, 1.0/16) {
			t.Errorf("state %d: %g %g %g", x, mean[0][x], lo[0][x], hi[0][x])
		}
	}
	states, title := r.chooseStates(mean)
	// 6 data states, and the 10 others each get 1/32 from qcbm:2.
	if len(states) != 16 || !strings.Contains(title, "6 data states (of 16)") || !strings.Contains(title, "10 states outside the data") {
		t.Errorf("%d states, title %q", len(states), title)
	}

	// More data states than bars: the title says top maxBars of how many.
	data, err := dataset.BarsAndStripes(4, 4) // 30 patterns
	if err != nil {
		t.Fatal(err)
	}
	big := &Report{Bits: 16, data: data}
	states, title = big.chooseStates(nil)
	if len(states) != maxBars || !strings.Contains(title, "top 24 of the data's 30 states") || !strings.Contains(title, "65536 states") {
		t.Errorf("%d states, title %q", len(states), title)
	}
	for _, s := range states {
		if data.Prob(s) == 0 {
			t.Errorf("state %d is not in the data", s)
		}
	}
}

func TestPlotDecodes(t *testing.T) {
	for _, r := range []*Report{testReport(t)} {
		var buf bytes.Buffer
		if err := r.Plot(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(&buf); err != nil {
			t.Fatal(err)
		}
	}
	// Numeric data are drawn against x.
	g, err := dataset.ParseDataset("gauss:4")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := g.Dense()
	r := &Report{Bits: 4, Seeds: []uint64{1}, data: g,
		Trials: []Trial{{Model: "rbm:4", Family: "neural network", history: history(3, func(int) float64 { return 0.1 }), probs: p}}}
	r.summarize()
	prob, err := r.probPanel()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(prob.X.Label.Text, "integer") || prob.X.Max != 15.5 {
		t.Errorf("gauss panel: x label %q, x max %g", prob.X.Label.Text, prob.X.Max)
	}
	var buf bytes.Buffer
	if err := r.Plot(&buf); err != nil {
		t.Fatal(err)
	}
}
