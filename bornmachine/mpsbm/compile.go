package mpsbm

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/cmplx"

	"born/bornmachine"
	"born/circuit"
	"born/mps"
	"born/qasm"
	"born/statevector"
	"born/transpile"
)

// DefaultLayers is the largest number of staircase layers Compile uses by
// default for a state with bonds above 2.
const DefaultLayers = 4

// CompileOptions configure Compile.
type CompileOptions struct {
	// Layers is the largest number of staircase layers (0: DefaultLayers);
	// Compile keeps the number that gives the highest fidelity. A state
	// whose bonds are all at most 2 needs, and gets, one.
	Layers int
}

// Compiled is a matrix product state compiled into a circuit.
type Compiled struct {
	// Circuit prepares the state from |0...0>: qubit q is bit q. Its gates
	// are OpenQASM 3 standard gates (u3, cu, x, p) and gphase, with numbers
	// for parameters.
	Circuit *circuit.Circuit
	// Fidelity is |<mps|circuit|0...0>|^2, exact (see Fidelity).
	Fidelity float64
	// LayerFidelities[k] is the fidelity with k+1 layers as tracked while
	// compiling, on a residual state capped at bond max(256, 4 chi) (exact
	// unless that cap truncated); Layers of them are kept.
	LayerFidelities []float64
	Layers          int
	// Exact is true when every bond of the state is at most 2, so one layer
	// prepares it exactly (up to rounding).
	Exact bool
	// Unitaries is the number of 2-qubit unitaries of the staircases
	// (n-1 per layer).
	Unitaries int
}

// Compile compiles the model's state into a circuit of 2-qubit unitaries
// on neighbouring qubits (CompileState).
func (m *Model) Compile(opts CompileOptions) (*Compiled, error) { return CompileState(m.st, opts) }

// CompileState compiles a normalised matrix product state into a circuit
// that prepares it from |0...0>: a sequential staircase of 2-qubit
// unitaries, one per neighbouring pair, each turning the bond qubit and a
// fresh qubit into the next site's bond and physical qubit, exact when the
// bonds are at most 2 (Schön et al., PRL 95, 110503, 2005). For larger
// bonds each layer is compiled from the bond-2 truncation of what the
// previous layers leave unexplained, |psi_{k+1}> = G_k^dagger |psi_k>, and
// the circuit is G_1 ... G_K |0> (Ran, PRA 101, 032310, 2020). Each 2-qubit
// unitary is synthesised exactly from Givens rotations between
// computational basis states that differ in one bit (controlled u gates),
// and phases. s is not changed.
func CompileState(s *mps.State, opts CompileOptions) (*Compiled, error) {
	if opts.Layers < 0 {
		return nil, fmt.Errorf("mps compile: %d layers; use 0 (default) or a positive count", opts.Layers)
	}
	maxLayers := opts.Layers
	if maxLayers == 0 {
		maxLayers = DefaultLayers
	}
	n := s.NumQubits()
	exact := true
	for _, b := range s.BondDims() {
		exact = exact && b <= 2
	}
	if exact {
		maxLayers = 1
	}
	// The residual state is capped at bond max(256, 4 chi), which keeps it
	// exact for the default number of layers on up to 16 qubits (a layer
	// multiplies the bonds by at most 4); the final fidelity is exact.
	dmax := 1
	for _, b := range s.BondDims() {
		dmax = max(dmax, b)
	}
	work, err := mps.FromCanonical(s.Tensors(), s.Center(), mps.Options{MaxBond: max(256, 4*dmax)})
	if err != nil {
		return nil, err
	}
	var layers [][]circuit.Op
	var fids []float64
	best := -1
	for k := 0; k < maxLayers; k++ {
		phi, err := truncate2(work)
		if err != nil {
			return nil, err
		}
		ops := staircase(phi.Tensors())
		layers = append(layers, ops)
		if err := applyInverse(work, ops); err != nil {
			return nil, err
		}
		a := work.Amplitude(mps.NewBits(n))
		f := real(a)*real(a) + imag(a)*imag(a)
		fids = append(fids, f)
		if best < 0 || f > fids[best] {
			best = k
		}
		if f > 1-1e-13 {
			break
		}
	}
	c := circuit.New(n, 0)
	for k := best; k >= 0; k-- {
		c.Ops = append(c.Ops, layers[k]...)
	}
	out := &Compiled{Circuit: c, LayerFidelities: fids, Layers: best + 1, Exact: exact, Unitaries: (best + 1) * (n - 1)}
	if out.Fidelity, err = Fidelity(s, c); err != nil {
		return nil, err
	}
	return out, nil
}

// maxFidelitySV is the largest n for which Fidelity runs the circuit on the
// state vector; above it, on the MPS engine without truncation.
const maxFidelitySV = 20

// Fidelity returns |<s|c|0...0>|^2 for a unitary circuit c without
// parameters, exactly: on the state vector for up to 20 qubits, else on the
// MPS engine without truncation (whose cost grows with the circuit's
// entanglement).
func Fidelity(s *mps.State, c *circuit.Circuit) (float64, error) {
	n := s.NumQubits()
	if c.NumQubits != n {
		return 0, fmt.Errorf("the circuit has %d qubits, the state %d", c.NumQubits, n)
	}
	l, err := c.Lower()
	if err != nil {
		return 0, err
	}
	if !l.IsPure() || l.NumSymbols != 0 {
		return 0, fmt.Errorf("the circuit must be unitary, with numbers for parameters")
	}
	var a complex128
	if n <= maxFidelitySV {
		sv, err := statevector.New(n)
		if err != nil {
			return 0, err
		}
		for _, in := range l.Instrs {
			sv.Apply(in.Matrix(nil), in.Targets, in.Controls, in.CtrlState)
		}
		for x, v := range s.Amplitudes() {
			a += cmplx.Conj(v) * sv.Amplitude(x)
		}
	} else {
		out, err := mps.New(n, mps.Options{})
		if err != nil {
			return 0, err
		}
		for _, in := range l.Instrs {
			out.Apply(in.Matrix(nil), in.Targets, in.Controls, in.CtrlState)
		}
		a = mps.Inner(s, out)
	}
	return real(a)*real(a) + imag(a)*imag(a), nil
}

// truncate2 returns the bond-2 truncation of s, normalised, in
// left-canonical form (center at the last site).
func truncate2(s *mps.State) (*mps.State, error) {
	t, err := mps.FromCanonical(s.Tensors(), s.Center(), mps.Options{MaxBond: 2})
	if err != nil {
		return nil, err
	}
	t.MoveCenter(0)
	for i := 0; i+1 < t.NumQubits(); i++ {
		th, _, _ := t.Pair(i)
		if _, err := t.SetPair(i, th, true); err != nil {
			return nil, err
		}
	}
	t.MoveCenter(t.NumQubits() - 1)
	return t, nil
}

// applyInverse applies the inverse of the unitary ops to s.
func applyInverse(s *mps.State, ops []circuit.Op) error {
	c := circuit.New(s.NumQubits(), 0)
	c.Ops = ops
	l, err := c.Lower()
	if err != nil {
		return err
	}
	for i := len(l.Instrs) - 1; i >= 0; i-- {
		in := &l.Instrs[i]
		s.Apply(circuit.Dagger(in.Matrix(nil)), in.Targets, in.Controls, in.CtrlState)
	}
	return nil
}

// staircase returns the gates, in circuit order, of the staircase that
// prepares the MPS of left-canonical tensors ts (bonds at most 2, the last
// site normalised) from |0...0>: site n-1 first on qubits (n-2, n-1), then
// site q on (q-1, q) taking the bond from qubit q, and site 0 on qubit 0.
// The bond between sites q-1 and q lives on qubit q-1.
func staircase(ts []mps.Tensor) []circuit.Op {
	n := len(ts)
	b := &opBuilder{}
	if n == 1 {
		t := ts[0]
		b.unitary1(0, [][2]complex128{{t.A[0], t.A[1]}})
		return b.ops
	}
	for q := n - 1; q >= 1; q-- {
		t := ts[q]
		// Column r: W[l + 2s] = A[l, s, r]; inputs |a=0, b=r> = index 2r.
		cols := make([][4]complex128, t.DR)
		for r := range cols {
			for l := 0; l < t.DL; l++ {
				for s := 0; s < 2; s++ {
					cols[r][l+2*s] = t.A[(l*2+s)*t.DR+r]
				}
			}
		}
		b.isometry2(q-1, q, cols)
	}
	t := ts[0]
	cols := make([][2]complex128, t.DR)
	for r := range cols {
		cols[r] = [2]complex128{t.A[r], t.A[t.DR+r]}
	}
	b.unitary1(0, cols)
	return b.ops
}

// opBuilder collects gates, cancelling adjacent x gates on a qubit.
type opBuilder struct{ ops []circuit.Op }

var (
	gateU3 = circuit.StdGates["u3"] // Rz(phi) Ry(theta) Rz(lambda)
	gateCU = circuit.StdGates["cu"]
	gateX  = circuit.StdGates["x"]
	gateP  = circuit.StdGates["p"]
)

func (b *opBuilder) add(g *circuit.GateDef, params []float64, qubits ...int) {
	if g == gateX && len(b.ops) > 0 {
		last := b.ops[len(b.ops)-1]
		if last.Gate == gateX && last.Qubits[0] == qubits[0] {
			b.ops = b.ops[:len(b.ops)-1]
			return
		}
	}
	ps := make([]circuit.Expr, len(params))
	for i, p := range params {
		ps[i] = circuit.Const(p)
	}
	b.ops = append(b.ops, circuit.Op{Kind: circuit.GateOp, Gate: g, Params: ps, Qubits: qubits})
}

func (b *opBuilder) phase(g float64) {
	if math.Abs(g) > 1e-15 {
		b.add(circuit.GPhase, []float64{g})
	}
}

// uAngles returns theta, phi, lambda, gamma with m = e^{i gamma} U(theta,
// phi, lambda) for Qiskit's U, the target of the standard cu gate.
func uAngles(m circuit.Matrix) (theta, phi, lambda, gamma float64) {
	theta, phi, lambda, alpha := transpile.ZYZ(m)
	// Rz(phi) Ry(theta) Rz(lambda) = e^{-i(phi+lambda)/2} U(theta, phi, lambda).
	return theta, phi, lambda, alpha - (phi+lambda)/2
}

func isIdentity(m circuit.Matrix) bool {
	return cmplx.Abs(m[0]-1) < 1e-15 && cmplx.Abs(m[1]) < 1e-15 && cmplx.Abs(m[2]) < 1e-15 && cmplx.Abs(m[3]-1) < 1e-15
}

// unitary1 adds the 1-qubit unitary that maps |r> to cols[r] (orthonormal;
// one column is completed to a unitary).
func (b *opBuilder) unitary1(q int, cols [][2]complex128) {
	w0 := cols[0]
	w1 := [2]complex128{-cmplx.Conj(w0[1]), cmplx.Conj(w0[0])}
	if len(cols) > 1 {
		w1 = cols[1]
	}
	m := circuit.Matrix{w0[0], w1[0], w0[1], w1[1]}
	th, ph, la, g := transpile.ZYZ(m)
	b.phase(g)
	if p := []float64{th, ph, la}; !isIdentity(gateU3.Matrix(p)) {
		b.add(gateU3, p, q)
	}
}

// givens is a two-level rotation V on basis states keep and zero (which
// differ in one bit): in the basis (|keep>, |zero>) V = [[v00, v01], [v10,
// v11]].
type givens struct {
	keep, zero int
	v          [4]complex128
}

// isometry2 adds gates of a 2-qubit unitary U on qubits a (bit 0 of an
// index) and b (bit 1) with U|2r> = cols[r] for the orthonormal columns
// cols (at most 2). It reduces the columns to phases times |0> and |2> by
// Givens rotations between indices that differ in one bit, along the Gray
// path 0-1-3-2, and emits U = V_1^dagger ... V_k^dagger D in circuit order:
// D first.
func (b *opBuilder) isometry2(qa, qb int, cols [][4]complex128) {
	w := append([][4]complex128(nil), cols...)
	var rots []givens
	rotate := func(keep, zero, col int) {
		x, y := w[col][keep], w[col][zero]
		if y == 0 {
			return
		}
		r := math.Hypot(cmplx.Abs(x), cmplx.Abs(y))
		g := givens{keep: keep, zero: zero, v: [4]complex128{
			cmplx.Conj(x) / complex(r, 0), cmplx.Conj(y) / complex(r, 0),
			-y / complex(r, 0), x / complex(r, 0)}}
		for c := range w {
			a, d := w[c][keep], w[c][zero]
			w[c][keep] = g.v[0]*a + g.v[1]*d
			w[c][zero] = g.v[2]*a + g.v[3]*d
		}
		w[col][zero] = 0
		rots = append(rots, g)
	}
	rotate(3, 2, 0)
	rotate(1, 3, 0)
	rotate(0, 1, 0)
	if len(w) > 1 {
		rotate(3, 1, 1)
		rotate(2, 3, 1)
	}
	// D: |0> -> d0 |0>, |2> -> d1 |2>.
	d0 := cmplx.Phase(w[0][0])
	b.phase(d0)
	if len(w) > 1 {
		if ph := cmplx.Phase(w[1][2]) - d0; math.Abs(math.Remainder(ph, 2*math.Pi)) > 1e-15 {
			b.add(gateP, []float64{math.Remainder(ph, 2*math.Pi)}, qb)
		}
	}
	qubit := [2]int{qa, qb}
	for k := len(rots) - 1; k >= 0; k-- {
		g := rots[k]
		diff := g.keep ^ g.zero // 1: bit 0 (a) differs, 2: bit 1 (b)
		t := diff >> 1          // the target bit
		c := 1 - t
		v := g.keep >> uint(c) & 1 // the control's value
		// V^dagger in the basis (|keep>, |zero>), then in (|t=0>, |t=1>).
		vd := [4]complex128{cmplx.Conj(g.v[0]), cmplx.Conj(g.v[2]), cmplx.Conj(g.v[1]), cmplx.Conj(g.v[3])}
		m := circuit.Matrix{vd[0], vd[1], vd[2], vd[3]}
		if g.keep>>uint(t)&1 == 1 {
			m = circuit.Matrix{vd[3], vd[2], vd[1], vd[0]}
		}
		if isIdentity(m) {
			continue
		}
		th, ph, la, gm := uAngles(m)
		if v == 0 {
			b.add(gateX, nil, qubit[c])
		}
		b.add(gateCU, []float64{th, ph, la, gm}, qubit[c], qubit[t])
		if v == 0 {
			b.add(gateX, nil, qubit[c])
		}
	}
}

// ModelQASM reads a born model file and returns the circuit of its model as
// an OpenQASM program of the given version (2 or 3; 0 means 3): a QCBM's
// circuit with its trained parameters bound, or an MPS Born machine
// compiled by Compile with opts, whose report (fidelity, layers) it also
// returns (nil for a QCBM).
func ModelQASM(r io.Reader, version int, opts CompileOptions) ([]byte, *Compiled, error) {
	_, model, err := bornmachine.DecodeModelFile(r)
	if err != nil {
		return nil, nil, err
	}
	switch m := model.(type) {
	case *bornmachine.QCBM:
		c := m.Circuit()
		vals := map[string]float64{}
		for i, v := range m.Params() {
			vals[c.Symbols[i]] = v
		}
		out, err := qasm.Format(c, qasm.WriteOptions{Version: version, Params: vals})
		return out, nil, err
	case *Model:
		comp, err := m.Compile(opts)
		if err != nil {
			return nil, nil, err
		}
		out, err := qasm.Format(comp.Circuit, qasm.WriteOptions{Version: version})
		return out, comp, err
	}
	return nil, nil, fmt.Errorf("a %s model has no circuit to write: only qcbm and mps models do", model.Kind())
}

// WriteQASM compiles the model (Compile with default options) and writes
// the circuit as OpenQASM 3.
func (m *Model) WriteQASM(w io.Writer) error {
	comp, err := m.Compile(CompileOptions{})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := qasm.Write(&buf, comp.Circuit, qasm.WriteOptions{Version: 3}); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}
