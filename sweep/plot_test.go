package sweep

import (
	"math"
	"slices"
	"testing"
)

// The collect plot always has a legend that says what its lines and points
// are, names every series when there are several, and its log axis spans
// the data with room for the legend.
func TestPlotLegend(t *testing.T) {
	row := func(task int, ansatz, lr, model string, kl float64) TableRow {
		r := TableRow{Task: task, Values: map[string]string{"ansatz": ansatz, "lr": lr}}
		r.Model, r.KL = model, kl
		return r
	}
	// One series, three repeats per grid point.
	one := &Table{Command: "train", Keys: []string{"ansatz"}}
	for i, kl := range []float64{0.5, 0.4, 0.6, 0.1, 0.05, 0.2} {
		one.Rows = append(one.Rows, row(i, []string{"qcbm:1", "qcbm:2"}[i/3], "", "qcbm", kl))
	}
	p, legend, err := one.plot()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(legend, []string{"line: mean over the repeats", "point: one run"}) {
		t.Errorf("legend %q", legend)
	}
	if p.Y.Min > 0.05 || p.Y.Min < 0.05/2 || p.Y.Max < 0.6 || math.Log10(p.Y.Max/p.Y.Min) > 3 {
		t.Errorf("y range %g..%g for data 0.05..0.6", p.Y.Min, p.Y.Max)
	}
	// Two series (lr values), one run each.
	two := &Table{Command: "train", Keys: []string{"ansatz", "lr"}}
	two.Rows = []TableRow{row(0, "qcbm:1", "0.1", "qcbm", 0.5), row(1, "qcbm:1", "0.01", "qcbm", 0.4),
		row(2, "qcbm:2", "0.1", "qcbm", 0.2), row(3, "qcbm:2", "0.01", "qcbm", 0.3)}
	_, legend, err = two.plot()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(legend, []string{"lr=0.1", "lr=0.01", "point: one run; lines join them"}) {
		t.Errorf("legend %q", legend)
	}
	// A compare sweep names models, and a point is a comparison's mean.
	cmp := &Table{Command: "compare", Keys: []string{"ansatz"}}
	cmp.Rows = []TableRow{row(0, "a", "", "qcbm:2", 0.5), row(0, "a", "", "rbm:4", 0.4)}
	_, legend, err = cmp.plot()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(legend, []string{"qcbm:2", "rbm:4", "point: one comparison (its mean over seeds); lines join them"}) {
		t.Errorf("legend %q", legend)
	}
}
