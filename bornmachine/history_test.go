package bornmachine

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// TestHistoryTestNLL: history.csv carries test_nll and reads back exactly,
// NaN where not measured; a history written before the column existed
// reads with NaN test NLLs.
func TestHistoryTestNLL(t *testing.T) {
	h := []Record{
		{Step: 0, Loss: 1.5, KL: math.NaN(), ValidMass: math.NaN(), Wall: 0.25, TestNLL: 2.0000000000000004},
		{Step: 1, Loss: 1.25, KL: 0.1, ValidMass: 0.9, Wall: 0.5, TestNLL: math.NaN()},
	}
	var b bytes.Buffer
	if err := WriteHistory(&b, h); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "step,loss,kl,valid_mass,wall_seconds,test_nll\n") {
		t.Fatalf("header: %q", b.String())
	}
	back, err := ReadHistory(&b)
	if err != nil {
		t.Fatal(err)
	}
	same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
	for i := range h {
		x, y := h[i], back[i]
		if x.Step != y.Step || !same(x.Loss, y.Loss) || !same(x.KL, y.KL) || !same(x.ValidMass, y.ValidMass) || !same(x.Wall, y.Wall) || !same(x.TestNLL, y.TestNLL) {
			t.Errorf("row %d: wrote %+v, read %+v", i, x, y)
		}
	}
	old, err := ReadHistory(strings.NewReader("step,loss,kl,valid_mass,wall_seconds\n3,0.5,0.25,1,2\n"))
	if err != nil || len(old) != 1 || old[0].Step != 3 || old[0].KL != 0.25 || !math.IsNaN(old[0].TestNLL) {
		t.Errorf("old history: %+v, %v", old, err)
	}
	if _, err := ReadHistory(strings.NewReader("step,loss\n")); err == nil {
		t.Error("a wrong header was accepted")
	}
}
