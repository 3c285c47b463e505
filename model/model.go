// Package model defines what every generative model in born is: the Model
// interface (log-probabilities, exact probabilities for small n, seeded
// sampling, a training Objective, JSON), the registry that reads models back
// from their JSON by kind, and the metrics of a model on data. The quantum
// circuit Born machine (bornmachine), the MPS Born machine (mpsbm) and the
// classical baselines (classical/rbm, classical/flow) implement it; the
// data and the losses on them are in package dataset.
package model

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"

	"born/dataset"
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
	Objective(data *dataset.Dataset, cfg ObjectiveConfig) (Objective, error)
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

// Register makes Load able to read models of the given kind.
func Register(kind string, load func(raw []byte) (Model, error)) {
	loadersMu.Lock()
	defer loadersMu.Unlock()
	loaders[kind] = load
}

// Kinds returns the registered model kinds, sorted.
func Kinds() []string {
	loadersMu.RLock()
	defer loadersMu.RUnlock()
	return slices.Sorted(maps.Keys(loaders))
}

// Load reads the JSON of a model of the given kind with the loader
// registered for it.
func Load(kind string, raw []byte) (Model, error) {
	loadersMu.RLock()
	load := loaders[kind]
	loadersMu.RUnlock()
	if load == nil {
		return nil, fmt.Errorf("unknown model kind %q (known: %v)", kind, Kinds())
	}
	return load(raw)
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
func Evaluate(m Model, data *dataset.Dataset, k *dataset.Kernel) (*Metrics, error) {
	if m.NumBits() != data.Bits {
		return nil, fmt.Errorf("the model has %d bits, the data %d", m.NumBits(), data.Bits)
	}
	if m.NumBits() <= dataset.MaxExactBits {
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
		lp = max(lp, dataset.LogFloor(0))
		out.NLL -= data.Probs[i] * lp
		out.ValidMass += math.Exp(lp)
	}
	// Clamped to their ranges, which only rounding can leave.
	out.KL = max(out.NLL-data.Entropy(), 0)
	out.ValidMass = min(out.ValidMass, 1)
	return &out, nil
}

func metricsOf(data *dataset.Dataset, p []float64, k *dataset.Kernel) (*Metrics, error) {
	out := &Metrics{KL: dataset.KLDivergence(data, p), NLL: dataset.NLL(data, p), ValidMass: dataset.ValidMass(data, p)}
	if k != nil {
		pi, err := data.Dense()
		if err != nil {
			return nil, err
		}
		v := max(k.MMD(p, pi), 0) // a squared MMD; rounding can take it below 0
		out.MMD = &v
	}
	return out, nil
}
