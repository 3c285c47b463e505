package bornmachine

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"born/dataset"
	"born/internal/atomicfile"
	"born/internal/setting"
	"born/internal/suggest"
	"born/model"
	"born/qasm"
)

// RunSpec is everything that defines a training run; model.json keeps it
// under "settings" so that a run can be resumed or repeated.
type RunSpec struct {
	Data string `json:"data"` // dataset specification (dataset.ParseDataset)
	// TestFraction is the share of the data points held out as a test set
	// (dataset.Load); 0: none.
	TestFraction float64 `json:"test_fraction,omitempty"`
	// SplitSeed seeds the choice of the test set.
	SplitSeed uint64 `json:"split_seed,omitempty"`
	Ansatz    string `json:"ansatz,omitempty"`  // ansatz specification (ParseAnsatz), as given
	Circuit   string `json:"circuit,omitempty"` // or an OpenQASM file whose inputs are the parameters
	// Model names a model of a registered builder instead of a circuit
	// (RegisterBuilder), as in mps:16.
	Model     string    `json:"model,omitempty"`
	Cutoff    float64   `json:"cutoff,omitempty"` // relative singular-value cutoff of tensor-network models (0: their default)
	Init      string    `json:"init,omitempty"`   // file of initial parameters, or marginals (Ansatz.MarginalParams); "" draws them from Seed
	Engine    string    `json:"engine"`           // statevector, mps or mps:CHI (EngineByName)
	Loss      string    `json:"loss"`             // mmd, kl or nll
	Sigmas    []float64 `json:"sigmas,omitempty"` // MMD bandwidths
	Grad      string    `json:"grad"`             // shift or adjoint
	Shots     int       `json:"shots"`            // 0: exact probabilities
	Optimizer string    `json:"optimizer"`        // adam or lbfgs
	LR        float64   `json:"lr"`
	Beta1     float64   `json:"beta1"`
	Beta2     float64   `json:"beta2"`
	Eps       float64   `json:"eps"`
	Steps     int       `json:"steps"`
	Tol       float64   `json:"tol"`
	Seed      uint64    `json:"seed"`
	// CheckpointEvery is the number of steps between checkpoints.
	CheckpointEvery int `json:"checkpoint_every"`
}

// DefaultRunSpec returns the settings of `born train` without flags: the
// reference code's demo, BAS 2x3 on a depth-7 QCBM (132 parameters), with
// the paper's kernel and Adam settings.
func DefaultRunSpec() RunSpec {
	return RunSpec{
		Data: "bas:2x3", Ansatz: "qcbm:7", Engine: StateVector.Name(),
		Loss: dataset.LossMMD, Sigmas: []float64{0.5, 1, 2, 4}, Grad: GradShift,
		Optimizer: OptAdam, LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8,
		Steps: 500, Seed: 1, SplitSeed: 1, CheckpointEvery: 10,
	}
}

// TrainConfig returns the trainer settings of the run; workers bounds the
// gradient's goroutines (0: all cores).
func (s *RunSpec) TrainConfig(workers int) TrainConfig {
	return TrainConfig{
		ObjectiveConfig: model.ObjectiveConfig{Loss: s.Loss, Sigmas: s.Sigmas, Grad: s.Grad, Shots: s.Shots, Seed: s.Seed, Workers: workers},
		Optimizer:       s.Optimizer, LR: s.LR, Beta1: s.Beta1, Beta2: s.Beta2, Eps: s.Eps,
		Steps: s.Steps, Tol: s.Tol, CheckpointEvery: s.CheckpointEvery,
	}
}

// Validate checks the settings that do not need the data or the model.
func (s *RunSpec) Validate() error {
	cfg := s.TrainConfig(0)
	if err := cfg.Validate(); err != nil {
		return err
	}
	switch {
	case s.Model != "" && (s.Ansatz != "" || s.Circuit != ""):
		return setting.Errorf("give a {model} or a circuit ({ansatz} or {circuit}), not both")
	case s.Model == "" && (s.Ansatz == "") == (s.Circuit == ""):
		return setting.Errorf("give either an ansatz ({ansatz}) or a circuit file ({circuit}), not both")
	}
	if !(s.Cutoff >= 0) || math.IsInf(s.Cutoff, 0) {
		return setting.Errorf("{cutoff} %g: must be a finite number >= 0", s.Cutoff)
	}
	if s.Model == "" && s.Optimizer == OptSweep {
		return setting.Errorf("{optimizer} sweep is for tensor-network models ({model} mps:CHI); circuits train with adam or lbfgs")
	}
	if s.Model != "" {
		if s.Grad != "" {
			return setting.Errorf("{grad} is for circuits: the %s model computes its own exact gradients", s.Model)
		}
		if s.Shots != 0 {
			return setting.Errorf("{shots} is for circuits: the %s model trains on exact likelihoods", s.Model)
		}
	}
	switch s.Loss {
	case dataset.LossMMD:
		if len(s.Sigmas) == 0 {
			return setting.Errorf("{sigmas} is empty: the mmd loss needs positive bandwidths, as in {sigmas} 0.5,1,2,4")
		}
		for _, v := range s.Sigmas {
			if !(v > 0) || math.IsInf(v, 0) {
				return setting.Errorf("{sigmas}: %g is not a finite positive bandwidth", v)
			}
		}
	case dataset.LossKL, dataset.LossNLL:
	default:
		return fmt.Errorf("unknown loss %q: use mmd, kl or nll", s.Loss)
	}
	if s.Model == "" && s.Grad != GradShift && s.Grad != GradAdjoint {
		return fmt.Errorf("unknown gradient %q: use shift or adjoint", s.Grad)
	}
	if s.Shots < 0 || s.Shots == 1 {
		return setting.Errorf("{shots} %d: use 0 for exact probabilities or at least 2", s.Shots)
	}
	if s.Shots > 0 && s.Loss != dataset.LossMMD {
		return setting.Errorf("{shots} needs {loss} mmd: %s has no unbiased estimate from samples", s.Loss)
	}
	if s.Shots > 0 && s.Grad == GradAdjoint {
		return setting.Errorf("{grad} adjoint is exact and takes no {shots}; use {grad} shift with {shots}")
	}
	return nil
}

// Run is a training run kept in a directory: model.json (the model, its
// data, the settings, the training state and the final metrics) and
// history.csv (one row per step).
type Run struct {
	Dir  string
	Spec RunSpec
	Data *dataset.Dataset
	// Test is the held-out data (nil without a test fraction).
	Test    *dataset.Dataset
	Model   model.Model
	State   TrainState
	History []Record
	Metrics *model.Metrics // after training
	// Program is born's version, recorded in model.json.
	Program string
	// Warnings are the OpenQASM reader's warnings about Spec.Circuit.
	Warnings []string
}

// Files of a run directory.
const (
	ModelFileName   = "model.json"
	HistoryFileName = "history.csv"
)

// Builder builds the initial model of a run whose RunSpec.Model names it,
// with its initial parameters drawn from spec.Seed.
type Builder func(spec *RunSpec, data *dataset.Dataset) (model.Model, error)

var (
	buildersMu sync.RWMutex
	builders   = map[string]Builder{}
)

// RegisterBuilder makes NewRun able to build models named kind:ARGS in
// RunSpec.Model (package mpsbm registers mps).
func RegisterBuilder(kind string, b Builder) {
	buildersMu.Lock()
	defer buildersMu.Unlock()
	builders[kind] = b
}

// buildModel builds the model spec.Model names.
func buildModel(spec *RunSpec, data *dataset.Dataset) (model.Model, error) {
	kind, _, _ := strings.Cut(spec.Model, ":")
	buildersMu.RLock()
	b := builders[kind]
	known := slices.Sorted(maps.Keys(builders))
	buildersMu.RUnlock()
	if b == nil {
		return nil, fmt.Errorf("unknown model %q%s (known kinds: %s)", spec.Model, suggest.DidYouMean(kind, known), strings.Join(known, ", "))
	}
	return b(spec, data)
}

// ErrRunExists is NewRun's error for a folder that holds a run already:
// open it with OpenRun to continue it.
var ErrRunExists = errors.New("already holds a run")

// NewRun prepares a new run in dir (created if needed; it must not hold a
// run already): it reads the data, builds the model and draws or reads its
// initial parameters, and writes the initial checkpoint.
func NewRun(dir string, spec RunSpec, program string) (*Run, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, ModelFileName)); err == nil {
		return nil, fmt.Errorf("%s: %w", dir, ErrRunExists)
	}
	data, test, err := dataset.Load(spec.Data, spec.TestFraction, spec.SplitSeed)
	if err != nil {
		return nil, err
	}
	if spec.Model != "" {
		if spec.Init != "" {
			return nil, setting.Errorf("{init} is for circuits: the %s model draws its initial tensors from {seed}", spec.Model)
		}
		m, err := buildModel(&spec, data)
		if err != nil {
			return nil, err
		}
		return startRun(dir, spec, data, test, m, program, nil)
	}
	eng, err := EngineByName(spec.Engine)
	if err != nil {
		return nil, err
	}
	var m *QCBM
	var warnings []string
	var theta []float64
	if spec.Circuit != "" {
		if spec.Init == InitMarginals {
			return nil, setting.Errorf("{init} %s sets the layers of an {ansatz}; give a circuit's initial parameters in a file", InitMarginals)
		}
		src, err := qasm.ReadSource(spec.Circuit, 0)
		if err != nil {
			return nil, setting.Errorf("{circuit}: %w", err)
		}
		if m, warnings, err = NewQCBMFromQASM(spec.Circuit, src, eng); err != nil {
			return nil, err
		}
	} else {
		a, err := ParseAnsatz(spec.Ansatz, data.Bits, data)
		if err != nil {
			return nil, err
		}
		if m, err = NewAnsatzQCBM(a, eng); err != nil {
			return nil, err
		}
		if spec.Init == InitMarginals {
			if theta, err = a.MarginalParams(data, spec.Seed); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case theta != nil:
		if err := m.SetParams(theta); err != nil {
			return nil, err
		}
	case spec.Init != "":
		theta, err := ReadParams(spec.Init)
		if err != nil {
			return nil, setting.Errorf("{init}: %w", err)
		}
		if err := m.SetParams(theta); err != nil {
			return nil, setting.Errorf("{init} %s: %v", spec.Init, err)
		}
	default:
		m.RandomizeParams(spec.Seed)
	}
	return startRun(dir, spec, data, test, m, program, warnings)
}

// startRun checks the configuration and writes the initial checkpoint.
func startRun(dir string, spec RunSpec, data, test *dataset.Dataset, m model.Model, program string, warnings []string) (*Run, error) {
	r := &Run{Dir: dir, Spec: spec, Data: data, Test: test, Model: m, Program: program, Warnings: warnings}
	// Check the whole configuration before writing anything.
	if _, err := m.Objective(data, spec.TrainConfig(0).ObjectiveConfig); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := r.Save(); err != nil {
		return nil, err
	}
	return r, nil
}

// ReadParams reads parameters from a JSON file: a born model file, an
// object with a "params" array, or a bare array of numbers.
func ReadParams(path string) ([]float64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var probe struct {
		Format string    `json:"format"`
		Params []float64 `json:"params"`
	}
	if err := json.Unmarshal(b, &probe); err == nil {
		if probe.Format == FileFormat {
			_, m, err := DecodeModelFile(bytes.NewReader(b))
			if err != nil {
				return nil, fmt.Errorf("%s: %v", path, err)
			}
			return m.Params(), nil
		}
		if probe.Params != nil {
			return probe.Params, nil
		}
	}
	var arr []float64
	if err := json.Unmarshal(b, &arr); err != nil {
		return nil, fmt.Errorf("%s: want a born model file, {\"params\": [...]} or an array of numbers", path)
	}
	return arr, nil
}

// OpenRun reads the run in dir, to resume or inspect it; its model kind
// must be linked (see ReadModelFile; models.OpenRun links every kind).
func OpenRun(dir string) (*Run, error) {
	if _, err := os.Stat(filepath.Join(dir, ModelFileName)); errors.Is(err, os.ErrNotExist) {
		if _, derr := os.Stat(dir); derr == nil {
			return nil, setting.Errorf("%s holds no %s: the run never saved its first checkpoint (stopped at start-up?); start it again with {out} %s and its settings", dir, ModelFileName, dir)
		}
	}
	mf, m, err := ReadModelFile(filepath.Join(dir, ModelFileName))
	if err != nil {
		return nil, err
	}
	if mf.Settings == nil || mf.Data == nil || mf.Train == nil {
		return nil, fmt.Errorf("%s: not a training run (no settings, data or training state)", filepath.Join(dir, ModelFileName))
	}
	data, test, err := dataset.Load(mf.Data.Spec, mf.Settings.TestFraction, mf.Settings.SplitSeed)
	if err != nil {
		return nil, fmt.Errorf("the run's data: %w", err)
	}
	if data.Digest != mf.Data.Digest {
		return nil, fmt.Errorf("the data file %s changed since the run started (its SHA-256 differs); restore it to resume", strings.TrimPrefix(mf.Data.Spec, "file:"))
	}
	r := &Run{Dir: dir, Spec: *mf.Settings, Data: data, Test: test, Model: m, State: *mf.Train, Metrics: mf.Metrics}
	if v, ok := mf.Versions["born"]; ok {
		r.Program = v
	}
	f, err := os.Open(filepath.Join(dir, HistoryFileName))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := ReadHistory(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, HistoryFileName), err)
	}
	// Rows after the checkpoint's step (history.csv is written first, so a
	// crash between the two files leaves them) are dropped; the training
	// recomputes them. The row of the checkpoint's step itself, where
	// there is one (sweeps, L-BFGS, a finished run), was taken at the
	// checkpoint's parameters and is kept as it is.
	for len(h) > 0 && h[len(h)-1].Step > r.State.Step {
		h = h[:len(h)-1]
	}
	r.History = h
	return r, nil
}

// Train trains the run to Spec.Steps, checkpointing into Dir; onRecord (may
// be nil) sees every history row. See Trainer.Run for the errors.
func (r *Run) Train(ctx context.Context, workers int, onRecord func(Record)) error {
	t := &Trainer{Model: r.Model, Data: r.Data, Test: r.Test, Config: r.Spec.TrainConfig(workers), State: r.State, History: r.History, OnRecord: onRecord}
	t.OnCheckpoint = func() error {
		r.State, r.History = t.State, t.History
		return r.Save()
	}
	err := t.Run(ctx)
	if err != nil {
		return err
	}
	r.State, r.History = t.State, t.History
	k, kerr := dataset.NewKernel(r.Data.Bits, r.Data.Metric, r.Spec.Sigmas)
	if kerr != nil || r.Data.Bits > dataset.MaxExactBits {
		k = nil
	}
	if r.Metrics, err = model.Evaluate(r.Model, r.Data, k); err != nil {
		return err
	}
	if r.Test != nil {
		v, err := model.NLL(r.Model, r.Test)
		if err != nil {
			return err
		}
		r.Metrics.TestNLL = &v
	}
	return r.Save()
}

// Save writes history.csv and then model.json, each atomically
// (WriteModelDir).
func (r *Run) Save() error {
	mf, err := NewModelFile(r.Model)
	if err != nil {
		return err
	}
	spec, st := r.Spec, r.State
	mf.Settings, mf.Train, mf.Data, mf.Metrics = &spec, &st, r.Data.Info(r.Test), r.Metrics
	mf.Versions = Versions(r.Program)
	return WriteModelDir(r.Dir, mf, r.History)
}

// WriteModelDir writes a model's history to history.csv and then its file
// record to model.json (indented JSON) in dir, each atomically. A crash
// between the two leaves a history that may run past the model's step,
// which OpenRun cuts back.
func WriteModelDir(dir string, mf *ModelFile, history []Record) error {
	if err := atomicfile.Write(filepath.Join(dir, HistoryFileName), func(w io.Writer) error {
		return WriteHistory(w, history)
	}); err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, ModelFileName), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(mf)
	})
}

// WriteFileAtomic writes a file through write to a temporary name in the
// same directory and renames it into place, so that readers see the old or
// the new contents, never a part. It is internal/atomicfile's Write, for
// programs outside module born.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	return atomicfile.Write(path, write)
}

// historyHeader is the header of history.csv; files without its last
// column (test_nll) read too.
var historyHeader = []string{"step", "loss", "kl", "valid_mass", "wall_seconds", "test_nll"}

// WriteHistory writes a history as CSV with the columns step, loss, kl,
// valid_mass (the model's mass on the data's support: the valid patterns
// for bas), wall_seconds and test_nll (the NLL on the test data). A metric
// not measured (KL and valid mass above 24 bits, test_nll without a test
// set) is NaN. Numbers are written so that they read back exactly.
func WriteHistory(w io.Writer, h []Record) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(historyHeader); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, r := range h {
		if err := cw.Write([]string{strconv.Itoa(r.Step), f(r.Loss), f(r.KL), f(r.ValidMass), f(r.Wall), f(r.TestNLL)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadHistory reads a history written by WriteHistory.
func ReadHistory(rd io.Reader) ([]Record, error) {
	cr := csv.NewReader(rd)
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	old := historyHeader[:len(historyHeader)-1]
	if len(rows) == 0 || (strings.Join(rows[0], ",") != strings.Join(historyHeader, ",") && strings.Join(rows[0], ",") != strings.Join(old, ",")) {
		return nil, errors.New("not a training history: the header must be " + strings.Join(historyHeader, ","))
	}
	var out []Record
	for i, row := range rows[1:] {
		r := Record{TestNLL: math.NaN()}
		var err error
		if r.Step, err = strconv.Atoi(row[0]); err != nil {
			return nil, fmt.Errorf("line %d: %v", i+2, err)
		}
		vals := []*float64{&r.Loss, &r.KL, &r.ValidMass, &r.Wall, &r.TestNLL}[:len(row)-1]
		for j, p := range vals {
			if *p, err = strconv.ParseFloat(row[j+1], 64); err != nil {
				return nil, fmt.Errorf("line %d: %v", i+2, err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}
