package flow

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"born/classical/internal/par"
	"born/dataset"
	"born/model"
)

// Kind is the model kind of MADE flows in model files.
const Kind = "flow"

// MaxHidden is the largest number of hidden units.
const MaxHidden = 1 << 16

var (
	_ model.Model = (*MADE)(nil)
	_ model.Wide  = (*MADE)(nil)
)

func init() {
	model.Register(Kind, func(raw []byte) (model.Model, error) { return Load(raw) })
}

// MADE is a masked autoencoder for distribution estimation on n bits with
// H hidden units. It implements model.Model. A MADE is not safe for
// concurrent use.
type MADE struct {
	n, h  int
	deg   []int // hidden degrees m_k in 1..n-1
	theta []float64
	// Offsets of the parameter blocks in theta.
	oC, oW, oB, oV int
}

// New returns a MADE on bits bits (at least 2) with hidden tanh units and
// all parameters 0.
func New(bits, hidden int) (*MADE, error) {
	if bits < 2 || bits > dataset.MaxWideBits {
		return nil, fmt.Errorf("flow: %d bits; a MADE needs 2 to %d bits (one bit has no conditionals to learn)", bits, dataset.MaxWideBits)
	}
	if hidden < 1 || hidden > MaxHidden {
		return nil, fmt.Errorf("flow: %d hidden units; use 1 to %d, as in flow:16", hidden, MaxHidden)
	}
	m := &MADE{n: bits, h: hidden, deg: make([]int, hidden)}
	var su int
	for k := range m.deg {
		m.deg[k] = 1 + k%(bits-1)
		su += m.deg[k]
	}
	m.oC = su
	m.oW = m.oC + hidden
	m.oB = m.oW + bits*hidden - su
	m.oV = m.oB + bits
	m.theta = make([]float64, m.oV+bits*(bits-1)/2)
	return m, nil
}

// Init draws every weight uniformly from (-1/sqrt(fan-in), 1/sqrt(fan-in))
// (fan-in: the unit's number of inputs) with PCG seeded by seed, sets the
// hidden biases to 0 and the output biases to the log-odds of each bit's
// mean in data (clipped to +-5; 0 when data is nil).
func (m *MADE) Init(seed uint64, data *dataset.Dataset) error {
	if data != nil {
		if err := checkData(data, m.n); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(seed, par.Stream(tagInit)))
	uni := func(fan int) float64 {
		if fan == 0 {
			return 0
		}
		return (2*rng.Float64() - 1) / math.Sqrt(float64(fan))
	}
	i := 0
	for k := range m.h {
		for range m.deg[k] {
			m.theta[i] = uni(m.deg[k])
			i++
		}
	}
	clear(m.theta[m.oC:m.oW])
	i = m.oW
	for d := range m.n {
		fan := m.fanIn(d)
		for k := range m.h {
			if m.deg[k] <= d {
				m.theta[i] = uni(fan)
				i++
			}
		}
	}
	for d := range m.n {
		m.theta[m.oB+d] = 0
		if data != nil {
			var p float64
			for s := range data.Len() {
				p += data.Probs[s] * float64(data.Bit(s, d))
			}
			m.theta[m.oB+d] = max(-5, min(5, math.Log(p)-math.Log1p(-p)))
		}
	}
	i = m.oV
	for d := range m.n {
		fan := m.fanIn(d)
		for range d {
			m.theta[i] = uni(fan)
			i++
		}
	}
	return nil
}

// fanIn returns the number of inputs of output d: its hidden units and
// the d direct connections.
func (m *MADE) fanIn(d int) int {
	f := d
	for _, mk := range m.deg {
		if mk <= d {
			f++
		}
	}
	return f
}

// Kind returns "flow".
func (m *MADE) Kind() string { return Kind }

// NumBits returns n.
func (m *MADE) NumBits() int { return m.n }

// NumHidden returns H.
func (m *MADE) NumHidden() int { return m.h }

// Degrees returns a copy of the hidden units' degrees m_k.
func (m *MADE) Degrees() []int { return append([]int(nil), m.deg...) }

// NumParams returns nH + H + n + n(n-1)/2.
func (m *MADE) NumParams() int { return len(m.theta) }

// Params returns a copy of the parameters, in the order of the package
// documentation.
func (m *MADE) Params() []float64 { return append([]float64(nil), m.theta...) }

// SetParams sets the parameters.
func (m *MADE) SetParams(theta []float64) error {
	if err := checkParams(len(m.theta), theta); err != nil {
		return err
	}
	copy(m.theta, theta)
	return nil
}

func checkParams(want int, theta []float64) error {
	if len(theta) != want {
		return fmt.Errorf("flow: %d parameters given, the model has %d", len(theta), want)
	}
	for i, v := range theta {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("flow: parameter %d is %v; parameters must be finite", i, v)
		}
	}
	return nil
}

// weights are the dense, masked matrices of a parameter vector.
type weights struct {
	U *mat.Dense // H x n, input to hidden
	c []float64  // H
	W *mat.Dense // n x H, hidden to output
	b []float64  // n
	V *mat.Dense // n x n, direct, strictly lower triangular
}

// dense returns the matrices of theta, zero where masked.
func (m *MADE) dense(theta []float64) *weights {
	n, h := m.n, m.h
	w := &weights{U: mat.NewDense(h, n, nil), c: theta[m.oC:m.oW], W: mat.NewDense(n, h, nil), b: theta[m.oB:m.oV], V: mat.NewDense(n, n, nil)}
	i := 0
	for k := range h {
		for e := range m.deg[k] {
			w.U.Set(k, e, theta[i])
			i++
		}
	}
	i = m.oW
	for d := range n {
		for k := range h {
			if m.deg[k] <= d {
				w.W.Set(d, k, theta[i])
				i++
			}
		}
	}
	i = m.oV
	for d := range n {
		for e := range d {
			w.V.Set(d, e, theta[i])
			i++
		}
	}
	return w
}

// gather adds the unmasked entries of the dense gradients to grad.
func (m *MADE) gather(gU *mat.Dense, gc []float64, gW *mat.Dense, gb []float64, gV *mat.Dense, grad []float64) {
	i := 0
	for k := range m.h {
		for e := range m.deg[k] {
			grad[i] += gU.At(k, e)
			i++
		}
	}
	for k, v := range gc {
		grad[m.oC+k] += v
	}
	i = m.oW
	for d := range m.n {
		for k := range m.h {
			if m.deg[k] <= d {
				grad[i] += gW.At(d, k)
				i++
			}
		}
	}
	for d, v := range gb {
		grad[m.oB+d] += v
	}
	i = m.oV
	for d := range m.n {
		for e := range d {
			grad[i] += gV.At(d, e)
			i++
		}
	}
}

// batch computes ln p(x) for states xs (dataset.Words(n) words each, one
// after another) into logp and, if grad is not nil, adds sum_s coef[s] d
// ln p(x_s)/dtheta to it (hand-written backpropagation).
func (m *MADE) batch(w *weights, xs []uint64, coef, logp, grad []float64) {
	W := dataset.Words(m.n)
	B, n, h := len(xs)/W, m.n, m.h
	X := mat.NewDense(B, n, nil)
	for s := range B {
		row, x := X.RawRowView(s), xs[s*W:(s+1)*W]
		for d := range n {
			row[d] = float64(x[d/64] >> uint(d%64) & 1)
		}
	}
	H := mat.NewDense(B, h, nil)
	H.Mul(X, w.U.T())
	for s := range B {
		row := H.RawRowView(s)
		for k := range row {
			row[k] = math.Tanh(row[k] + w.c[k])
		}
	}
	L := mat.NewDense(B, n, nil)
	L.Mul(H, w.W.T())
	var XV mat.Dense
	XV.Mul(X, w.V.T())
	L.Add(L, &XV)
	for s := range B {
		xr, lr := X.RawRowView(s), L.RawRowView(s)
		var lp float64
		for d := range n {
			l := lr[d] + w.b[d]
			lp += xr[d]*l - par.Softplus(l)
			if grad != nil {
				lr[d] = coef[s] * (xr[d] - par.Sigmoid(l)) // dJ/dlogit
			}
		}
		logp[s] = lp
	}
	if grad == nil {
		return
	}
	D := L // B x n: dJ/dlogit
	var gW, gV, gU mat.Dense
	gW.Mul(D.T(), H)
	gV.Mul(D.T(), X)
	gb := make([]float64, n)
	for s := range B {
		for d, v := range D.RawRowView(s) {
			gb[d] += v
		}
	}
	var DH mat.Dense
	DH.Mul(D, w.W) // B x H: dJ/dh
	gc := make([]float64, h)
	for s := range B {
		dr, hr := DH.RawRowView(s), H.RawRowView(s)
		for k := range dr {
			dr[k] *= 1 - hr[k]*hr[k]
			gc[k] += dr[k]
		}
	}
	gU.Mul(DH.T(), X)
	m.gather(&gU, gc, &gW, gb, &gV, grad)
}

// batchChunk is the number of states per unit of parallel work.
const batchChunk = 1 << 10

// logProbs computes ln p(x) for the states xs (dataset.Words(n) words
// each) and, if grad is not nil, sets grad = sum_s coef[s] d ln
// p(x_s)/dtheta. Chunks are combined in order, so the result does not
// depend on workers.
func (m *MADE) logProbs(theta []float64, xs []uint64, coef, grad []float64, workers int) []float64 {
	w := m.dense(theta)
	W := dataset.Words(m.n)
	ns := len(xs) / W
	logp := make([]float64, ns)
	nc := par.Chunks(ns, batchChunk)
	var grads [][]float64
	if grad != nil {
		grads = make([][]float64, nc)
	}
	par.Run(ns, batchChunk, workers, func(c, lo, hi int) {
		var g []float64
		var cf []float64
		if grad != nil {
			g = make([]float64, len(grad))
			grads[c] = g
			cf = coef[lo:hi]
		}
		m.batch(w, xs[lo*W:hi*W], cf, logp[lo:hi], g)
	})
	if grad != nil {
		clear(grad)
		for _, g := range grads {
			for i, v := range g {
				grad[i] += v
			}
		}
	}
	return logp
}

func (m *MADE) checkState(x uint64) error {
	if m.n > 64 {
		return fmt.Errorf("flow: a state of %d bits takes %d words; use LogProbWords", m.n, dataset.Words(m.n))
	}
	if m.n < 64 && x>>uint(m.n) != 0 {
		return fmt.Errorf("flow: state %d does not fit in %d bits", x, m.n)
	}
	return nil
}

// LogProb returns ln p(x), exactly.
func (m *MADE) LogProb(x uint64) (float64, error) {
	if err := m.checkState(x); err != nil {
		return 0, err
	}
	return m.logProbs(m.theta, []uint64{x}, nil, nil, 1)[0], nil
}

// LogProbWords returns ln p(x), exactly, for the state x of
// dataset.Words(n) words, bit d in bit d%64 of word d/64 (model.Wide).
func (m *MADE) LogProbWords(x []uint64) (float64, error) {
	if len(x) != dataset.Words(m.n) {
		return 0, fmt.Errorf("flow: a state of %d bits takes %d words, not %d", m.n, dataset.Words(m.n), len(x))
	}
	if r := m.n % 64; r != 0 && x[len(x)-1]>>uint(r) != 0 {
		return 0, fmt.Errorf("flow: the state has bits beyond its %d", m.n)
	}
	return m.logProbs(m.theta, x, nil, nil, 1)[0], nil
}

// Conditionals returns p(x_d = 1 | x_0 ... x_{d-1}) for every bit d of x.
func (m *MADE) Conditionals(x uint64) ([]float64, error) {
	if err := m.checkState(x); err != nil {
		return nil, err
	}
	w := m.dense(m.theta)
	out := make([]float64, m.n)
	hid := make([]float64, m.h)
	copy(hid, w.c)
	for d := range m.n {
		out[d] = par.Sigmoid(m.logit(w, hid, x, d))
		if x>>uint(d)&1 == 1 {
			for k := range hid {
				hid[k] += w.U.At(k, d)
			}
		}
	}
	return out, nil
}

// logit returns output d's logit given the hidden pre-activations pre of
// the bits before d and the state x (only its bits before d are read).
func (m *MADE) logit(w *weights, pre []float64, x uint64, d int) float64 {
	return m.logitWords(w, pre, []uint64{x}, d)
}

// logitWords is logit for a state of dataset.Words(n) words.
func (m *MADE) logitWords(w *weights, pre []float64, x []uint64, d int) float64 {
	l := w.b[d]
	wr := w.W.RawRowView(d)
	for k, p := range pre {
		if wr[k] != 0 {
			l += wr[k] * math.Tanh(p)
		}
	}
	vr := w.V.RawRowView(d)
	for e := range d {
		if x[e/64]>>uint(e%64)&1 == 1 {
			l += vr[e]
		}
	}
	return l
}

// Probabilities returns p(x) for all 2^n states (n <=
// dataset.MaxExactBits); they sum to 1 up to rounding.
func (m *MADE) Probabilities() ([]float64, error) {
	if m.n > dataset.MaxExactBits {
		return nil, fmt.Errorf("flow: %d bits; the full distribution needs at most %d", m.n, dataset.MaxExactBits)
	}
	p := m.logProbs(m.theta, allStates(m.n), nil, nil, 0)
	for i, v := range p {
		p[i] = math.Exp(v)
	}
	return p, nil
}

func allStates(n int) []uint64 {
	xs := make([]uint64, 1<<uint(n))
	for i := range xs {
		xs[i] = uint64(i)
	}
	return xs
}

// Sample draws shots states exactly, bit by bit in the order 0, 1, ...,
// n-1, with random numbers from PCG seeded by seed only.
func (m *MADE) Sample(shots int, seed uint64) ([]uint64, error) {
	if shots < 0 {
		return nil, fmt.Errorf("flow: %d shots; need a count >= 0", shots)
	}
	if m.n > 64 {
		return nil, fmt.Errorf("flow: samples of %d bits take %d words; use SampleWords", m.n, dataset.Words(m.n))
	}
	return m.SampleWords(shots, seed)
}

// SampleWords draws shots states as Sample does (the same random numbers),
// one after another, dataset.Words(n) words each (model.Wide).
func (m *MADE) SampleWords(shots int, seed uint64) ([]uint64, error) {
	if shots < 0 {
		return nil, fmt.Errorf("flow: %d shots; need a count >= 0", shots)
	}
	w := m.dense(m.theta)
	rng := rand.New(rand.NewPCG(seed, par.Stream(tagSample)))
	W := dataset.Words(m.n)
	out := make([]uint64, shots*W)
	pre := make([]float64, m.h)
	for s := range shots {
		m.draw(w, pre, out[s*W:(s+1)*W], 0, rng)
	}
	return out, nil
}

// draw completes the state x (dataset.Words(n) words) in the order of its
// bits: bits from `from` on (0 in x) are drawn from their conditionals,
// one random number each, the bits before are kept. pre (m.h entries) is
// scratch for the hidden pre-activations.
func (m *MADE) draw(w *weights, pre []float64, x []uint64, from int, rng *rand.Rand) {
	copy(pre, w.c)
	for d := range m.n {
		if d >= from && rng.Float64() < par.Sigmoid(m.logitWords(w, pre, x, d)) {
			x[d/64] |= 1 << uint(d%64)
		}
		if x[d/64]>>uint(d%64)&1 == 1 {
			for k := range pre {
				pre[k] += w.U.At(k, d)
			}
		}
	}
}

// madeJSON is a MADE in a model file: the dense matrices, zero where
// masked.
type madeJSON struct {
	Bits         int         `json:"bits"`
	Hidden       int         `json:"hidden"`
	Activation   string      `json:"activation"` // tanh
	Degrees      []int       `json:"degrees"`
	InputHidden  [][]float64 `json:"input_hidden"`  // H x n
	HiddenBias   []float64   `json:"hidden_bias"`   // H
	HiddenOutput [][]float64 `json:"hidden_output"` // n x H
	OutputBias   []float64   `json:"output_bias"`   // n
	Direct       [][]float64 `json:"direct"`        // n x n, strictly lower triangular
}

func rows(d *mat.Dense) [][]float64 {
	r, _ := d.Dims()
	out := make([][]float64, r)
	for i := range r {
		out[i] = d.RawRowView(i)
	}
	return out
}

// MarshalJSON returns the architecture and the dense weight matrices
// (zero where masked); Load reads back the same bits.
func (m *MADE) MarshalJSON() ([]byte, error) {
	w := m.dense(m.theta)
	return json.Marshal(madeJSON{Bits: m.n, Hidden: m.h, Activation: "tanh", Degrees: m.deg,
		InputHidden: rows(w.U), HiddenBias: w.c, HiddenOutput: rows(w.W), OutputBias: w.b, Direct: rows(w.V)})
}

// Load reads a MADE written by MarshalJSON.
func Load(raw []byte) (*MADE, error) {
	var j madeJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, fmt.Errorf("flow: %v", err)
	}
	m, err := New(j.Bits, j.Hidden)
	if err != nil {
		return nil, err
	}
	if j.Activation != "tanh" {
		return nil, fmt.Errorf("flow: activation %q; this MADE uses tanh", j.Activation)
	}
	for k, d := range j.Degrees {
		if k >= m.h || d != m.deg[k] {
			return nil, fmt.Errorf("flow: hidden degrees %v; this version assigns 1 + (k mod (n-1)): %v", j.Degrees, m.deg)
		}
	}
	if len(j.Degrees) != m.h {
		return nil, fmt.Errorf("flow: %d hidden degrees for %d hidden units", len(j.Degrees), m.h)
	}
	n, h := m.n, m.h
	shape := func(name string, a [][]float64, r, c int) error {
		if len(a) != r {
			return fmt.Errorf("flow: %s has %d rows, want %d", name, len(a), r)
		}
		for i, row := range a {
			if len(row) != c {
				return fmt.Errorf("flow: %s row %d has %d entries, want %d", name, i, len(row), c)
			}
		}
		return nil
	}
	if err := shape("input_hidden", j.InputHidden, h, n); err != nil {
		return nil, err
	}
	if err := shape("hidden_output", j.HiddenOutput, n, h); err != nil {
		return nil, err
	}
	if err := shape("direct", j.Direct, n, n); err != nil {
		return nil, err
	}
	if len(j.HiddenBias) != h || len(j.OutputBias) != n {
		return nil, fmt.Errorf("flow: %d hidden and %d output biases, want %d and %d", len(j.HiddenBias), len(j.OutputBias), h, n)
	}
	theta := make([]float64, 0, len(m.theta))
	masked := func(name string, i, k int, v float64) error {
		if v != 0 {
			return fmt.Errorf("flow: %s[%d][%d] = %v, but the autoregressive mask makes that entry 0", name, i, k, v)
		}
		return nil
	}
	for k := range h {
		for e := range n {
			if e < m.deg[k] {
				theta = append(theta, j.InputHidden[k][e])
			} else if err := masked("input_hidden", k, e, j.InputHidden[k][e]); err != nil {
				return nil, err
			}
		}
	}
	theta = append(theta, j.HiddenBias...)
	for d := range n {
		for k := range h {
			if m.deg[k] <= d {
				theta = append(theta, j.HiddenOutput[d][k])
			} else if err := masked("hidden_output", d, k, j.HiddenOutput[d][k]); err != nil {
				return nil, err
			}
		}
	}
	theta = append(theta, j.OutputBias...)
	for d := range n {
		for e := range n {
			if e < d {
				theta = append(theta, j.Direct[d][e])
			} else if err := masked("direct", d, e, j.Direct[d][e]); err != nil {
				return nil, err
			}
		}
	}
	if err := m.SetParams(theta); err != nil {
		return nil, err
	}
	return m, nil
}

// Random stream tags.
const (
	tagInit = iota + 1
	tagSample
)
