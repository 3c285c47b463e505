package bornmachine

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
)

// Model is a trainable generative model of n-bit strings. The QCBM
// implements it; so do the classical and tensor-network Born machines, so
// that training, metrics, checkpoints and sampling work the same for all.
// A Model is not safe for concurrent use.
type Model interface {
	// Kind names the model type in model files ("qcbm").
	Kind() string
	// NumBits returns n, the width of the bitstrings.
	NumBits() int
	// NumParams returns the number of trainable parameters.
	NumParams() int
	// Params returns a copy of the parameters.
	Params() []float64
	// SetParams sets the parameters (NumParams values).
	SetParams(theta []float64) error
	// LogProb returns ln p(x).
	LogProb(x uint64) (float64, error)
	// Probabilities returns p(x) for all 2^n states (n <= MaxExactBits).
	Probabilities() ([]float64, error)
	// Sample draws shots states from p; the same seed gives the same
	// samples whatever the number of threads.
	Sample(shots int, seed uint64) ([]uint64, error)
	// Objective returns the training objective of the model on data.
	Objective(data *Dataset, cfg ObjectiveConfig) (Objective, error)
	// MarshalJSON returns the model's architecture and parameters; the
	// loader registered for its Kind reads them back.
	MarshalJSON() ([]byte, error)
}

// ObjectiveConfig selects what a model is trained to minimise and how its
// gradient is computed.
type ObjectiveConfig struct {
	Loss   string    // mmd, kl or nll
	Sigmas []float64 // MMD kernel bandwidths
	// Grad is the gradient method: shift or adjoint for a QCBM.
	Grad string
	// Shots > 0 estimates the loss and gradient from that many samples
	// per circuit run, as on hardware (mmd only).
	Shots int
	// Seed seeds all sampling, together with the step number.
	Seed uint64
	// Workers bounds the goroutines a gradient uses (0: GOMAXPROCS). It
	// never changes the result.
	Workers int
}

// Objective is a loss as a function of a model's parameters.
type Objective interface {
	// Eval returns the loss at theta and, if grad is not nil, writes the
	// gradient into it. step (1, 2, ...) seeds any sampling, so that an
	// evaluation is reproducible on its own.
	Eval(step int, theta, grad []float64) (Evaluation, error)
}

// Evaluation is the result of Objective.Eval.
type Evaluation struct {
	Loss float64
	// Probs is the model's exact distribution at theta when the objective
	// computed it anyway (nil otherwise); metrics use it.
	Probs []float64
}

// loaders maps a model kind to the function that reads its JSON.
var (
	loadersMu sync.RWMutex
	loaders   = map[string]func(raw []byte) (Model, error){}
)

// RegisterModel makes LoadModel able to read models of the given kind.
func RegisterModel(kind string, load func(raw []byte) (Model, error)) {
	loadersMu.Lock()
	defer loadersMu.Unlock()
	loaders[kind] = load
}

// ModelKinds returns the registered model kinds, sorted.
func ModelKinds() []string {
	loadersMu.RLock()
	defer loadersMu.RUnlock()
	return slices.Sorted(maps.Keys(loaders))
}

// FileFormat and FileVersion identify born model files.
const (
	FileFormat  = "born-model"
	FileVersion = 1
)

// ModelFile is the content of model.json: a model with the data it was
// trained on, the run's settings, the training state for resuming, the
// final metrics and the versions of the software that wrote it.
type ModelFile struct {
	Format    string            `json:"format"`  // "born-model"
	Version   int               `json:"version"` // 1
	Kind      string            `json:"kind"`    // model kind, e.g. "qcbm"
	Bits      int               `json:"bits"`
	NumParams int               `json:"num_params"`
	Model     json.RawMessage   `json:"model"` // the model's own JSON
	Data      *DataInfo         `json:"data,omitempty"`
	Settings  *RunSpec          `json:"settings,omitempty"`
	Train     *TrainState       `json:"train,omitempty"`
	Metrics   *Metrics          `json:"metrics,omitempty"`
	Versions  map[string]string `json:"versions,omitempty"`
}

// DataInfo records the data a model was trained on.
type DataInfo struct {
	Spec   string `json:"spec"`
	Bits   int    `json:"bits"`
	Rows   int    `json:"rows,omitempty"`
	Cols   int    `json:"cols,omitempty"`
	Digest string `json:"sha256,omitempty"` // of a data file
}

// Info returns the record of d for model files.
func (d *Dataset) Info() *DataInfo {
	return &DataInfo{Spec: d.Spec, Bits: d.Bits, Rows: d.Rows, Cols: d.Cols, Digest: d.Digest}
}

// NewModelFile returns the file record of m.
func NewModelFile(m Model) (*ModelFile, error) {
	raw, err := m.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return &ModelFile{Format: FileFormat, Version: FileVersion, Kind: m.Kind(), Bits: m.NumBits(),
		NumParams: m.NumParams(), Model: raw, Versions: Versions("")}, nil
}

// Versions returns the versions of born (program, "" if unknown), Go and the
// main dependencies, for model files.
func Versions(program string) map[string]string {
	v := map[string]string{"go": runtime.Version()}
	if program != "" {
		v["born"] = program
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			switch d.Path {
			case "gonum.org/v1/gonum", "gonum.org/v1/plot":
				v[d.Path] = d.Version
			}
		}
	}
	return v
}

// ReadModelFile reads a model file and its model.
func ReadModelFile(path string) (*ModelFile, Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	mf, m, err := DecodeModelFile(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return mf, m, nil
}

// DecodeModelFile reads a model file from r.
func DecodeModelFile(r io.Reader) (*ModelFile, Model, error) {
	var mf ModelFile
	dec := json.NewDecoder(r)
	if err := dec.Decode(&mf); err != nil {
		return nil, nil, fmt.Errorf("not a born model file: %v", err)
	}
	if mf.Format != FileFormat {
		return nil, nil, fmt.Errorf("not a born model file (format %q, want %q)", mf.Format, FileFormat)
	}
	if mf.Version != FileVersion {
		return nil, nil, fmt.Errorf("model file version %d; this born reads version %d", mf.Version, FileVersion)
	}
	loadersMu.RLock()
	load := loaders[mf.Kind]
	loadersMu.RUnlock()
	if load == nil {
		return nil, nil, fmt.Errorf("unknown model kind %q (known: %v)", mf.Kind, ModelKinds())
	}
	m, err := load(mf.Model)
	if err != nil {
		return nil, nil, fmt.Errorf("%s model: %w", mf.Kind, err)
	}
	if m.NumBits() != mf.Bits || m.NumParams() != mf.NumParams {
		return nil, nil, fmt.Errorf("the model has %d bits and %d parameters but the file says %d and %d", m.NumBits(), m.NumParams(), mf.Bits, mf.NumParams)
	}
	return &mf, m, nil
}

// Metrics are a model's figures of merit on its data.
type Metrics struct {
	KL        float64  `json:"kl"`         // KL(data || model), nats
	NLL       float64  `json:"nll"`        // -sum pi ln p, nats
	ValidMass float64  `json:"valid_mass"` // model mass on the data's support
	MMD       *float64 `json:"mmd,omitempty"`
}

// Evaluate returns the metrics of model m on data; with a kernel it adds the
// exact squared MMD.
func Evaluate(m Model, data *Dataset, k *Kernel) (*Metrics, error) {
	if m.NumBits() != data.Bits {
		return nil, fmt.Errorf("the model has %d bits, the data %d", m.NumBits(), data.Bits)
	}
	if m.NumBits() <= MaxExactBits {
		p, err := m.Probabilities()
		if err != nil {
			return nil, err
		}
		return metricsOf(data, p, k)
	}
	var out Metrics
	for i, x := range data.States {
		lp, err := m.LogProb(x)
		if err != nil {
			return nil, err
		}
		lp = max(lp, logFloor(0))
		out.NLL -= data.Probs[i] * lp
		out.ValidMass += math.Exp(lp)
	}
	out.KL = out.NLL - data.Entropy()
	return &out, nil
}

func metricsOf(data *Dataset, p []float64, k *Kernel) (*Metrics, error) {
	out := &Metrics{KL: KLDivergence(data, p), NLL: NLL(data, p), ValidMass: ValidMass(data, p)}
	if k != nil {
		pi, err := data.Dense()
		if err != nil {
			return nil, err
		}
		v := k.MMD(p, pi)
		out.MMD = &v
	}
	return out, nil
}
