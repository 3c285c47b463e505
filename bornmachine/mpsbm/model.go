package mpsbm

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"born/bornmachine"
	"born/dataset"
	"born/model"
	"born/mps"
)

// Kind is the model kind of MPS Born machines in model files.
const Kind = "mps"

// DefaultCutoff is the relative singular-value cutoff of training splits:
// singular values below DefaultCutoff times the largest are dropped.
const DefaultCutoff = 1e-8

// DefaultPairSteps is the number of gradient steps on each merged pair per
// visit of a sweep.
const DefaultPairSteps = 4

// Random stream tags.
const (
	tagInit = 1
	tagDraw = 2
)

var (
	_ model.Model         = (*Model)(nil)
	_ model.Wide          = (*Model)(nil)
	_ bornmachine.Sweeper = (*Model)(nil)
)

func init() {
	model.Register(Kind, func(raw []byte) (model.Model, error) { return Load(raw) })
	bornmachine.RegisterBuilder(Kind, buildForRun)
}

// Model is an MPS Born machine on n bits. Its tensors are real unless it
// was made complex (NewComplex, FromQCBM); training keeps them so. A Model
// is not safe for concurrent use: even sampling moves the canonical center.
type Model struct {
	n       int
	complex bool
	st      *mps.State // normalised, mixed-canonical
	// PairSteps is the number of gradient steps on each merged pair per
	// visit of a sweep (0: DefaultPairSteps).
	PairSteps int
}

// New returns a real MPS Born machine on n bits (2 to dataset.MaxWideBits)
// with bond cap bondDim (0: none) and relative cutoff (0: DefaultCutoff),
// initialised by Init(seed, min(2, bondDim)).
func New(n, bondDim int, cutoff float64, seed uint64) (*Model, error) {
	if n < 2 || n > dataset.MaxWideBits {
		return nil, fmt.Errorf("mps: %d bits; the MPS Born machine needs 2 to %d", n, dataset.MaxWideBits)
	}
	if bondDim < 0 {
		return nil, fmt.Errorf("mps: bond dimension %d; use at least 1, as in mps:16", bondDim)
	}
	if !(cutoff >= 0) || math.IsInf(cutoff, 0) {
		return nil, fmt.Errorf("mps: cutoff %g must be a finite number >= 0", cutoff)
	}
	if cutoff == 0 {
		cutoff = DefaultCutoff
	}
	st, err := mps.New(n, mps.Options{MaxBond: bondDim, Cutoff: cutoff})
	if err != nil {
		return nil, err
	}
	m := &Model{n: n, st: st}
	if err := m.Init(seed, 2); err != nil { // Init caps the bond at bondDim
		return nil, err
	}
	return m, nil
}

// Init sets real tensors with bond dimension bond (at most the cap, and at
// most 2^min(q, n-q) at bond q), entries uniform in [0, 1) drawn from PCG
// seeded by seed, as Han et al. initialise; positive entries give every
// bitstring a comparable, nonzero amplitude. The model becomes real.
func (m *Model) Init(seed uint64, bond int) error {
	if bond < 1 {
		return fmt.Errorf("mps: initial bond dimension %d must be at least 1", bond)
	}
	if c := m.st.MaxBondCap(); c > 0 {
		bond = min(bond, c)
	}
	rng := rand.New(rand.NewPCG(seed, tagInit))
	dims := bondDims(m.n, bond)
	ts := make([]mps.Tensor, m.n)
	for q := range ts {
		t := mps.Tensor{DL: dims[q], DR: dims[q+1]}
		t.A = make([]complex128, t.DL*2*t.DR)
		for i := range t.A {
			t.A[i] = complex(rng.Float64(), 0)
		}
		ts[q] = t
	}
	st, err := mps.FromTensors(ts, m.options())
	if err != nil {
		return err
	}
	m.st, m.complex = st, false
	return nil
}

// bondDims returns the n+1 bond dimensions min(bond, 2^q, 2^(n-q)).
func bondDims(n, bond int) []int {
	d := make([]int, n+1)
	for q := range d {
		e := min(q, n-q)
		d[q] = bond
		if e < 30 && 1<<e < bond {
			d[q] = 1 << e
		}
	}
	return d
}

func (m *Model) options() mps.Options {
	return mps.Options{MaxBond: m.st.MaxBondCap(), Cutoff: m.st.Cutoff()}
}

// FromState returns a complex MPS Born machine whose distribution is
// |<x|psi>|^2 for the state s (copied), with bond cap bondDim (0: none)
// and cutoff (0: DefaultCutoff) for training.
func FromState(s *mps.State, bondDim int, cutoff float64) (*Model, error) {
	if n := s.NumQubits(); n < 2 || n > dataset.MaxWideBits {
		return nil, fmt.Errorf("mps: %d qubits; the MPS Born machine needs 2 to %d", n, dataset.MaxWideBits)
	}
	if cutoff == 0 {
		cutoff = DefaultCutoff
	}
	st, err := mps.FromCanonical(s.Tensors(), s.Center(), mps.Options{MaxBond: bondDim, Cutoff: cutoff})
	if err != nil {
		return nil, err
	}
	return &Model{n: s.NumQubits(), complex: true, st: st}, nil
}

// Kind returns "mps".
func (m *Model) Kind() string { return Kind }

// NumBits returns n.
func (m *Model) NumBits() int { return m.n }

// BondDim returns the bond cap (0: none).
func (m *Model) BondDim() int { return m.st.MaxBondCap() }

// Cutoff returns the relative singular-value cutoff of training splits.
func (m *Model) Cutoff() float64 { return m.st.Cutoff() }

// Complex reports whether the tensors are complex; real ones have half the
// parameters.
func (m *Model) Complex() bool { return m.complex }

// BondDims returns the current n-1 bond dimensions (bond q joins bits q and
// q+1).
func (m *Model) BondDims() []int { return m.st.BondDims() }

// State returns a copy of the model's normalised matrix product state.
func (m *Model) State() *mps.State { return m.st.Clone() }

// NumParams returns the number of tensor entries, sum over sites of
// 2 DL DR, doubled for complex tensors (real and imaginary parts). It
// changes when training changes the bond dimensions.
func (m *Model) NumParams() int { return numParams(m.shapes(), m.complex) }

// numParams returns the number of parameters of tensors of the given
// shapes.
func numParams(shapes [][2]int, cplx bool) int {
	k := 0
	for _, s := range shapes {
		k += s[0] * 2 * s[1]
	}
	if cplx {
		k *= 2
	}
	return k
}

// Params returns the tensor entries site by site, each tensor in its
// storage order A[(l*2+s)*DR+r]; complex tensors give the real and
// imaginary part of each entry in turn.
func (m *Model) Params() []float64 {
	return flatten(m.st.Tensors(), m.complex)
}

func flatten(ts []mps.Tensor, cplx bool) []float64 {
	var out []float64
	for _, t := range ts {
		for _, v := range t.A {
			out = append(out, real(v))
			if cplx {
				out = append(out, imag(v))
			}
		}
	}
	return out
}

// shapes returns the tensor shapes (DL, DR) of the current state.
func (m *Model) shapes() [][2]int {
	bonds := m.st.BondDims()
	sh := make([][2]int, m.n)
	for q := range sh {
		sh[q] = [2]int{1, 1}
		if q > 0 {
			sh[q][0] = bonds[q-1]
		}
		if q < m.n-1 {
			sh[q][1] = bonds[q]
		}
	}
	return sh
}

// unflatten builds tensors of the given shapes from parameters.
func unflatten(theta []float64, shapes [][2]int, cplx bool) ([]mps.Tensor, error) {
	per := 1
	if cplx {
		per = 2
	}
	if want := numParams(shapes, cplx); len(theta) != want {
		return nil, fmt.Errorf("mps: %d parameters given, the model has %d", len(theta), want)
	}
	for i, v := range theta {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("mps: parameter %d is %v; parameters must be finite", i, v)
		}
	}
	ts := make([]mps.Tensor, len(shapes))
	k := 0
	for q, s := range shapes {
		t := mps.Tensor{DL: s[0], DR: s[1], A: make([]complex128, s[0]*2*s[1])}
		for i := range t.A {
			if cplx {
				t.A[i] = complex(theta[k], theta[k+1])
			} else {
				t.A[i] = complex(theta[k], 0)
			}
			k += per
		}
		ts[q] = t
	}
	return ts, nil
}

// SetParams sets the tensor entries (the layout of Params, at the current
// bond dimensions). The tensors are then brought into canonical form and
// normalised, which changes them but not the distribution: Params may
// differ afterwards.
func (m *Model) SetParams(theta []float64) error {
	ts, err := unflatten(theta, m.shapes(), m.complex)
	if err != nil {
		return err
	}
	st, err := mps.FromTensors(ts, m.options())
	if err != nil {
		return err
	}
	m.st = st
	return nil
}

func (m *Model) checkState(x uint64) error {
	if m.n > 64 {
		return fmt.Errorf("mps: a state of %d bits takes %d words; use LogProbWords", m.n, dataset.Words(m.n))
	}
	if m.n < 64 && x>>uint(m.n) != 0 {
		return fmt.Errorf("mps: state %d does not fit in %d bits", x, m.n)
	}
	return nil
}

// LogProb returns ln p(x) = ln |Psi(x)|^2 (the state is normalised).
func (m *Model) LogProb(x uint64) (float64, error) {
	if err := m.checkState(x); err != nil {
		return 0, err
	}
	a := m.st.AmplitudeIndex(x)
	return math.Log(real(a)*real(a) + imag(a)*imag(a)), nil
}

// LogProbWords returns ln p(x) for the state x of dataset.Words(n) words,
// bit q in bit q%64 of word q/64 (model.Wide).
func (m *Model) LogProbWords(x []uint64) (float64, error) {
	if len(x) != dataset.Words(m.n) {
		return 0, fmt.Errorf("mps: a state of %d bits takes %d words, not %d", m.n, dataset.Words(m.n), len(x))
	}
	if r := m.n % 64; r != 0 && x[len(x)-1]>>uint(r) != 0 {
		return 0, fmt.Errorf("mps: the state has bits beyond its %d", m.n)
	}
	a := m.st.Amplitude(mps.Bits(x))
	return math.Log(real(a)*real(a) + imag(a)*imag(a)), nil
}

// SampleWords draws shots exact samples as Sample does (the same random
// numbers), one after another, dataset.Words(n) words each (model.Wide).
func (m *Model) SampleWords(shots int, seed uint64) ([]uint64, error) {
	if shots < 0 {
		return nil, fmt.Errorf("shots %d: need a count >= 0", shots)
	}
	bs := m.st.SampleBits(shots, rand.New(rand.NewPCG(seed, tagDraw)))
	out := make([]uint64, 0, shots*dataset.Words(m.n))
	for _, b := range bs {
		out = append(out, b...)
	}
	return out, nil
}

// Probabilities returns p(x) for all 2^n states (n <= MaxExactBits).
func (m *Model) Probabilities() ([]float64, error) {
	if m.n > dataset.MaxExactBits {
		return nil, fmt.Errorf("mps: %d bits: the full distribution needs at most %d", m.n, dataset.MaxExactBits)
	}
	return m.st.Probabilities(), nil
}

// Sample draws shots exact samples from p by sequential conditional
// sampling, with random numbers from PCG seeded by seed only.
func (m *Model) Sample(shots int, seed uint64) ([]uint64, error) {
	if shots < 0 {
		return nil, fmt.Errorf("shots %d: need a count >= 0", shots)
	}
	if m.n > 64 {
		return nil, fmt.Errorf("mps: samples of %d bits take %d words; use SampleWords", m.n, dataset.Words(m.n))
	}
	return m.st.Sample(shots, rand.New(rand.NewPCG(seed, tagDraw))), nil
}

// modelJSON is a model in a model file.
type modelJSON struct {
	Bits      int          `json:"bits"`
	BondDim   int          `json:"bond_dim"` // 0: no cap
	Cutoff    float64      `json:"cutoff"`
	Complex   bool         `json:"complex"`
	PairSteps int          `json:"pair_steps,omitempty"`
	Center    int          `json:"center"`
	Tensors   []tensorJSON `json:"tensors"`
}

// tensorJSON is one site tensor: A[l, s, r] = re[i] + i im[i] at
// i = (l*2+s)*dr+r.
type tensorJSON struct {
	DL int       `json:"dl"`
	DR int       `json:"dr"`
	Re []float64 `json:"re"`
	Im []float64 `json:"im,omitempty"`
}

// MarshalJSON returns {"bits", "bond_dim", "cutoff", "complex",
// "pair_steps", "center", "tensors": [{"dl", "dr", "re", "im"}...]}, the
// tensors in canonical form about "center", so that they read back bit for
// bit.
func (m *Model) MarshalJSON() ([]byte, error) {
	j := modelJSON{Bits: m.n, BondDim: m.BondDim(), Cutoff: m.Cutoff(), Complex: m.complex,
		PairSteps: m.PairSteps, Center: m.st.Center()}
	for _, t := range m.st.Tensors() {
		tj := tensorJSON{DL: t.DL, DR: t.DR, Re: make([]float64, len(t.A))}
		if m.complex {
			tj.Im = make([]float64, len(t.A))
		}
		for i, v := range t.A {
			tj.Re[i] = real(v)
			if m.complex {
				tj.Im[i] = imag(v)
			}
		}
		j.Tensors = append(j.Tensors, tj)
	}
	return json.Marshal(j)
}

// Load reads a model written by MarshalJSON. Tensors that are not in
// canonical form about "center" are accepted and canonicalised.
func Load(raw []byte) (*Model, error) {
	var j modelJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, err
	}
	if j.Bits < 2 || j.Bits > dataset.MaxWideBits {
		return nil, fmt.Errorf("%d bits; the MPS Born machine needs 2 to %d", j.Bits, dataset.MaxWideBits)
	}
	if len(j.Tensors) != j.Bits {
		return nil, fmt.Errorf("%d tensors for %d bits", len(j.Tensors), j.Bits)
	}
	if j.BondDim < 0 || !(j.Cutoff >= 0) || math.IsInf(j.Cutoff, 0) || j.PairSteps < 0 {
		return nil, fmt.Errorf("bond_dim %d, cutoff %g, pair_steps %d: need bond_dim >= 0, a finite cutoff >= 0 and pair_steps >= 0", j.BondDim, j.Cutoff, j.PairSteps)
	}
	ts := make([]mps.Tensor, j.Bits)
	for q, tj := range j.Tensors {
		if tj.DL < 1 || tj.DR < 1 || tj.DL > 1<<20 || tj.DR > 1<<20 {
			return nil, fmt.Errorf("site %d: bond dimensions %d and %d out of range", q, tj.DL, tj.DR)
		}
		if j.BondDim > 0 && (tj.DL > j.BondDim || tj.DR > j.BondDim) {
			return nil, fmt.Errorf("site %d: bonds %d and %d exceed the bond dimension %d", q, tj.DL, tj.DR, j.BondDim)
		}
		size := tj.DL * 2 * tj.DR
		if len(tj.Re) != size || (j.Complex && len(tj.Im) != size) || (!j.Complex && len(tj.Im) != 0) {
			return nil, fmt.Errorf("site %d: a %d×2×%d tensor needs %d real parts%s", q, tj.DL, tj.DR, size,
				map[bool]string{true: " and as many imaginary parts", false: " and no imaginary ones (complex is false)"}[j.Complex])
		}
		t := mps.Tensor{DL: tj.DL, DR: tj.DR, A: make([]complex128, size)}
		for i := range t.A {
			var im float64
			if j.Complex {
				im = tj.Im[i]
			}
			t.A[i] = complex(tj.Re[i], im)
		}
		ts[q] = t
	}
	opts := mps.Options{MaxBond: j.BondDim, Cutoff: j.Cutoff}
	st, err := mps.FromCanonical(ts, j.Center, opts)
	if err != nil {
		if st, err = mps.FromTensors(ts, opts); err != nil {
			return nil, err
		}
	}
	return &Model{n: j.Bits, complex: j.Complex, st: st, PairSteps: j.PairSteps}, nil
}
