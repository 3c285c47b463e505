package bornmachine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/optimize"

	"born/dataset"
	"born/internal/setting"
	"born/model"
)

// Optimizers.
const (
	OptAdam  = "adam"
	OptLBFGS = "lbfgs"
	// OptSweep is the model's own optimizer (a Sweeper's Sweep), such as
	// the two-site sweeps of the MPS Born machine.
	OptSweep = "sweep"
)

// Sweeper is a Model that trains itself, one step at a time, with its own
// optimizer: a step may change the model's structure (and so its number of
// parameters), as a sweep of two-site updates of a matrix product state
// does. Everything that carries over between steps is in the model, so a
// checkpoint (the model file) resumes exactly.
type Sweeper interface {
	model.Model
	// Sweep performs training step step (1, 2, ...) on data with the
	// settings cfg (its LR and Loss) and returns the evaluation at the new
	// parameters, with Probs when the model has at most MaxExactBits bits.
	Sweep(step int, data *dataset.Dataset, cfg TrainConfig) (model.Evaluation, error)
}

// TrainConfig configures Trainer.
type TrainConfig struct {
	model.ObjectiveConfig
	// Optimizer is adam, lbfgs (gonum/optimize's L-BFGS) or sweep (a
	// Sweeper's own steps).
	Optimizer string
	// LR, Beta1, Beta2 and Eps are Adam's settings (0.1, 0.9, 0.999, 1e-8
	// in the paper); LR is also the step size of sweeps.
	LR, Beta1, Beta2, Eps float64
	// Steps is the number of optimizer steps (L-BFGS major iterations) to
	// reach in total, counting steps done before a resume.
	Steps int
	// Tol > 0 stops early once the gradient's largest component is at most
	// Tol (sweep: once a step lowers the loss by at most Tol).
	Tol float64
	// CheckpointEvery is the number of steps between checkpoints.
	CheckpointEvery int
}

// Validate checks the settings.
func (c *TrainConfig) Validate() error {
	switch c.Optimizer {
	case OptAdam:
		if !(c.LR > 0) || math.IsInf(c.LR, 0) {
			return setting.Errorf("{lr} %g: the learning rate must be a finite number > 0", c.LR)
		}
		if !(c.Beta1 >= 0 && c.Beta1 < 1 && c.Beta2 >= 0 && c.Beta2 < 1) {
			return fmt.Errorf("adam betas %g, %g: each must be in [0, 1)", c.Beta1, c.Beta2)
		}
		if !(c.Eps > 0) || math.IsInf(c.Eps, 0) {
			return fmt.Errorf("adam eps %g: must be a finite number > 0", c.Eps)
		}
	case OptLBFGS:
		if c.Shots > 0 {
			return setting.Errorf("{optimizer} lbfgs needs exact gradients: its line search fails on sampled losses; use {optimizer} adam with {shots}")
		}
	case OptSweep:
		if !(c.LR > 0) || math.IsInf(c.LR, 0) {
			return setting.Errorf("{lr} %g: the sweep step size must be a finite number > 0", c.LR)
		}
		if c.Shots > 0 {
			return setting.Errorf("{optimizer} sweep uses exact likelihoods: it takes no {shots}")
		}
	default:
		return fmt.Errorf("unknown optimizer %q: use adam, lbfgs or sweep", c.Optimizer)
	}
	if c.Steps < 1 {
		return setting.Errorf("{steps} %d: need at least 1 step", c.Steps)
	}
	if !(c.Tol >= 0) || math.IsInf(c.Tol, 0) {
		return setting.Errorf("{tol} %g: must be a finite number >= 0 (0 turns early stopping off)", c.Tol)
	}
	if c.CheckpointEvery < 1 {
		return setting.Errorf("{checkpoint_every} %d: need at least 1", c.CheckpointEvery)
	}
	return nil
}

// Record is one row of a training history: the loss and metrics at the
// parameters reached after Step optimizer steps (row 0: the initial
// parameters).
type Record struct {
	Step      int
	Loss      float64
	KL        float64 // KL(data || model)
	ValidMass float64 // model mass on the data's support
	Wall      float64 // seconds of training when the row was taken
	// TestNLL is the NLL on the test data (NaN without a test set).
	// Above dataset.MaxExactBits bits KL and ValidMass are NaN: they need
	// the full distribution.
	TestNLL float64
}

// TrainState is the optimizer's state between steps: with the model's
// parameters, everything needed to continue training exactly.
type TrainState struct {
	Step  int       `json:"step"` // optimizer steps completed
	AdamM []float64 `json:"adam_m,omitempty"`
	AdamV []float64 `json:"adam_v,omitempty"`
	Wall  float64   `json:"wall_seconds"`
	Done  bool      `json:"done"`
	// Stop says why training ended: steps, tol, or lbfgs: <status>.
	Stop string `json:"stop,omitempty"`
}

// ErrInterrupted is returned (wrapped) when the context ends training.
var ErrInterrupted = errors.New("training interrupted")

// NonFiniteError reports a loss or gradient that is NaN or infinite.
type NonFiniteError struct {
	Step       int     // the step whose evaluation failed
	Loss       float64 // the loss there
	Checkpoint int     // the step of the last checkpoint, which is kept
}

func (e *NonFiniteError) Error() string {
	what := fmt.Sprintf("the loss is %v", e.Loss)
	if !math.IsNaN(e.Loss) && !math.IsInf(e.Loss, 0) {
		what = "the gradient is not finite"
	}
	return fmt.Sprintf("step %d: %s; training stopped; the last good checkpoint (step %d) is kept", e.Step, what, e.Checkpoint)
}

// Trainer trains a model on data. State and History carry over between
// runs: a Trainer built from a checkpoint continues where it stopped and,
// with Adam, reaches bit for bit the parameters an uninterrupted run
// reaches (L-BFGS restarts its curvature memory at a resume).
type Trainer struct {
	Model model.Model
	Data  *dataset.Dataset
	// Test, if not nil, is held-out data whose NLL the history records
	// (Record.TestNLL) every TestEvery steps (0 or 1: every row) and at the
	// last step; other rows hold NaN. A larger TestEvery saves time where
	// the NLL is dear (an RBM whose ln Z is an AIS estimate).
	Test      *dataset.Dataset
	TestEvery int
	Config    TrainConfig
	State     TrainState
	History   []Record
	// OnRecord, if set, is called with every new history row.
	OnRecord func(Record)
	// OnCheckpoint, if set, is called every Config.CheckpointEvery steps,
	// when training ends and when it is interrupted, with the model's
	// parameters, State and History up to date. It is not called after a
	// non-finite loss, so the last good checkpoint survives.
	OnCheckpoint func() error

	lastCheckpoint int
	start          time.Time
	wall0          float64
}

func (t *Trainer) wall() float64 { return t.wall0 + time.Since(t.start).Seconds() }

func (t *Trainer) checkpoint() error {
	t.State.Wall = t.wall()
	t.lastCheckpoint = t.State.Step
	if t.OnCheckpoint == nil {
		return nil
	}
	return t.OnCheckpoint()
}

// periodicCheckpoint checkpoints every Config.CheckpointEvery steps before
// the last (training checkpoints when it ends).
func (t *Trainer) periodicCheckpoint() error {
	if t.State.Step%t.Config.CheckpointEvery != 0 || t.State.Step >= t.Config.Steps {
		return nil
	}
	return t.checkpoint()
}

// interrupt checkpoints and returns the error of training interrupted at
// the current step.
func (t *Trainer) interrupt() error {
	if err := t.checkpoint(); err != nil {
		return err
	}
	return fmt.Errorf("%w at step %d", ErrInterrupted, t.State.Step)
}

// testDue reports whether the row of step records the test NLL.
func (t *Trainer) testDue(step int) bool {
	return t.Test != nil && (t.TestEvery <= 1 || step%t.TestEvery == 0 || step >= t.Config.Steps)
}

// record appends the row for step from an evaluation at theta (nil: the
// model's current parameters).
func (t *Trainer) record(step int, theta []float64, ev model.Evaluation) error {
	r := Record{Step: step, Loss: ev.Loss, Wall: t.wall(), TestNLL: math.NaN()}
	p := ev.Probs
	switch {
	case p != nil:
		r.KL, r.ValidMass = dataset.KLDivergence(t.Data, p), dataset.ValidMass(t.Data, p)
		if t.testDue(step) {
			r.TestNLL = dataset.NLL(t.Test, p)
		}
	default:
		if theta != nil {
			if err := t.Model.SetParams(theta); err != nil {
				return err
			}
		}
		if t.Data.Bits > dataset.MaxExactBits {
			r.KL, r.ValidMass = math.NaN(), math.NaN()
		} else {
			m, err := model.Evaluate(t.Model, t.Data, nil)
			if err != nil {
				return err
			}
			r.KL, r.ValidMass = m.KL, m.ValidMass
		}
		if t.testDue(step) {
			v, err := model.NLL(t.Model, t.Test)
			if err != nil {
				return err
			}
			r.TestNLL = v
		}
	}
	// Drop rows a resumed run recomputes.
	for len(t.History) > 0 && t.History[len(t.History)-1].Step >= step {
		t.History = t.History[:len(t.History)-1]
	}
	t.History = append(t.History, r)
	if t.OnRecord != nil {
		t.OnRecord(r)
	}
	return nil
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// Run trains until Config.Steps steps are done, the gradient falls below
// Config.Tol, ctx ends (then it checkpoints and returns an error wrapping
// ErrInterrupted) or an evaluation fails (a *NonFiniteError for a NaN or
// infinite loss).
func (t *Trainer) Run(ctx context.Context) error {
	if err := t.Config.Validate(); err != nil {
		return err
	}
	obj, err := t.Model.Objective(t.Data, t.Config.ObjectiveConfig)
	if err != nil {
		return err
	}
	t.start, t.wall0 = time.Now(), t.State.Wall
	t.lastCheckpoint = t.State.Step
	if t.State.Done && t.State.Step >= t.Config.Steps {
		return nil
	}
	t.State.Done, t.State.Stop = false, ""
	switch t.Config.Optimizer {
	case OptLBFGS:
		return t.runLBFGS(ctx, obj)
	case OptSweep:
		return t.runSweep(ctx, obj)
	}
	return t.runAdam(ctx, obj)
}

// runSweep trains a Sweeper with its own steps.
func (t *Trainer) runSweep(ctx context.Context, obj model.Objective) error {
	sw, ok := t.Model.(Sweeper)
	if !ok {
		return setting.Errorf("the %s model has no sweep optimizer: use {optimizer} adam or lbfgs", t.Model.Kind())
	}
	c := &t.Config
	if len(t.History) == 0 || t.History[len(t.History)-1].Step < t.State.Step {
		ev, err := obj.Eval(t.State.Step+1, t.Model.Params(), nil)
		if err != nil {
			return fmt.Errorf("step %d: %w", t.State.Step, err)
		}
		if !finite(ev.Loss) {
			return &NonFiniteError{Step: t.State.Step, Loss: ev.Loss, Checkpoint: t.lastCheckpoint}
		}
		if err := t.record(t.State.Step, nil, ev); err != nil {
			return err
		}
	}
	for t.State.Step < c.Steps {
		if ctx.Err() != nil {
			return t.interrupt()
		}
		k := t.State.Step
		prev := t.History[len(t.History)-1].Loss
		ev, err := sw.Sweep(k+1, t.Data, *c)
		if err != nil {
			return fmt.Errorf("step %d: %w", k+1, err)
		}
		if !finite(ev.Loss) {
			return &NonFiniteError{Step: k + 1, Loss: ev.Loss, Checkpoint: t.lastCheckpoint}
		}
		t.State.Step = k + 1
		if err := t.record(k+1, nil, ev); err != nil {
			return err
		}
		if c.Tol > 0 && prev-ev.Loss <= c.Tol {
			t.State.Stop = "tol"
			break
		}
		if err := t.periodicCheckpoint(); err != nil {
			return err
		}
	}
	if t.State.Stop == "" {
		t.State.Stop = "steps"
	}
	t.State.Done = true
	return t.checkpoint()
}

func (t *Trainer) runAdam(ctx context.Context, obj model.Objective) error {
	c := &t.Config
	theta := t.Model.Params()
	n := len(theta)
	if len(t.State.AdamM) != n || len(t.State.AdamV) != n {
		t.State.AdamM, t.State.AdamV = make([]float64, n), make([]float64, n)
	}
	m, v := t.State.AdamM, t.State.AdamV
	grad := make([]float64, n)
	for t.State.Step < c.Steps {
		if ctx.Err() != nil {
			return t.interrupt()
		}
		k := t.State.Step
		ev, err := obj.Eval(k+1, theta, grad)
		if err != nil {
			return fmt.Errorf("step %d: %w", k+1, err)
		}
		if !finite(ev.Loss) || !finite(grad...) {
			return &NonFiniteError{Step: k + 1, Loss: ev.Loss, Checkpoint: t.lastCheckpoint}
		}
		if err := t.record(k, theta, ev); err != nil {
			return err
		}
		if c.Tol > 0 && maxAbs(grad) <= c.Tol {
			t.State.Stop = "tol"
			break
		}
		step := float64(k + 1)
		bc1 := 1 - math.Pow(c.Beta1, step)
		bc2 := 1 - math.Pow(c.Beta2, step)
		for i, g := range grad {
			m[i] = c.Beta1*m[i] + (1-c.Beta1)*g
			v[i] = c.Beta2*v[i] + (1-c.Beta2)*g*g
			theta[i] -= c.LR * (m[i] / bc1) / (math.Sqrt(v[i]/bc2) + c.Eps)
		}
		t.State.Step = k + 1
		if err := t.Model.SetParams(theta); err != nil {
			return fmt.Errorf("step %d: %w", k+1, err)
		}
		if err := t.periodicCheckpoint(); err != nil {
			return err
		}
	}
	if t.State.Stop == "" {
		t.State.Stop = "steps"
		ev, err := obj.Eval(t.State.Step+1, theta, nil)
		if err != nil {
			return fmt.Errorf("final evaluation: %w", err)
		}
		if !finite(ev.Loss) {
			return &NonFiniteError{Step: t.State.Step + 1, Loss: ev.Loss, Checkpoint: t.lastCheckpoint}
		}
		if err := t.record(t.State.Step, theta, ev); err != nil {
			return err
		}
	}
	t.State.Done = true
	if err := t.Model.SetParams(theta); err != nil {
		return err
	}
	return t.checkpoint()
}

func maxAbs(xs []float64) float64 {
	var m float64
	for _, x := range xs {
		m = max(m, math.Abs(x))
	}
	return m
}

// errStepsDone stops gonum's L-BFGS after the last step has been recorded
// (gonum does not pass the iteration that reaches its own limit to the
// Recorder).
var errStepsDone = errors.New("steps done")

// lbfgsRecorder turns gonum's major iterations into steps.
type lbfgsRecorder struct {
	t     *Trainer
	ctx   context.Context
	cache *evalCache
	err   error // first failure seen by the objective
}

func (r *lbfgsRecorder) Init() error { return nil }

func (r *lbfgsRecorder) Record(loc *optimize.Location, op optimize.Operation, _ *optimize.Stats) error {
	if r.err != nil {
		return r.err
	}
	if op != optimize.MajorIteration {
		return nil
	}
	err := r.step(loc)
	if err != nil && !errors.Is(err, errStepsDone) && !errors.Is(err, ErrInterrupted) {
		r.err = err
	}
	return err
}

// step records a major iteration as the next step and checkpoints.
func (r *lbfgsRecorder) step(loc *optimize.Location) error {
	t := r.t
	t.State.Step++
	ev, err := r.cache.eval(t.State.Step+1, loc.X, false)
	if err != nil {
		return err
	}
	if err := t.record(t.State.Step, loc.X, ev); err != nil {
		return err
	}
	if err := t.Model.SetParams(loc.X); err != nil {
		return err
	}
	if t.State.Step >= t.Config.Steps {
		return errStepsDone
	}
	if err := t.periodicCheckpoint(); err != nil {
		return err
	}
	if r.ctx.Err() != nil {
		return ErrInterrupted
	}
	return nil
}

// evalCache evaluates an objective once per point for gonum, which asks
// for the value and the gradient separately.
type evalCache struct {
	obj   model.Objective
	x     []float64
	ev    model.Evaluation
	grad  []float64
	valid bool
}

func (c *evalCache) eval(step int, x []float64, needGrad bool) (model.Evaluation, error) {
	if c.valid && slices.Equal(x, c.x) && (c.grad != nil || !needGrad) {
		return c.ev, nil
	}
	var g []float64
	if needGrad {
		g = make([]float64, len(x))
	}
	ev, err := c.obj.Eval(step, x, g)
	if err != nil {
		return model.Evaluation{}, err
	}
	c.x, c.ev, c.grad, c.valid = append(c.x[:0], x...), ev, g, true
	return ev, nil
}

func (t *Trainer) runLBFGS(ctx context.Context, obj model.Objective) error {
	theta := t.Model.Params()
	cache := &evalCache{obj: obj}
	rec := &lbfgsRecorder{t: t, ctx: ctx, cache: cache}
	fail := func(err error) {
		if rec.err == nil {
			rec.err = err
		}
	}
	evalAt := func(x []float64, needGrad bool) (model.Evaluation, bool) {
		ev, err := cache.eval(t.State.Step+1, x, needGrad)
		if err != nil {
			fail(fmt.Errorf("step %d: %w", t.State.Step+1, err))
			return model.Evaluation{Loss: math.NaN()}, false
		}
		if !finite(ev.Loss) || (needGrad && !finite(cache.grad...)) {
			fail(&NonFiniteError{Step: t.State.Step + 1, Loss: ev.Loss, Checkpoint: t.lastCheckpoint})
			return ev, false
		}
		return ev, true
	}
	problem := optimize.Problem{
		Func: func(x []float64) float64 {
			ev, _ := evalAt(x, false)
			return ev.Loss
		},
		Grad: func(grad, x []float64) {
			if _, ok := evalAt(x, true); ok {
				copy(grad, cache.grad)
			} else {
				for i := range grad {
					grad[i] = math.NaN()
				}
			}
		},
	}
	if len(t.History) == 0 || t.History[len(t.History)-1].Step < t.State.Step {
		ev, ok := evalAt(theta, true)
		if !ok {
			return rec.err
		}
		if err := t.record(t.State.Step, theta, ev); err != nil {
			return err
		}
	}
	settings := &optimize.Settings{
		MajorIterations:   t.Config.Steps - t.State.Step + 1,
		GradientThreshold: t.Config.Tol, // 0: gonum's default, 1e-12
		Converger:         optimize.NeverTerminate{},
		Recorder:          rec,
	}
	res, err := optimize.Minimize(problem, theta, settings, &optimize.LBFGS{})
	switch {
	case rec.err != nil:
		return rec.err
	case errors.Is(err, ErrInterrupted):
		return t.interrupt()
	case errors.Is(err, errStepsDone):
		t.State.Stop = "steps"
	case res != nil && res.Status == optimize.GradientThreshold:
		// gonum ends at this major iteration without recording it.
		if t.History[len(t.History)-1].Step == t.State.Step && !slices.Equal(res.X, t.Model.Params()) {
			t.State.Step++
			ev, err := cache.eval(t.State.Step+1, res.X, false)
			if err != nil {
				return err
			}
			if err := t.record(t.State.Step, res.X, ev); err != nil {
				return err
			}
			if err := t.Model.SetParams(res.X); err != nil {
				return err
			}
		}
		t.State.Stop = "tol"
	case err != nil:
		t.State.Stop = "lbfgs: " + err.Error()
	case res != nil:
		t.State.Stop = "lbfgs: " + res.Status.String()
	}
	t.State.Done = true
	return t.checkpoint()
}
