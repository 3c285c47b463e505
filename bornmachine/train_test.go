package bornmachine

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"born/dataset"
	"born/model"
)

func trainer(t testing.TB, data, ansatz string, cfg TrainConfig, seed uint64) *Trainer {
	t.Helper()
	d, err := dataset.ParseDataset(data)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseAnsatz(ansatz, d.Bits, d)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewAnsatzQCBM(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.RandomizeParams(seed)
	return &Trainer{Model: m, Data: d, Config: cfg}
}

func adam(grad string, shots, steps int, seed uint64) TrainConfig {
	return TrainConfig{
		ObjectiveConfig: model.ObjectiveConfig{Loss: dataset.LossMMD, Sigmas: []float64{0.5, 1, 2, 4}, Grad: grad, Shots: shots, Seed: seed},
		Optimizer:       OptAdam, LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Steps: steps, CheckpointEvery: 10,
	}
}

// TestSampledTrainingConverges trains BAS 2x2 with 1000 shots per circuit
// run (loss and shift gradient both sampled) and checks that the exact KL
// falls from about 1 to below 0.15 with most mass on valid patterns.
func TestSampledTrainingConverges(t *testing.T) {
	tr := trainer(t, "bas:2x2", "qcbm:4", adam(GradShift, 1000, 300, 2), 2)
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	first, last := tr.History[0], tr.History[len(tr.History)-1]
	if last.Step != 300 || first.KL < 0.5 || last.KL > 0.15 || last.ValidMass < 0.9 {
		t.Errorf("KL %.3f -> %.3f at step %d, valid mass %.3f", first.KL, last.KL, last.Step, last.ValidMass)
	}
}

// TestSampledGradientUnbiased checks that the sampled shift gradient
// averages to the exact gradient.
func TestSampledGradientUnbiased(t *testing.T) {
	tr := trainer(t, "bas:2x2", "qcbm:1:line", adam(GradShift, 200, 1, 1), 4)
	exact, err := tr.Model.Objective(tr.Data, model.ObjectiveConfig{Loss: dataset.LossMMD, Sigmas: []float64{0.5, 1}, Grad: GradAdjoint})
	if err != nil {
		t.Fatal(err)
	}
	sampled, err := tr.Model.Objective(tr.Data, model.ObjectiveConfig{Loss: dataset.LossMMD, Sigmas: []float64{0.5, 1}, Grad: GradShift, Shots: 200, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	theta := tr.Model.Params()
	want := make([]float64, len(theta))
	if _, err := exact.Eval(1, theta, want); err != nil {
		t.Fatal(err)
	}
	const reps = 400
	mean := make([]float64, len(theta))
	sq := make([]float64, len(theta))
	g := make([]float64, len(theta))
	for step := 1; step <= reps; step++ {
		if _, err := sampled.Eval(step, theta, g); err != nil {
			t.Fatal(err)
		}
		for i, v := range g {
			mean[i] += v / reps
			sq[i] += v * v / reps
		}
	}
	for i := range mean {
		se := math.Sqrt((sq[i] - mean[i]*mean[i]) / reps)
		if math.Abs(mean[i]-want[i]) > 4.5*se+1e-12 {
			t.Errorf("param %d: sampled gradient %.4f +- %.4f, exact %.4f", i, mean[i], se, want[i])
		}
	}
}

// TestWorkersDoNotChangeResults checks that a training objective's shift
// gradient, exact and sampled, is bit for bit the same on 1 to 7 workers.
func TestWorkersDoNotChangeResults(t *testing.T) {
	tr := trainer(t, "bas:2x3", "qcbm:3", adam(GradShift, 0, 1, 1), 7)
	theta := tr.Model.Params()
	for _, shots := range []int{0, 100} {
		var ref []float64
		for w := 1; w <= 7; w++ {
			obj, err := tr.Model.Objective(tr.Data, model.ObjectiveConfig{Loss: dataset.LossMMD, Sigmas: []float64{1}, Grad: GradShift, Shots: shots, Seed: 5, Workers: w})
			if err != nil {
				t.Fatal(err)
			}
			g := make([]float64, len(theta))
			if _, err := obj.Eval(3, theta, g); err != nil {
				t.Fatal(err)
			}
			if ref == nil {
				ref = g
			} else if !slices.Equal(g, ref) {
				t.Errorf("shots %d: %d workers give a different gradient", shots, w)
			}
		}
	}
}

// TestLBFGSDemo runs the reference demo with L-BFGS: BAS 2x3, depth 7,
// sigma 0.5, 100 iterations; the reference reaches MMD 7.6e-5 and KL 0.034
// from MMD 6.6e-2 (seed 2).
func TestLBFGSDemo(t *testing.T) {
	cfg := TrainConfig{ObjectiveConfig: model.ObjectiveConfig{Loss: dataset.LossMMD, Sigmas: []float64{0.5}, Grad: GradAdjoint}, Optimizer: OptLBFGS, Steps: 100, CheckpointEvery: 10}
	tr := trainer(t, "bas:2x3", "qcbm:7", cfg, 2)
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	first, last := tr.History[0], tr.History[len(tr.History)-1]
	if first.Loss < 0.03 || last.Loss > 1e-3 || last.KL > 0.1 {
		t.Errorf("MMD %.3g -> %.3g, KL %.3g -> %.3g (stop: %s at step %d)", first.Loss, last.Loss, first.KL, last.KL, tr.State.Stop, last.Step)
	}
	for i := 1; i < len(tr.History); i++ {
		if tr.History[i].Step != tr.History[i-1].Step+1 {
			t.Fatalf("history steps %d then %d", tr.History[i-1].Step, tr.History[i].Step)
		}
	}
}

func testSpec(steps int, shots int) RunSpec {
	s := DefaultRunSpec()
	s.Data, s.Ansatz, s.Steps, s.Seed = "bas:2x2", "qcbm:3", steps, 11
	s.Shots, s.CheckpointEvery = shots, 10
	return s
}

// TestResumeBitForBit interrupts a run (as SIGINT does) at step 17, and
// separately takes the run directory as a hard kill at step 24 would leave
// it (the checkpoint of step 20), resumes both, and checks that the final
// parameters and history losses equal an uninterrupted run's bit for bit;
// exact and sampled training.
func TestResumeBitForBit(t *testing.T) {
	for _, shots := range []int{0, 50} {
		spec := testSpec(40, shots)
		ref, err := NewRun(filepath.Join(t.TempDir(), "ref"), spec, "test")
		if err != nil {
			t.Fatal(err)
		}
		if err := ref.Train(context.Background(), 0, nil); err != nil {
			t.Fatal(err)
		}

		// Interrupted at step 17, then resumed.
		dir := filepath.Join(t.TempDir(), "int")
		run, err := NewRun(dir, spec, "test")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		killed := filepath.Join(t.TempDir(), "killed")
		err = run.Train(ctx, 1, func(r Record) {
			if r.Step == 16 { // the evaluation of step 17: stop after it
				cancel()
			}
			if r.Step == 23 {
				copyDir(t, dir, killed)
			}
		})
		if !errors.Is(err, ErrInterrupted) {
			t.Fatalf("interrupted run: %v", err)
		}
		resumed, err := OpenRun(dir)
		if err != nil {
			t.Fatal(err)
		}
		if resumed.State.Step != 17 {
			t.Fatalf("interrupted at step %d, want 17", resumed.State.Step)
		}
		if err := resumed.Train(context.Background(), 2, func(r Record) {
			if r.Step == 23 {
				copyDir(t, dir, killed)
			}
		}); err != nil {
			t.Fatal(err)
		}
		compareRuns(t, "interrupted", ref, resumed)

		// The state a kill at step 24 leaves: the checkpoint of step 20.
		k, err := OpenRun(killed)
		if err != nil {
			t.Fatal(err)
		}
		if k.State.Step != 20 || len(k.History) != 20 {
			t.Fatalf("killed run at step %d with %d history rows, want the checkpoint of step 20", k.State.Step, len(k.History))
		}
		if err := k.Train(context.Background(), 0, nil); err != nil {
			t.Fatal(err)
		}
		compareRuns(t, "killed", ref, k)
	}
}

func compareRuns(t *testing.T, what string, want, got *Run) {
	t.Helper()
	if !slices.Equal(want.Model.Params(), got.Model.Params()) {
		t.Errorf("%s (shots %d): final parameters differ from the uninterrupted run", what, want.Spec.Shots)
	}
	if len(want.History) != len(got.History) {
		t.Fatalf("%s: %d history rows, want %d", what, len(got.History), len(want.History))
	}
	for i := range want.History {
		w, g := want.History[i], got.History[i]
		if w.Step != g.Step || w.Loss != g.Loss || w.KL != g.KL || w.ValidMass != g.ValidMass {
			t.Errorf("%s: history row %d is %+v, want %+v", what, i, g, w)
			break
		}
	}
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{ModelFileName, HistoryFileName} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// nanModel is a QCBM whose objective fails with a NaN loss from step
// nanAt on.
type nanModel struct {
	*QCBM
	nanAt int
}

func (m *nanModel) Objective(d *dataset.Dataset, cfg model.ObjectiveConfig) (model.Objective, error) {
	o, err := m.QCBM.Objective(d, cfg)
	return &nanObjective{o, m.nanAt}, err
}

type nanObjective struct {
	model.Objective
	nanAt int
}

func (o *nanObjective) Eval(step int, theta, grad []float64) (model.Evaluation, error) {
	ev, err := o.Objective.Eval(step, theta, grad)
	if step >= o.nanAt {
		ev.Loss = math.NaN()
	}
	return ev, err
}

// TestNaNLossKeepsCheckpoint checks that a NaN loss stops training with an
// error naming the step, and that no checkpoint is written after it.
func TestNaNLossKeepsCheckpoint(t *testing.T) {
	tr := trainer(t, "bas:2x2", "qcbm:2", adam(GradAdjoint, 0, 50, 1), 1)
	tr.Config.CheckpointEvery = 5
	tr.Model = &nanModel{QCBM: tr.Model.(*QCBM), nanAt: 13}
	var saved []int
	var savedParams []float64
	tr.OnCheckpoint = func() error {
		saved = append(saved, tr.State.Step)
		savedParams = tr.Model.Params()
		return nil
	}
	err := tr.Run(context.Background())
	var nf *NonFiniteError
	if !errors.As(err, &nf) || nf.Step != 13 || nf.Checkpoint != 10 {
		t.Fatalf("error %v, want a NaN at step 13 after the checkpoint of step 10", err)
	}
	if !strings.Contains(err.Error(), "step 13") || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("error %q does not name the step and the NaN", err)
	}
	if !slices.Equal(saved, []int{5, 10}) {
		t.Errorf("checkpoints at %v, want [5 10]", saved)
	}
	for _, v := range savedParams {
		if math.IsNaN(v) {
			t.Fatal("a checkpoint holds NaN parameters")
		}
	}
}

// TestRunErrors checks the messages for bad settings.
func TestRunErrors(t *testing.T) {
	mixed := filepath.Join(t.TempDir(), "mixed.txt")
	os.WriteFile(mixed, []byte("0101\n0110\n011\n"), 0o644)
	for _, c := range []struct {
		edit func(*RunSpec)
		want string
	}{
		{func(s *RunSpec) { s.Data = "mnist" }, "unknown dataset"},
		{func(s *RunSpec) { s.Data = "file:" + mixed }, "mixed.txt:3: bitstring \"011\" has 3 bits"},
		{func(s *RunSpec) { s.Sigmas = nil }, "sigmas is empty"},
		{func(s *RunSpec) { s.Sigmas = []float64{1, -2} }, "-2 is not a finite positive"},
		{func(s *RunSpec) { s.Steps = 0 }, "steps 0: need at least 1"},
		{func(s *RunSpec) { s.LR = -1 }, "learning rate"},
		{func(s *RunSpec) { s.Shots = 100; s.Loss = dataset.LossKL }, "shots needs loss mmd"},
		{func(s *RunSpec) { s.Shots = 100; s.Grad = GradAdjoint }, "takes no shots"},
		{func(s *RunSpec) { s.Optimizer = OptLBFGS; s.Shots = 100 }, "lbfgs needs exact gradients"},
		{func(s *RunSpec) { s.Grad = "backprop" }, "unknown gradient"},
		{func(s *RunSpec) { s.Init = mixed }, "init: "},
	} {
		s := DefaultRunSpec()
		c.edit(&s)
		_, err := NewRun(filepath.Join(t.TempDir(), "r"), s, "test")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
	// A circuit whose width differs from the data's.
	d, _ := dataset.ParseDataset("bas:2x2")
	a, _ := ParseAnsatz("qcbm:2:line", 5, nil)
	m, _ := NewAnsatzQCBM(a, nil)
	if _, err := m.Objective(d, model.ObjectiveConfig{Loss: dataset.LossMMD, Sigmas: []float64{1}, Grad: GradShift}); err == nil ||
		!strings.Contains(err.Error(), "the circuit has 5 qubits but the data have 4 bits") {
		t.Errorf("width mismatch: %v", err)
	}
	// A run directory is never overwritten.
	dir := t.TempDir()
	s := testSpec(1, 0)
	if _, err := NewRun(dir, s, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := NewRun(dir, s, "test"); err == nil || !errors.Is(err, ErrRunExists) {
		t.Errorf("second run in one directory: %v", err)
	}
}

// TestModelFileRoundTrip saves a trained model and loads it back.
func TestModelFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	run, err := NewRun(dir, testSpec(3, 0), "v1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Train(context.Background(), 0, nil); err != nil {
		t.Fatal(err)
	}
	mf, m, err := ReadModelFile(filepath.Join(dir, ModelFileName))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Params(), run.Model.Params()) || mf.Versions["born"] != "v1.2.3" || mf.Data.Rows != 2 || !mf.Train.Done {
		t.Errorf("model file: %+v", mf)
	}
	p1, _ := m.Probabilities()
	p2, _ := run.Model.Probabilities()
	if !slices.Equal(p1, p2) {
		t.Error("the loaded model's distribution differs")
	}
	s1, _ := m.Sample(50, 3)
	s2, _ := run.Model.Sample(50, 3)
	if !slices.Equal(s1, s2) {
		t.Error("the same seed gives different samples")
	}
	theta, err := ReadParams(filepath.Join(dir, ModelFileName))
	if err != nil || !slices.Equal(theta, m.Params()) {
		t.Errorf("ReadParams of a model file: %v", err)
	}
}

// TestTolStops checks early stopping: with a tolerance above every
// gradient component, both optimizers stop before their first step.
func TestTolStops(t *testing.T) {
	for _, opt := range []string{OptAdam, OptLBFGS} {
		cfg := adam(GradAdjoint, 0, 50, 1)
		cfg.Optimizer, cfg.Tol = opt, 1e6
		tr := trainer(t, "bas:2x2", "qcbm:2", cfg, 1)
		theta := tr.Model.Params()
		if err := tr.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if tr.State.Stop != "tol" || tr.State.Step != 0 || !tr.State.Done || len(tr.History) != 1 || !slices.Equal(theta, tr.Model.Params()) {
			t.Errorf("%s: stop %q at step %d, %d history rows", opt, tr.State.Stop, tr.State.Step, len(tr.History))
		}
	}
}

// TestLBFGSInterrupt interrupts L-BFGS and resumes it to the full number of
// steps with a continuous history (L-BFGS restarts its memory, so the
// result is not compared bit for bit).
func TestLBFGSInterrupt(t *testing.T) {
	s := testSpec(30, 0)
	s.Optimizer, s.Grad = OptLBFGS, GradAdjoint
	dir := t.TempDir()
	run, err := NewRun(dir, s, "test")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	err = run.Train(ctx, 0, func(r Record) {
		if r.Step == 12 {
			cancel()
		}
	})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("interrupted L-BFGS: %v", err)
	}
	again, err := OpenRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.State.Step != 12 {
		t.Fatalf("checkpoint at step %d, want 12", again.State.Step)
	}
	if err := again.Train(context.Background(), 0, nil); err != nil {
		t.Fatal(err)
	}
	if again.State.Step != 30 || len(again.History) != 31 || again.History[0].Loss <= again.History[30].Loss {
		t.Errorf("resumed to step %d with %d rows; loss %v -> %v", again.State.Step, len(again.History), again.History[0].Loss, again.History[len(again.History)-1].Loss)
	}
	for i, r := range again.History {
		if r.Step != i {
			t.Fatalf("history row %d is step %d", i, r.Step)
		}
	}
}
