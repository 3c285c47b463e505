package mpsbm

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"born/bornmachine"
	"born/dataset"
	"born/model"
)

// reloadKL saves the model to a model file, reads it back and returns
// KL(data || model) recomputed by enumerating the reloaded tensors.
func reloadKL(t *testing.T, m *Model, data *dataset.Dataset) float64 {
	t.Helper()
	_, back, err := bornmachine.DecodeModelFile(modelFile(t, m))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := bruteProbs(back.(*Model).st.Tensors())
	return klOf(data, p)
}

// TestAnchors: bars and stripes 3x3 at bond dimension 16 reaches KL <=
// 0.005 and 4x4 at bond dimension 32 KL <= 0.05 (issue 9), with the
// default settings and three seeds (one with -short); the KL is recomputed from the saved
// and reloaded model, and the history has one row per sweep.
func TestAnchors(t *testing.T) {
	for _, tc := range []struct {
		data  string
		spec  string
		maxKL float64
	}{
		{"bas:3x3", "mps:16", 0.005},
		{"bas:4x4", "mps:32", 0.05},
	} {
		data := mustData(t, tc.data)
		seeds := uint64(3)
		if testing.Short() {
			seeds = 1
		}
		for seed := uint64(1); seed <= seeds; seed++ {
			set := DefaultSettings()
			set.Seed = seed
			r, err := Train(context.Background(), tc.spec, data, nil, set)
			if err != nil {
				t.Fatal(err)
			}
			m := r.Metrics
			t.Logf("%s %s seed %d: KL %.3g, NLL %.6f (entropy %.6f), valid mass %.6f, %d params, bonds %v, %d sweeps in %.2f s",
				tc.data, tc.spec, seed, m.KL, m.NLL, data.Entropy(), m.ValidMass, r.Model.NumParams(), r.Model.BondDims(), set.Sweeps, r.Seconds)
			if kl := reloadKL(t, r.Model, data); !(kl <= tc.maxKL) || math.Abs(kl-m.KL) > 1e-10 {
				t.Errorf("%s %s seed %d: KL %.4g (reloaded %.4g), the anchor needs <= %g", tc.data, tc.spec, seed, m.KL, kl, tc.maxKL)
			}
			if len(r.History) != set.Sweeps+1 || r.History[0].Step != 0 || r.History[set.Sweeps].Step != set.Sweeps {
				t.Fatalf("history of %d rows", len(r.History))
			}
			last := r.History[set.Sweeps]
			if math.Abs(last.KL-m.KL) > 1e-12 || math.Abs(last.Loss-m.NLL) > 1e-12 {
				t.Errorf("last history row KL %v NLL %v, metrics %v %v", last.KL, last.Loss, m.KL, m.NLL)
			}
			if r.History[0].KL < 100*max(m.KL, 1e-6) || r.Method != "sweep" {
				t.Errorf("KL %.4f at step 0, %.4g after training; method %q", r.History[0].KL, m.KL, r.Method)
			}
		}
	}
}

// TestNLLVersusBondDim trains bars and stripes 3x3 and 4x4 at bond
// dimensions 2 to 32 (the table of the note): the NLL does not rise with
// the bond dimension, and it reaches the data's entropy (KL ~ 0) from the
// bond dimension the data's Schmidt ranks need (8 for 3x3, 16 for 4x4).
func TestNLLVersusBondDim(t *testing.T) {
	for _, tc := range []struct {
		data  string
		exact int // the smallest bond dimension that represents the data
	}{{"bas:3x3", 8}, {"bas:4x4", 16}} {
		data := mustData(t, tc.data)
		prev := math.Inf(1)
		var rows []string
		for _, chi := range []int{2, 4, 8, 16, 32} {
			r, err := Train(context.Background(), fmt.Sprintf("mps:%d", chi), data, nil, DefaultSettings())
			if err != nil {
				t.Fatal(err)
			}
			m := r.Metrics
			rows = append(rows, fmt.Sprintf("%s chi=%2d: NLL %.4f, KL %.2g, valid %.4f, params %5d, max bond %2d, %.2f s",
				tc.data, chi, m.NLL, m.KL, m.ValidMass, r.Model.NumParams(), slices.Max(r.Model.BondDims()), r.Seconds))
			if m.NLL > prev+1e-6 {
				t.Errorf("%s: NLL %.6f at chi=%d above %.6f at the bond dimension before", tc.data, m.NLL, chi, prev)
			}
			if chi >= tc.exact && !(m.KL < 1e-6) {
				t.Errorf("%s: KL %.3g at chi=%d; the MPS represents the data exactly", tc.data, m.KL, chi)
			}
			prev = m.NLL
		}
		t.Logf("NLL against bond dimension (entropy %.4f):\n%s", data.Entropy(), strings.Join(rows, "\n"))
	}
}

// TestResumeBitForBit: a run of sweeps checkpointed and resumed through
// bornmachine.Run reaches bit for bit the tensors and history of an
// uninterrupted run, whether it stopped at its last step or was killed
// between checkpoints.
func TestResumeBitForBit(t *testing.T) {
	spec := bornmachine.DefaultRunSpec()
	spec.Data, spec.Ansatz, spec.Model, spec.Grad = "bas:2x3", "", "mps:4", ""
	spec.Optimizer, spec.Loss, spec.LR, spec.Steps, spec.CheckpointEvery = bornmachine.OptSweep, dataset.LossNLL, 0.1, 6, 2
	dirA := filepath.Join(t.TempDir(), "a")
	a, err := bornmachine.NewRun(dirA, spec, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Train(context.Background(), 1, nil); err != nil {
		t.Fatal(err)
	}
	// The same run stopped after 3 steps, reopened from disk, continued.
	spec.Steps = 3
	dirB := filepath.Join(t.TempDir(), "b")
	b, err := bornmachine.NewRun(dirB, spec, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Train(context.Background(), 1, nil); err != nil {
		t.Fatal(err)
	}
	b2, err := bornmachine.OpenRun(dirB)
	if err != nil {
		t.Fatal(err)
	}
	if b2.Model.Kind() != Kind {
		t.Fatalf("reopened a %s model", b2.Model.Kind())
	}
	b2.Spec.Steps = 6
	if err := b2.Train(context.Background(), 2, nil); err != nil {
		t.Fatal(err)
	}
	sameRun(t, "stopped at step 3", a, b2)
	// The same run killed during step 3: its directory holds the
	// checkpoint of step 2, whose history row (the sweep's own evaluation)
	// it keeps rather than recomputes.
	spec.Steps = 6
	dirC, killed := filepath.Join(t.TempDir(), "c"), filepath.Join(t.TempDir(), "killed")
	c, err := bornmachine.NewRun(dirC, spec, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Train(context.Background(), 1, func(r bornmachine.Record) {
		if r.Step == 3 {
			copyRun(t, dirC, killed)
		}
	}); err != nil {
		t.Fatal(err)
	}
	k, err := bornmachine.OpenRun(killed)
	if err != nil {
		t.Fatal(err)
	}
	if k.State.Step != 2 || k.State.Done {
		t.Fatalf("the killed run reopens at step %d (done %v), want the checkpoint of step 2", k.State.Step, k.State.Done)
	}
	if err := k.Train(context.Background(), 2, nil); err != nil {
		t.Fatal(err)
	}
	sameRun(t, "killed in step 3", a, k)
	if a.State.Stop != "steps" || !a.State.Done || a.Metrics == nil {
		t.Fatalf("state %+v, metrics %v", a.State, a.Metrics)
	}
}

// sameRun fails unless got's final tensors and history (but for the wall
// times) are bit for bit want's.
func sameRun(t *testing.T, what string, want, got *bornmachine.Run) {
	t.Helper()
	if !slices.Equal(want.Model.Params(), got.Model.Params()) {
		t.Fatalf("%s: the resumed run's tensors differ from the uninterrupted run's", what)
	}
	if len(want.History) != 7 || len(got.History) != 7 {
		t.Fatalf("%s: histories of %d and %d rows", what, len(want.History), len(got.History))
	}
	for i := range want.History {
		x, y := want.History[i], got.History[i]
		if x.Step != y.Step || x.Loss != y.Loss || x.KL != y.KL || x.ValidMass != y.ValidMass {
			t.Fatalf("%s: history row %d: %+v against %+v", what, i, y, x)
		}
	}
}

// copyRun copies a run directory's files, as a kill at that moment leaves
// them.
func copyRun(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{bornmachine.ModelFileName, bornmachine.HistoryFileName} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRunRefusals: a run of an MPS model refuses settings it cannot honour
// before writing anything.
func TestRunRefusals(t *testing.T) {
	base := bornmachine.DefaultRunSpec()
	base.Ansatz, base.Model, base.Grad, base.Optimizer, base.Loss = "", "mps:4", "", bornmachine.OptSweep, dataset.LossNLL
	for _, tc := range []struct {
		name string
		edit func(s *bornmachine.RunSpec)
		want string
	}{
		{"adam", func(s *bornmachine.RunSpec) { s.Optimizer = bornmachine.OptAdam }, "sweep"},
		{"mmd", func(s *bornmachine.RunSpec) { s.Loss = dataset.LossMMD }, "nll or kl"},
		{"ansatz too", func(s *bornmachine.RunSpec) { s.Ansatz = "qcbm:2" }, "not both"},
		{"grad", func(s *bornmachine.RunSpec) { s.Grad = "shift" }, "grad is for circuits"},
		{"init", func(s *bornmachine.RunSpec) { s.Init = "x.json" }, "init is for circuits"},
		{"cutoff", func(s *bornmachine.RunSpec) { s.Cutoff = -1 }, "cutoff -1: must be"},
		{"unknown kind", func(s *bornmachine.RunSpec) { s.Model = "peps:4" }, "unknown model"},
		{"one bit", func(s *bornmachine.RunSpec) { s.Data = "bas:1x1" }, "2 to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := base
			tc.edit(&s)
			dir := filepath.Join(t.TempDir(), "run")
			_, err := bornmachine.NewRun(dir, s, "test")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if _, statErr := os.Stat(dir); statErr == nil {
				t.Fatal("the refused run wrote its directory")
			}
		})
	}
}

// TestAdamOnTensors: bornmachine's Adam trains the tensor entries at fixed
// bond dimensions through Objective.
func TestAdamOnTensors(t *testing.T) {
	data := mustData(t, "bas:2x2")
	m, err := New(4, 4, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Init(2, 4); err != nil { // bonds 2, 4, 2: enough for the data
		t.Fatal(err)
	}
	tr := &bornmachine.Trainer{Model: m, Data: data, Config: bornmachine.TrainConfig{
		ObjectiveConfig: model.ObjectiveConfig{Loss: dataset.LossNLL},
		Optimizer:       bornmachine.OptAdam, LR: 0.05, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Steps: 300, CheckpointEvery: 300}}
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	first, last := tr.History[0], tr.History[len(tr.History)-1]
	kl := reloadKL(t, m, data)
	t.Logf("Adam on the tensors: KL %.4f -> %.4g (reloaded %.4g)", first.KL, last.KL, kl)
	if !(kl < 0.01) || math.Abs(kl-last.KL) > 1e-9 {
		t.Fatalf("KL %.4f -> %.4g (reloaded %.4g)", first.KL, last.KL, kl)
	}
}

// TestInterrupt: a cancelled context stops training with
// bornmachine.ErrInterrupted.
func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	_, err := Train(ctx, "mps:4", mustData(t, "bas:2x2"), nil, DefaultSettings())
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("error %v", err)
	}
}
