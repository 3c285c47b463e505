package bornmachine

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sync/atomic"

	"born/circuit"
	"born/dataset"
	"born/internal/multinomial"
	"born/internal/setting"
	"born/model"
	"born/qasm"
)

// KindQCBM is the model kind of quantum circuit Born machines.
const KindQCBM = "qcbm"

func init() { model.Register(KindQCBM, loadQCBM) }

// QCBM is a quantum circuit Born machine (Liu & Wang, PRA 98, 062324,
// 2018): p(x) = |<x|U(theta)|0...0>|^2 for a parameterised circuit U whose
// symbols are the parameters theta. Bit q of x is qubit q.
type QCBM struct {
	circ   *circuit.Circuit
	ansatz *Ansatz     // the ansatz the circuit was built from, or nil
	source *qasmSource // the OpenQASM program it was read from, or nil
	prog   *program
	engine Engine
	theta  []float64
	state  State // the state at theta, or nil when not computed yet
}

// NewQCBM returns a Born machine on circuit c, run on engine eng (nil for
// StateVector), with all parameters 0. c must be unitary apart from
// final measurements, which are ignored: every qubit is sampled.
func NewQCBM(c *circuit.Circuit, eng Engine) (*QCBM, error) {
	if eng == nil {
		eng = StateVector
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.NumQubits < 1 || c.NumQubits > dataset.MaxBits {
		return nil, fmt.Errorf("the circuit has %d qubits; a Born machine needs 1 to %d", c.NumQubits, dataset.MaxBits)
	}
	pr, err := compile(c)
	if err != nil {
		return nil, err
	}
	return &QCBM{circ: c, prog: pr, engine: eng, theta: make([]float64, len(c.Symbols))}, nil
}

// NewAnsatzQCBM returns a Born machine on the circuit of ansatz a.
func NewAnsatzQCBM(a *Ansatz, eng Engine) (*QCBM, error) {
	m, err := NewQCBM(a.Circuit(), eng)
	if err != nil {
		return nil, err
	}
	m.ansatz = a
	return m, nil
}

// qasmSource is the OpenQASM program a QCBM's circuit was read from.
type qasmSource struct {
	Name string `json:"name"`
	Text string `json:"source"`
}

// NewQCBMFromQASM returns a Born machine on the circuit of an OpenQASM
// program (package qasm reads it; name is used in error positions). Its
// parameters are the program's input parameters, in declaration order. The
// program's text is kept, so the model can be saved. The reader's warnings
// are returned as text.
func NewQCBMFromQASM(name string, src []byte, eng Engine) (*QCBM, []string, error) {
	c, warns, err := qasm.Parse(name, src, nil)
	var ws []string
	for _, w := range warns {
		ws = append(ws, w.String())
	}
	if err != nil {
		return nil, ws, err
	}
	m, err := NewQCBM(c, eng)
	if err != nil {
		return nil, ws, fmt.Errorf("%s: %w", name, err)
	}
	m.source = &qasmSource{Name: filepath.Base(name), Text: string(src)}
	return m, ws, nil
}

// Kind returns "qcbm".
func (m *QCBM) Kind() string { return KindQCBM }

// NumBits returns the number of qubits.
func (m *QCBM) NumBits() int { return m.circ.NumQubits }

// NumParams returns the number of circuit symbols.
func (m *QCBM) NumParams() int { return len(m.theta) }

// Params returns a copy of the parameters, indexed like the circuit's
// symbols.
func (m *QCBM) Params() []float64 { return append([]float64(nil), m.theta...) }

// SetParams sets the parameters.
func (m *QCBM) SetParams(theta []float64) error {
	if len(theta) != len(m.theta) {
		return fmt.Errorf("the QCBM has %d parameters, %d values given", len(m.theta), len(theta))
	}
	for i, v := range theta {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("parameter %d is %v", i, v)
		}
	}
	copy(m.theta, theta)
	m.state = nil
	return nil
}

// RandomizeParams sets every parameter uniformly in [0, 2 pi), drawn from
// PCG seeded by seed.
func (m *QCBM) RandomizeParams(seed uint64) {
	rng := rand.New(rand.NewPCG(seed, stream(tagInit)))
	for i := range m.theta {
		m.theta[i] = 2 * math.Pi * rng.Float64()
	}
	m.state = nil
}

// Circuit returns the circuit (not a copy; do not modify it).
func (m *QCBM) Circuit() *circuit.Circuit { return m.circ }

// Ansatz returns the ansatz the circuit was built from, or nil.
func (m *QCBM) Ansatz() *Ansatz { return m.ansatz }

// Engine returns the engine the circuit runs on.
func (m *QCBM) Engine() Engine { return m.engine }

// RunOn runs the circuit at the current parameters on engine eng (nil for
// the QCBM's own) and returns the new state U(theta)|0...0>: on the MPS
// engine, the QCBM's state as a matrix product state (MPSOf).
func (m *QCBM) RunOn(eng Engine) (State, error) {
	if eng == nil {
		eng = m.engine
	}
	ev, err := m.prog.evaluate(m.theta)
	if err != nil {
		return nil, err
	}
	return m.runOn(eng, ev)
}

// WriteQASM writes the circuit as an OpenQASM 3 program with the current
// parameters bound (printed so that they read back bit for bit).
func (m *QCBM) WriteQASM(w io.Writer) error {
	vals := make(map[string]float64, len(m.theta))
	for i, s := range m.circ.Symbols {
		vals[s] = m.theta[i]
	}
	return qasm.Write(w, m.circ, qasm.WriteOptions{Version: 3, Params: vals})
}

// NumGates returns the number of gate blocks one circuit run applies (after
// fusing each qubit's consecutive one-qubit gates) and the number of
// parameterised gate occurrences.
func (m *QCBM) NumGates() (blocks, occurrences int) {
	return len(m.prog.blocks), len(m.prog.occs)
}

// runOn returns the state U(theta)|0...0> on engine eng, with ev the
// program evaluated at theta.
func (m *QCBM) runOn(eng Engine, ev *evaluation) (State, error) {
	st, err := eng.New(m.prog.n)
	if err != nil {
		return nil, err
	}
	m.prog.apply(st, ev, 0, len(m.prog.blocks))
	return st, nil
}

// current returns the state at the current parameters on the QCBM's
// engine, computed once per parameter vector.
func (m *QCBM) current() (State, error) {
	if m.state != nil {
		return m.state, nil
	}
	st, err := m.RunOn(nil)
	if err != nil {
		return nil, err
	}
	m.state = st
	return st, nil
}

// LogProb returns ln p(x).
func (m *QCBM) LogProb(x uint64) (float64, error) {
	if m.NumBits() < 64 && x>>uint(m.NumBits()) != 0 {
		return 0, fmt.Errorf("state %d does not fit in %d bits", x, m.NumBits())
	}
	st, err := m.current()
	if err != nil {
		return 0, err
	}
	return math.Log(st.Probability(x)), nil
}

// Probabilities returns p(x) for all 2^n states.
func (m *QCBM) Probabilities() ([]float64, error) {
	if m.NumBits() > dataset.MaxExactBits {
		return nil, fmt.Errorf("%d qubits: the full distribution needs at most %d", m.NumBits(), dataset.MaxExactBits)
	}
	st, err := m.current()
	if err != nil {
		return nil, err
	}
	return st.Probabilities(), nil
}

// Sample draws shots states from p, with random numbers from PCG seeded by
// seed only.
func (m *QCBM) Sample(shots int, seed uint64) ([]uint64, error) {
	if shots < 0 {
		return nil, fmt.Errorf("shots %d: need a count >= 0", shots)
	}
	st, err := m.current()
	if err != nil {
		return nil, err
	}
	return st.Sample(shots, rand.New(rand.NewPCG(seed, stream(tagDraw)))), nil
}

// Objective returns the training objective of the QCBM on data.
func (m *QCBM) Objective(data *dataset.Dataset, cfg model.ObjectiveConfig) (model.Objective, error) {
	if data.Bits != m.NumBits() {
		return nil, fmt.Errorf("the circuit has %d qubits but the data have %d bits; they must match", m.NumBits(), data.Bits)
	}
	if m.NumParams() == 0 {
		return nil, fmt.Errorf("the circuit has no parameters to train: declare them as OpenQASM 3 inputs (input float theta;) and use them in gate arguments")
	}
	if m.NumBits() > dataset.MaxExactBits {
		return m.wideObjective(data, cfg)
	}
	loss, err := dataset.NewLoss(cfg.Loss, data, cfg.Sigmas)
	if err != nil {
		return nil, err
	}
	o := &qcbmObjective{m: m, loss: loss, cfg: cfg}
	switch cfg.Grad {
	case GradShift:
	case GradAdjoint:
		if m.engine.Name() != StateVector.Name() {
			return nil, setting.Errorf("{grad} adjoint needs the statevector engine, not %s; use {grad} shift", m.engine.Name())
		}
		if cfg.Shots != 0 {
			return nil, setting.Errorf("{grad} adjoint is exact: it takes no {shots}; use {grad} shift with {shots}")
		}
	default:
		return nil, fmt.Errorf("unknown gradient %q: use shift or adjoint", cfg.Grad)
	}
	if err := m.prog.gradientError(cfg.Grad == GradShift); err != nil {
		return nil, err
	}
	switch {
	case cfg.Shots < 0 || cfg.Shots == 1:
		return nil, setting.Errorf("{shots} %d: use 0 for exact probabilities or at least 2", cfg.Shots)
	case cfg.Shots > multinomial.MaxCount:
		return nil, setting.Errorf("{shots} %d: at most 2^53 = %d", cfg.Shots, int64(multinomial.MaxCount))
	case cfg.Shots > 0:
		mmd, ok := loss.(*dataset.MMDLoss)
		if !ok {
			return nil, setting.Errorf("{shots} needs {loss} mmd: %s has no unbiased estimate from samples", cfg.Loss)
		}
		o.mmd = mmd
	}
	if cfg.Workers < 0 {
		return nil, fmt.Errorf("workers %d: use 0 (all cores) or a positive count", cfg.Workers)
	}
	return o, nil
}

type qcbmObjective struct {
	m    *QCBM
	loss dataset.Loss
	mmd  *dataset.MMDLoss // set when sampling
	// wide is the loss above dataset.MaxExactBits qubits, where only
	// samples of the model are drawn (wideObjective).
	wide *dataset.SampledMMD
	cfg  model.ObjectiveConfig
	sv   atomic.Pointer[svShift] // the shift gradient's workspace, when idle
}

// svWork takes the objective's state-vector shift workspace, or makes one
// (the first time, or when another Eval holds it).
func (o *qcbmObjective) svWork() *svShift {
	if s := o.sv.Swap(nil); s != nil {
		return s
	}
	return newSVShift(o.m.prog, o.cfg.Workers)
}

func (o *qcbmObjective) Eval(step int, theta, grad []float64) (model.Evaluation, error) {
	if o.wide != nil {
		return o.evalWide(step, theta, grad)
	}
	pr := o.m.prog
	ev, err := pr.evaluate(theta)
	if err != nil {
		return model.Evaluation{}, err
	}
	// The state-vector shift gradient keeps states of its forward pass:
	// run it now, for the loss too.
	var sv *svShift
	if _, ok := o.m.engine.(svEngine); ok && grad != nil && o.cfg.Grad == GradShift {
		sv = o.svWork()
		defer o.sv.Store(sv)
	}
	var st State
	if sv != nil {
		psi, err := sv.forward(ev)
		if err != nil {
			return model.Evaluation{}, err
		}
		st = svState{psi}
	} else if st, err = o.m.runOn(o.m.engine, ev); err != nil {
		return model.Evaluation{}, err
	}
	p := st.Probabilities()
	g := make([]float64, len(p))
	var loss float64
	if o.mmd != nil {
		rng := rand.New(rand.NewPCG(o.cfg.Seed, stream(tagLoss, uint64(step))))
		if o.cfg.Shots > maxShotSamples {
			q := make([]float64, len(p))
			if err := drawCounts(p, o.cfg.Shots, rng, func(x int, c int64) { q[x] = float64(c) }); err != nil {
				return model.Evaluation{}, err
			}
			loss, err = o.mmd.EvalCounts(q, g)
		} else {
			loss, err = o.mmd.EvalSamples(st.Sample(o.cfg.Shots, rng), g)
		}
		if err != nil {
			return model.Evaluation{}, err
		}
	} else {
		loss = o.loss.Eval(p, g)
	}
	out := model.Evaluation{Loss: loss, Probs: p}
	if grad == nil {
		return out, nil
	}
	if len(grad) != len(theta) {
		return model.Evaluation{}, fmt.Errorf("gradient of length %d for %d parameters", len(grad), len(theta))
	}
	var dv []float64
	if o.cfg.Grad == GradAdjoint {
		dv, err = pr.adjointGrad(ev, st.(svState).State, g)
	} else {
		dv, err = pr.shiftGrad(o.m.engine, ev, g, shiftOptions{workers: o.cfg.Workers, shots: o.cfg.Shots, seed: o.cfg.Seed, step: step, sv: sv})
	}
	if err != nil {
		return model.Evaluation{}, err
	}
	pr.chain(theta, dv, grad)
	return out, nil
}

// qcbmJSON is a QCBM in a model file: its circuit as an ansatz
// specification or as the OpenQASM program it was read from, and its
// parameters in symbol order.
type qcbmJSON struct {
	Ansatz string      `json:"ansatz,omitempty"` // with the pairs spelled out
	QASM   *qasmSource `json:"qasm,omitempty"`
	Qubits int         `json:"qubits"`
	Engine string      `json:"engine"`
	Params []float64   `json:"params"`
}

// MarshalJSON returns {"ansatz" or "qasm", "qubits", "engine", "params"}.
// A QCBM on a circuit built in Go (NewQCBM) cannot be saved: it has neither.
func (m *QCBM) MarshalJSON() ([]byte, error) {
	j := qcbmJSON{Qubits: m.NumBits(), Engine: m.engine.Name(), Params: m.theta}
	switch {
	case m.ansatz != nil:
		j.Ansatz = m.ansatz.String()
	case m.source != nil:
		j.QASM = m.source
	default:
		return nil, fmt.Errorf("a QCBM on a circuit built in Go cannot be saved: build it from an ansatz or from OpenQASM")
	}
	return json.Marshal(j)
}

func loadQCBM(raw []byte) (model.Model, error) {
	var j qcbmJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, err
	}
	eng, err := EngineByName(j.Engine)
	if err != nil {
		return nil, err
	}
	var m *QCBM
	switch {
	case j.Ansatz != "":
		a, err := ParseAnsatz(j.Ansatz, j.Qubits, nil)
		if err != nil {
			return nil, err
		}
		if m, err = NewAnsatzQCBM(a, eng); err != nil {
			return nil, err
		}
	case j.QASM != nil:
		if m, _, err = NewQCBMFromQASM(j.QASM.Name, []byte(j.QASM.Text), eng); err != nil {
			return nil, err
		}
		if m.NumBits() != j.Qubits {
			return nil, fmt.Errorf("the circuit has %d qubits, the file says %d", m.NumBits(), j.Qubits)
		}
	default:
		return nil, fmt.Errorf("no circuit: want \"ansatz\" or \"qasm\"")
	}
	if err := m.SetParams(j.Params); err != nil {
		return nil, err
	}
	return m, nil
}

// maxShotSamples is the largest number of shots of one circuit run that
// training draws one by one; more are drawn as a histogram (drawCounts), so
// that no shot is stored and the cost does not grow with their number.
const maxShotSamples = 1 << 20

// drawCounts draws the histogram of shots samples from the distribution
// p as one multinomial variate, calling visit(x, count) for every x drawn:
// no sample is stored, so the cost does not grow with shots. Objective
// has refused more shots than multinomial.MaxCount, the most Draw takes.
func drawCounts(p []float64, shots int, rng *rand.Rand, visit func(x int, count int64)) error {
	return multinomial.Draw(rng, int64(shots), p, visit)
}
