package rbm

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"born/classical/internal/par"
	"born/dataset"
	"born/model"
)

// Kind is the model kind of RBMs in model files.
const Kind = "rbm"

// MaxExactLayer is the largest size of the smaller layer for which ln Z,
// the likelihood gradient and sampling are exact.
const MaxExactLayer = 20

// MaxHidden is the largest number of hidden units.
const MaxHidden = 1 << 16

var _ model.Model = (*RBM)(nil)

func init() {
	model.Register(Kind, func(raw []byte) (model.Model, error) { return Load(raw) })
}

// RBM is a binary restricted Boltzmann machine with n visible and H hidden
// units. It implements model.Model. An RBM is not safe for
// concurrent use.
type RBM struct {
	n, h  int
	theta []float64

	// PCD configures training when the exact gradient is out of reach.
	PCD PCDConfig
	// Gibbs configures sampling when exact sampling is out of reach.
	Gibbs GibbsConfig
	// AIS configures the estimate of ln Z when it cannot be computed
	// exactly.
	AIS AISConfig

	lz *LogZ // ln Z at theta, once computed
}

// New returns an RBM with the given numbers of visible and hidden units
// and all parameters 0.
func New(visible, hidden int) (*RBM, error) {
	if visible < 1 || visible > dataset.MaxBits {
		return nil, fmt.Errorf("rbm: %d visible units; the data width must be 1 to %d bits", visible, dataset.MaxBits)
	}
	if hidden < 1 || hidden > MaxHidden {
		return nil, fmt.Errorf("rbm: %d hidden units; use 1 to %d, as in rbm:16", hidden, MaxHidden)
	}
	return &RBM{n: visible, h: hidden, theta: make([]float64, visible*hidden+visible+hidden),
		PCD: DefaultPCD(), Gibbs: DefaultGibbs(), AIS: DefaultAIS()}, nil
}

// Init draws W from N(0, scale^2) with PCG seeded by seed, sets the
// visible biases to the log-odds of each bit in data (clipped to +-5; 0
// when data is nil) and the hidden biases to 0.
func (m *RBM) Init(seed uint64, scale float64, data *dataset.Dataset) error {
	if !(scale >= 0) || math.IsInf(scale, 0) {
		return fmt.Errorf("rbm: initial weight scale %g must be a finite number >= 0", scale)
	}
	if data != nil {
		if err := m.checkData(data); err != nil {
			return err
		}
	}
	t := m.net(m.theta)
	rng := rand.New(rand.NewPCG(seed, par.Stream(tagInit)))
	for i := range t.w {
		t.w[i] = scale * rng.NormFloat64()
	}
	clear(t.a)
	clear(t.b)
	if data != nil {
		for i := range m.n {
			var p float64
			for k, x := range data.States {
				p += data.Probs[k] * float64(x>>uint(i)&1)
			}
			t.a[i] = max(-5, min(5, math.Log(p)-math.Log1p(-p)))
		}
	}
	m.lz = nil
	return nil
}

// Kind returns "rbm".
func (m *RBM) Kind() string { return Kind }

// NumBits returns the number of visible units.
func (m *RBM) NumBits() int { return m.n }

// NumHidden returns the number of hidden units.
func (m *RBM) NumHidden() int { return m.h }

// NumParams returns nH + n + H.
func (m *RBM) NumParams() int { return len(m.theta) }

// Params returns a copy of the parameters: W row by row, a, b.
func (m *RBM) Params() []float64 { return append([]float64(nil), m.theta...) }

// SetParams sets the parameters (W row by row, a, b).
func (m *RBM) SetParams(theta []float64) error {
	if err := checkParams(len(m.theta), theta); err != nil {
		return err
	}
	copy(m.theta, theta)
	m.lz = nil
	return nil
}

func checkParams(want int, theta []float64) error {
	if len(theta) != want {
		return fmt.Errorf("rbm: %d parameters given, the model has %d", len(theta), want)
	}
	for i, v := range theta {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("rbm: parameter %d is %v; parameters must be finite", i, v)
		}
	}
	return nil
}

// Weight returns W_ij, the coupling of visible unit i and hidden unit j.
func (m *RBM) Weight(i, j int) float64 { return m.theta[i*m.h+j] }

// FreeEnergy returns F(x) = -a.x - sum_j softplus(b_j + sum_i x_i W_ij),
// so that p(x) = exp(-F(x))/Z.
func (m *RBM) FreeEnergy(x uint64) (float64, error) {
	if err := m.checkState(x); err != nil {
		return 0, err
	}
	return -m.net(m.theta).negF(x, make([]float64, m.h)), nil
}

func (m *RBM) checkState(x uint64) error {
	if m.n < 64 && x>>uint(m.n) != 0 {
		return fmt.Errorf("rbm: state %d does not fit in %d bits", x, m.n)
	}
	return nil
}

// Exact reports whether ln Z, the likelihood gradient and sampling are
// exact: min(n, H) <= MaxExactLayer.
func (m *RBM) Exact() bool { return min(m.n, m.h) <= MaxExactLayer }

// LogZ is ln Z, exact or estimated.
type LogZ struct {
	Value float64 // ln Z, or its estimate
	// Exact is true when Value is exact; then StdErr is 0 and Lo = Hi =
	// Value.
	Exact bool
	// StdErr is the standard error of an estimate (delta method on the
	// mean importance weight).
	StdErr float64
	// Lo and Hi bracket ln Z: ln of the mean importance weight -+ 3
	// standard errors (Lo is -Inf when that interval reaches 0).
	Lo, Hi float64
	// Method is "exact" or "ais".
	Method string
}

// LogZ returns ln Z: exact when Exact() or n <= dataset.MaxExactBits
// (the visible layer is enumerated), else an AIS estimate with the
// settings in m.AIS. The result is kept until the parameters change.
func (m *RBM) LogZ() (LogZ, error) {
	if m.lz != nil {
		return *m.lz, nil
	}
	var lz LogZ
	t := m.net(m.theta)
	switch {
	case m.Exact():
		v, err := t.exactLogZ(nil, nil, 0)
		if err != nil {
			return LogZ{}, err
		}
		lz = exactLZ(v)
	case m.n <= dataset.MaxExactBits:
		_, v := t.visibleEnum(0)
		lz = exactLZ(v)
	default:
		var err error
		if lz, err = m.EstimateLogZ(m.AIS); err != nil {
			return LogZ{}, err
		}
	}
	m.lz = &lz
	return lz, nil
}

func exactLZ(v float64) LogZ { return LogZ{Value: v, Exact: true, Lo: v, Hi: v, Method: "exact"} }

// LogProb returns ln p(x) = -F(x) - ln Z. ln Z is exact or an AIS
// estimate, as LogZ says.
func (m *RBM) LogProb(x uint64) (float64, error) {
	if err := m.checkState(x); err != nil {
		return 0, err
	}
	lz, err := m.LogZ()
	if err != nil {
		return 0, err
	}
	return m.net(m.theta).negF(x, make([]float64, m.h)) - lz.Value, nil
}

// Probabilities returns p(x) for all 2^n states, exactly normalised (n <=
// dataset.MaxExactBits).
func (m *RBM) Probabilities() ([]float64, error) {
	if m.n > dataset.MaxExactBits {
		return nil, fmt.Errorf("rbm: %d visible units; the full distribution needs at most %d", m.n, dataset.MaxExactBits)
	}
	p, lz := m.net(m.theta).visibleEnum(0)
	for i := range p {
		p[i] = math.Exp(p[i] - lz)
	}
	if m.lz == nil {
		l := exactLZ(lz)
		m.lz = &l
	}
	return p, nil
}

// rbmJSON is an RBM in a model file.
type rbmJSON struct {
	Visible     int         `json:"visible"`
	Hidden      int         `json:"hidden"`
	Weights     [][]float64 `json:"weights"` // visible i, hidden j
	VisibleBias []float64   `json:"visible_bias"`
	HiddenBias  []float64   `json:"hidden_bias"`
}

// MarshalJSON returns {"visible", "hidden", "weights" (n rows of H),
// "visible_bias", "hidden_bias"}. Numbers are written so that Load reads
// back the same bits.
func (m *RBM) MarshalJSON() ([]byte, error) {
	t := m.net(m.theta)
	j := rbmJSON{Visible: m.n, Hidden: m.h, VisibleBias: t.a, HiddenBias: t.b, Weights: make([][]float64, m.n)}
	for i := range m.n {
		j.Weights[i] = t.w[i*m.h : (i+1)*m.h]
	}
	return json.Marshal(j)
}

// Load reads an RBM written by MarshalJSON.
func Load(raw []byte) (*RBM, error) {
	var j rbmJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, fmt.Errorf("rbm: %v", err)
	}
	m, err := New(j.Visible, j.Hidden)
	if err != nil {
		return nil, err
	}
	if len(j.Weights) != m.n || len(j.VisibleBias) != m.n || len(j.HiddenBias) != m.h {
		return nil, fmt.Errorf("rbm: the file has %d weight rows, %d visible and %d hidden biases for %d visible and %d hidden units", len(j.Weights), len(j.VisibleBias), len(j.HiddenBias), m.n, m.h)
	}
	theta := make([]float64, 0, len(m.theta))
	for i, row := range j.Weights {
		if len(row) != m.h {
			return nil, fmt.Errorf("rbm: weight row %d has %d entries, want %d", i, len(row), m.h)
		}
		theta = append(theta, row...)
	}
	theta = append(append(theta, j.VisibleBias...), j.HiddenBias...)
	if err := m.SetParams(theta); err != nil {
		return nil, err
	}
	return m, nil
}

// Random stream tags.
const (
	tagInit = iota + 1
	tagSample
	tagGibbs
	tagPCD
	tagPCDInit
	tagAIS
)
