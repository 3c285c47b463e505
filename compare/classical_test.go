package compare

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"born/bornmachine"
	"born/classical"
	"born/classical/rbm"
	"born/dataset"
)

// TestAnchorsBAS3x3 reproduces the classical anchors of REFERENCES.md on
// bars and stripes 3x3 with three seeds: an RBM with 16 hidden units
// trained by the exact likelihood gradient (Adam lr 0.05, 5000 steps)
// reaches KL <= 0.005, a MADE with 16 hidden units (Adam lr 0.01, 500
// steps) KL <= 0.02. The metrics are recomputed from the saved and
// reloaded model.
func TestAnchorsBAS3x3(t *testing.T) {
	data, err := dataset.ParseDataset("bas:3x3")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		spec   string
		params int
		maxKL  float64
	}{
		{"rbm:16", 169, 0.005},
		{"flow:16", 205, 0.02},
	} {
		for seed := uint64(1); seed <= 3; seed++ {
			sp, _ := classical.ParseSpec(tc.spec)
			set := classical.DefaultSettings(sp.Kind)
			set.Seed = seed
			r, err := TrainClassical(context.Background(), tc.spec, data, nil, set)
			if err != nil {
				t.Fatal(err)
			}
			m := r.Metrics
			t.Logf("%s seed %d: KL %.5f, NLL %.5f, valid mass %.5f, %d steps in %.2f s", tc.spec, seed, m.KL, m.NLL, m.ValidMass, set.Steps, r.Seconds)
			if r.Model.NumParams() != tc.params {
				t.Errorf("%s: %d parameters, want %d", tc.spec, r.Model.NumParams(), tc.params)
			}
			if !(m.KL <= tc.maxKL) {
				t.Errorf("%s seed %d: KL %.5f, the anchor needs <= %g", tc.spec, seed, m.KL, tc.maxKL)
			}
			if len(r.History) != set.Steps+1 || r.History[0].Step != 0 || r.History[set.Steps].Step != set.Steps {
				t.Fatalf("%s: history of %d rows", tc.spec, len(r.History))
			}
			last := r.History[set.Steps]
			if math.Abs(last.KL-m.KL) > 1e-12 || math.Abs(last.Loss-m.NLL) > 1e-12 {
				t.Errorf("%s: last history row KL %v NLL %v, metrics %v %v", tc.spec, last.KL, last.Loss, m.KL, m.NLL)
			}
			if r.History[0].KL < 10*m.KL {
				t.Errorf("%s: KL %.4f at step 0, %.4f after training", tc.spec, r.History[0].KL, m.KL)
			}
			if r.Method != "exact" || r.Note != "" {
				t.Errorf("%s: method %q, note %q", tc.spec, r.Method, r.Note)
			}
			// Independent recomputation from the reloaded model file.
			mf, err := bornmachine.NewModelFile(r.Model)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := json.Marshal(mf)
			if err != nil {
				t.Fatal(err)
			}
			_, back, err := bornmachine.DecodeModelFile(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			p, err := back.Probabilities()
			if err != nil {
				t.Fatal(err)
			}
			var kl float64
			for i, x := range data.States {
				kl += data.Probs[i] * math.Log(data.Probs[i]/p[x])
			}
			if math.Abs(kl-m.KL) > 1e-12 {
				t.Errorf("%s: KL %.15g recomputed from the saved model, %.15g reported", tc.spec, kl, m.KL)
			}
		}
	}
}

func TestTrainClassicalFallbackAndErrors(t *testing.T) {
	data, _ := dataset.ParseDataset("bas:2x2")
	set := classical.DefaultSettings("rbm")
	set.Steps = 3
	if _, err := TrainClassical(context.Background(), "rbm:0", data, nil, set); err == nil {
		t.Error("rbm:0: no error")
	}
	if _, err := TrainClassical(context.Background(), "rbm:4", nil, nil, set); err == nil {
		t.Error("no data: no error")
	}
	bad := set
	bad.LR = math.NaN()
	if _, err := TrainClassical(context.Background(), "rbm:4", data, nil, bad); err == nil || !strings.Contains(err.Error(), "lr") {
		t.Errorf("NaN learning rate: error %v", err)
	}
	pcd := set
	pcd.Grad = "pcd"
	r, err := TrainClassical(context.Background(), "rbm:4", data, nil, pcd)
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "pcd" {
		t.Errorf("method %q, want pcd", r.Method)
	}
	if r.Note != "" || r.Estimated {
		t.Errorf("forced PCD on a small RBM: note %q, estimated %v", r.Note, r.Estimated)
	}
	// A 26-bit RBM with 21 hidden units has no exact ln Z: PCD, AIS, and
	// a note saying so.
	wide := &dataset.Dataset{Spec: "wide", Bits: 26, States: []uint64{0, 1<<26 - 1}, Probs: []float64{0.5, 0.5}}
	ws := set
	ws.Steps, ws.AIS = 2, rbm.AISConfig{Chains: 20, Temps: 50, Seed: 1}
	r, err = TrainClassical(context.Background(), "rbm:21", wide, nil, ws)
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "pcd" || !strings.Contains(r.Note, "PCD") || !r.Estimated || math.IsNaN(r.Metrics.NLL) || !math.IsNaN(r.Metrics.KL) {
		t.Errorf("26x21 RBM: method %q, note %q, estimated %v, NLL %v, KL %v (skipped above 24 bits)", r.Method, r.Note, r.Estimated, r.Metrics.NLL, r.Metrics.KL)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := TrainClassical(ctx, "flow:4", data, nil, classical.DefaultSettings("flow")); err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("cancelled context: error %v", err)
	}
}
