package bornmachine

import (
	"math"
	"strings"
	"testing"
	"time"

	"born/dataset"
	"born/internal/testguard"
	"born/model"
)

// Training with 10^15 shots per circuit run draws each histogram as one
// multinomial variate: a loss and shift gradient in well under a second
// and a few MB (storing the shots would take 8 PB), within a few standard
// errors of the exact ones (the sampling error at 10^15 shots is ~1e-7).
func TestHugeShotsLossAndGradient(t *testing.T) {
	tr := trainer(t, "bas:2x2", "qcbm:1:line", adam(GradShift, 0, 1, 1), 4)
	cfg := model.ObjectiveConfig{Loss: dataset.LossMMD, Sigmas: []float64{0.5, 1}, Grad: GradShift, Seed: 3}
	exact, err := tr.Model.Objective(tr.Data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Shots = 1e15
	sampled, err := tr.Model.Objective(tr.Data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	theta := tr.Model.Params()
	want := make([]float64, len(theta))
	we, err := exact.Eval(1, theta, want)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]float64, len(theta))
	var ge model.Evaluation
	testguard.Within(t, "a loss and gradient from 10^15 shots", time.Second, 100<<20, func() {
		ge, err = sampled.Eval(1, theta, got)
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := math.Abs(ge.Loss - we.Loss); d > 1e-5 {
		t.Errorf("loss %.9f from 10^15 shots, exact %.9f", ge.Loss, we.Loss)
	}
	for i := range got {
		if d := math.Abs(got[i] - want[i]); d > 1e-5 {
			t.Errorf("gradient %d: %.9f from 10^15 shots, exact %.9f", i, got[i], want[i])
		}
	}
	cfg.Shots = 1<<53 + 1
	if _, err := tr.Model.Objective(tr.Data, cfg); err == nil || !strings.Contains(err.Error(), "at most 2^53") {
		t.Errorf("2^53+1 shots: %v", err)
	}
}
