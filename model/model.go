// Package model defines what every generative model in born is: the Model
// interface (log-probabilities, exact probabilities for small n, seeded
// sampling, a training Objective, JSON), the registry that reads models back
// from their JSON by kind, and the metrics of a model on data. The quantum
// circuit Born machine (bornmachine), the MPS Born machine (mpsbm) and the
// classical baselines (classical/rbm, classical/flow) implement it; the
// data and the losses on them are in package dataset.
package model

import (
	"encoding/json"
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

// Wide is implemented by models that take states wider than 64 bits (the
// MPS Born machine, MADE): a state is dataset.Words(n) words, word k
// holding bits 64k to 64k+63, as in dataset.Dataset.
type Wide interface {
	// LogProbWords returns ln p(x) for the state x.
	LogProbWords(x []uint64) (float64, error)
	// SampleWords draws shots states, one after another (Words(n) words
	// each), seeded as Sample.
	SampleWords(shots int, seed uint64) ([]uint64, error)
}

// LogProbWords returns ln p(x) of the state x (dataset.Words(n) words)
// under m: through Wide when m implements it, else through LogProb for
// n <= 64.
func LogProbWords(m Model, x []uint64) (float64, error) {
	if w, ok := m.(Wide); ok {
		return w.LogProbWords(x)
	}
	if m.NumBits() > dataset.MaxBits {
		return 0, fmt.Errorf("%s model on %d bits has no log-probabilities of wide states", m.Kind(), m.NumBits())
	}
	return m.LogProb(x[0])
}

// SampleWords draws shots states from m, dataset.Words(n) words each: through
// Wide when m implements it, else through Sample.
func SampleWords(m Model, shots int, seed uint64) ([]uint64, error) {
	if w, ok := m.(Wide); ok {
		return w.SampleWords(shots, seed)
	}
	if m.NumBits() > dataset.MaxBits {
		return nil, fmt.Errorf("%s model on %d bits cannot sample wide states", m.Kind(), m.NumBits())
	}
	return m.Sample(shots, seed)
}

// SkippedNote says why the metrics of wide data leave out KL, valid mass
// and MMD.
const SkippedNote = "KL, valid mass and MMD need the full distribution (at most 24 bits); only the NLL is reported"

// Metrics are a model's figures of merit on its data. Above
// dataset.MaxExactBits bits, KL and ValidMass are NaN (skipped, and left out
// of the JSON) and Skipped says so.
type Metrics struct {
	KL        float64  `json:"kl"`         // KL(data || model), nats
	NLL       float64  `json:"nll"`        // -sum pi ln p, nats
	ValidMass float64  `json:"valid_mass"` // model mass on the data's support
	MMD       *float64 `json:"mmd,omitempty"`
	// TestNLL is the NLL on the held-out test data (nil: no test set).
	TestNLL *float64 `json:"test_nll,omitempty"`
	// NLLErr and TestNLLErr are the standard errors of NLL and TestNLL
	// when they rest on an estimate of ln Z (an RBM's AIS), else 0.
	NLLErr     float64 `json:"nll_err,omitempty"`
	TestNLLErr float64 `json:"test_nll_err,omitempty"`
	// Skipped names the metrics left out and why ("" if none).
	Skipped string `json:"skipped,omitempty"`
}

type metricsJSON struct {
	KL         *float64 `json:"kl,omitempty"`
	NLL        float64  `json:"nll"`
	ValidMass  *float64 `json:"valid_mass,omitempty"`
	MMD        *float64 `json:"mmd,omitempty"`
	TestNLL    *float64 `json:"test_nll,omitempty"`
	NLLErr     float64  `json:"nll_err,omitempty"`
	TestNLLErr float64  `json:"test_nll_err,omitempty"`
	Skipped    string   `json:"skipped,omitempty"`
}

func finiteOrNil(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}

func orNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// MarshalJSON leaves out the skipped (NaN) metrics.
func (m Metrics) MarshalJSON() ([]byte, error) {
	return json.Marshal(metricsJSON{KL: finiteOrNil(m.KL), NLL: m.NLL, ValidMass: finiteOrNil(m.ValidMass), MMD: m.MMD,
		TestNLL: m.TestNLL, NLLErr: m.NLLErr, TestNLLErr: m.TestNLLErr, Skipped: m.Skipped})
}

// UnmarshalJSON reads metrics written by MarshalJSON; absent KL and valid
// mass read as NaN.
func (m *Metrics) UnmarshalJSON(b []byte) error {
	var j metricsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*m = Metrics{KL: orNaN(j.KL), NLL: j.NLL, ValidMass: orNaN(j.ValidMass), MMD: j.MMD, TestNLL: j.TestNLL,
		NLLErr: j.NLLErr, TestNLLErr: j.TestNLLErr, Skipped: j.Skipped}
	return nil
}

// Evaluate returns the metrics of model m on data; with a kernel it adds the
// exact squared MMD. Up to dataset.MaxExactBits bits they come from the
// full distribution; above, the NLL is -sum pi ln p(x) over the data's
// states (LogProbWords) and the metrics that need the full distribution
// are NaN, with Skipped saying so.
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
	nll, err := NLL(m, data)
	if err != nil {
		return nil, err
	}
	return &Metrics{KL: math.NaN(), NLL: nll, ValidMass: math.NaN(), Skipped: SkippedNote}, nil
}

// NLL returns -sum_x pi(x) ln p(x) over the data's states, each ln p
// floored at ln 1e-300 (dataset.LogFloor).
func NLL(m Model, data *dataset.Dataset) (float64, error) {
	if m.NumBits() != data.Bits {
		return 0, fmt.Errorf("the model has %d bits, the data %d", m.NumBits(), data.Bits)
	}
	var nll float64
	for i := range data.Len() {
		lp, err := LogProbWords(m, data.State(i))
		if err != nil {
			return 0, err
		}
		nll -= data.Probs[i] * max(lp, dataset.LogFloor(0))
	}
	return nll, nil
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
