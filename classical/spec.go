package classical

import (
	"fmt"
	"strconv"
	"strings"

	"born/classical/flow"
	"born/classical/rbm"
	"born/dataset"
	"born/model"
)

// Spec names a classical baseline: its kind (rbm or flow) and number of
// hidden units.
type Spec struct {
	Kind   string // rbm.Kind or flow.Kind
	Hidden int
}

// Kinds are the baseline kinds ParseSpec knows.
var Kinds = []string{rbm.Kind, flow.Kind}

// ParseSpec reads "rbm:H" or "flow:H" (H hidden units, at least 1).
func ParseSpec(s string) (Spec, error) {
	kind, arg, ok := strings.Cut(s, ":")
	if kind != rbm.Kind && kind != flow.Kind {
		return Spec{}, fmt.Errorf("unknown classical model %q: use rbm:H or flow:H with H hidden units, as in rbm:16", s)
	}
	h, err := strconv.Atoi(arg)
	if !ok || err != nil {
		return Spec{}, fmt.Errorf("model %q: give the number of hidden units, as in %s:16", s, kind)
	}
	if h < 1 {
		return Spec{}, fmt.Errorf("model %q: %d hidden units; need at least 1, as in %s:16", s, h, kind)
	}
	return Spec{Kind: kind, Hidden: h}, nil
}

// String returns "kind:H".
func (s Spec) String() string { return fmt.Sprintf("%s:%d", s.Kind, s.Hidden) }

// Settings are the training settings of a baseline.
type Settings struct {
	// Loss is nll (default), kl or mmd; Sigmas are the MMD bandwidths.
	Loss   string
	Sigmas []float64
	// Grad is the gradient method: "" (exact where tractable; the RBM
	// falls back to PCD and Result.Note says so), exact, or pcd (rbm only).
	Grad string
	// LR, Beta1, Beta2, Eps and Steps configure Adam.
	LR, Beta1, Beta2, Eps float64
	Steps                 int
	// Seed seeds the initial parameters and any sampling (PCD chains).
	Seed uint64
	// InitScale is the standard deviation of the RBM's initial weights
	// (0: 0.01; the weights must not all start equal, or the hidden units
	// never become different).
	InitScale float64
	// Workers bounds the goroutines of a gradient (0: GOMAXPROCS); it
	// never changes the result.
	Workers int
	// AIS estimates ln Z for the final metrics of an RBM too large for the
	// exact one (min(n, H) > 20 and n > 24); zero: rbm.DefaultAIS(). The
	// per-step history of such an RBM uses a cheaper estimate (50 runs,
	// 200 temperatures).
	AIS rbm.AISConfig
}

// DefaultSettings returns the settings of the baseline anchors for kind:
// rbm: Adam lr 0.05, 5000 steps, initial weights N(0, 0.01^2); flow: Adam
// lr 0.01, 500 steps. Both minimise the NLL, seed 1.
func DefaultSettings(kind string) Settings {
	s := Settings{Loss: dataset.LossNLL, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Seed: 1}
	switch kind {
	case rbm.Kind:
		s.LR, s.Steps, s.InitScale = 0.05, 5000, 0.01
	default:
		s.LR, s.Steps = 0.01, 500
	}
	return s
}

// PCDLR is the Adam step size of an RBM trained by PCD (its smaller layer
// too large for the exact gradient). The exact-gradient default, 0.05,
// leaves rbm:64 on the 64-bit digits no better than independent pixels
// (test NLL 25.1 nats after 5000 steps; 25.05 for independent pixels);
// 0.01 reaches 21.0, 0.002 18.4 and 0.001 18.8 (seed 1, split seed 1).
const PCDLR = 0.002

// DefaultSettingsFor returns DefaultSettings(spec.Kind) for data of bits
// bits, with the step size PCDLR for an RBM whose smaller layer is too
// large for the exact gradient (more than rbm.MaxExactLayer units).
func DefaultSettingsFor(spec Spec, bits int) Settings {
	s := DefaultSettings(spec.Kind)
	if spec.Kind == rbm.Kind && min(bits, spec.Hidden) > rbm.MaxExactLayer {
		s.LR = PCDLR
	}
	return s
}

// NewModel returns the baseline spec names for data, initialised from
// seed: rbm.RBM.Init or flow.MADE.Init (both take bias terms from the
// data's bit means).
func NewModel(spec Spec, data *dataset.Dataset, set Settings) (model.Model, error) {
	if data == nil {
		return nil, fmt.Errorf("%s: no data", spec)
	}
	switch spec.Kind {
	case rbm.Kind:
		m, err := rbm.New(data.Bits, spec.Hidden)
		if err != nil {
			return nil, err
		}
		scale := set.InitScale
		if scale == 0 {
			scale = 0.01
		}
		if err := m.Init(set.Seed, scale, data); err != nil {
			return nil, err
		}
		return m, nil
	case flow.Kind:
		m, err := flow.New(data.Bits, spec.Hidden)
		if err != nil {
			return nil, err
		}
		if err := m.Init(set.Seed, data); err != nil {
			return nil, err
		}
		return m, nil
	}
	return nil, fmt.Errorf("unknown classical model kind %q: use rbm or flow", spec.Kind)
}
