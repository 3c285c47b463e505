package transpile

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/cmplx"
	"strings"

	"born/circuit"
)

// MaxDiagonalQubits is the largest number of qubits (controls and targets
// together) of a diagonal or multi-controlled gate that Decompose
// synthesises. The exact ancilla-free synthesis it uses (a phase polynomial
// over every parity of the qubits, in Gray-code order) takes 2^k - 2 CX
// gates for k qubits, so larger gates are refused rather than emitted as
// thousands of gates.
const MaxDiagonalQubits = 10

// maxBodyDepth bounds the expansion of gate bodies inside Decompose.
const maxBodyDepth = 32

// Error is an error transpiling one operation of the source circuit: a gate
// with no exact decomposition, an unbound parameter where numbers are
// needed, or an operation the target cannot express.
type Error struct {
	Op   int    // index into the source circuit's Ops
	Gate string // the operation as written, e.g. "ctrl(2) @ rz(theta) q[0], q[1], q[2]"
	Msg  string
}

func (e *Error) Error() string {
	if e.Gate == "" {
		return fmt.Sprintf("op %d: %s", e.Op, e.Msg)
	}
	return fmt.Sprintf("op %d (%s): %s", e.Op, e.Gate, e.Msg)
}

// describe returns an operation as written, for error messages.
func describe(c *circuit.Circuit, op *circuit.Op) string {
	var b strings.Builder
	for _, m := range op.Mods {
		b.WriteString(m.String())
		b.WriteByte(' ')
	}
	switch op.Kind {
	case circuit.GateOp:
		b.WriteString(op.Gate.Name)
		if len(op.Params) > 0 {
			b.WriteString("(" + circuit.ExprList(op.Params) + ")")
		}
	default:
		b.WriteString(op.Kind.String())
	}
	for i, q := range op.Qubits {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteString(", ")
		}
		b.WriteString(c.QubitLabel(q))
	}
	return b.String()
}

// decomposer turns a circuit into IR nodes on its own qubits: 1-qubit
// unitaries (numeric, or rotations by symbolic angles), CX, measure, reset
// and barrier, with the global phase tracked.
type decomposer struct {
	c        *circuit.Circuit
	nodes    []node
	phase    float64      // numeric global phase
	phaseSym circuit.Expr // symbolic global phase terms
	cond     []circuit.Condition
	op       int
	gate     string
}

func (d *decomposer) errorf(format string, args ...any) error {
	return &Error{Op: d.op, Gate: d.gate, Msg: fmt.Sprintf(format, args...)}
}

// decompose converts the whole circuit.
func decompose(c *circuit.Circuit) (*decomposer, error) {
	d := &decomposer{c: c}
	for i := range c.Ops {
		op := &c.Ops[i]
		d.op, d.cond, d.gate = i, op.Cond, ""
		switch op.Kind {
		case circuit.Barrier:
			d.emit(node{kind: kBarrier, q: append([]int(nil), op.Qubits...)})
		case circuit.Measure:
			for j, q := range op.Qubits {
				d.emit(node{kind: kMeasure, q: []int{q}, clbit: op.Clbits[j]})
			}
		case circuit.Reset:
			for _, q := range op.Qubits {
				d.emit(node{kind: kReset, q: []int{q}})
			}
		case circuit.GateOp:
			d.gate = describe(c, op)
			if err := d.gateOp(op); err != nil {
				return nil, err
			}
		}
	}
	return d, nil
}

func (d *decomposer) emit(n node) {
	n.cond = d.cond
	d.nodes = append(d.nodes, n)
}

func (d *decomposer) addPhase(p float64) { d.phase += p }

func (d *decomposer) addPhaseExpr(e circuit.Expr) {
	if v, ok := constVal(e); ok {
		d.phase += v
		return
	}
	d.phaseSym = eAdd(d.phaseSym, e)
}

// gateOp lowers one gate operation and decomposes its instructions.
func (d *decomposer) gateOp(op *circuit.Op) error {
	sub := &circuit.Circuit{NumQubits: d.c.NumQubits, NumClbits: d.c.NumClbits, Symbols: d.c.Symbols,
		Ops: []circuit.Op{*op}}
	sub.Ops[0].Cond = nil
	return d.lowered(sub, 0)
}

// lowered lowers the one-operation circuit sub and decomposes its
// instructions at body depth depth.
func (d *decomposer) lowered(sub *circuit.Circuit, depth int) error {
	l, err := sub.Lower()
	if err != nil {
		var le *circuit.LowerError
		if errors.As(err, &le) {
			return d.errorf("%s", le.Msg)
		}
		return d.errorf("%v", err)
	}
	for i := range l.Instrs {
		if err := d.instr(&l.Instrs[i], depth); err != nil {
			return err
		}
	}
	return nil
}

func (d *decomposer) instr(in *circuit.Instr, depth int) error {
	if in.Kind != circuit.IUnitary {
		return d.errorf("unexpected %v instruction in a gate", in.Kind)
	}
	for _, p := range in.Params {
		if !circuit.IsConst(p) {
			return d.symbolic(in, depth)
		}
	}
	m := in.Matrix(nil)
	if !circuit.IsFinite(m) {
		return d.errorf("the gate's matrix is not finite")
	}
	return d.unitary(m, in, depth)
}

// unitary decomposes a numeric instruction: matrix m on in.Targets under
// in.Controls.
func (d *decomposer) unitary(m circuit.Matrix, in *circuit.Instr, depth int) error {
	targets, controls, state := in.Targets, in.Controls, in.CtrlState
	switch {
	case len(targets) == 0: // a phase, a gate on the controls
		if len(controls) == 0 {
			d.addPhase(cmplx.Phase(m[0]))
			return nil
		}
		diag := make([]complex128, 1<<len(controls))
		for x := range diag {
			diag[x] = 1
		}
		diag[int(state)] = m[0]
		return d.diagonal(controls, diag)
	case len(targets) == 1:
		if len(controls) == 0 {
			d.emit(node{kind: k1, q: []int{targets[0]}, m: m})
			return nil
		}
		return d.controlled1(m, controls, state, targets[0])
	case circuit.IsDiagonal(m):
		qs := append(append([]int(nil), controls...), targets...)
		nc := len(controls)
		cmask := 1<<nc - 1
		diag := make([]complex128, 1<<len(qs))
		for x := range diag {
			if x&cmask == int(state) {
				t := x >> nc
				diag[x] = m[t*m.Dim()+t]
			} else {
				diag[x] = 1
			}
		}
		return d.diagonal(qs, diag)
	case len(targets) == 2 && circuit.MaxDiff(m, matSwap) < 1e-15:
		a, b := targets[0], targets[1]
		if len(controls) == 0 {
			d.cx(a, b)
			d.cx(b, a)
			d.cx(a, b)
			return nil
		}
		d.cx(b, a)
		cs := append(append([]int(nil), controls...), a)
		if err := d.controlled1(matX, cs, state|1<<len(controls), b); err != nil {
			return err
		}
		d.cx(b, a)
		return nil
	}
	if in.Gate != nil && len(in.Gate.Body) > 0 {
		return d.body(in, depth)
	}
	name := "a constant matrix"
	if in.Gate != nil {
		name = "gate " + in.Gate.Name
	}
	return d.errorf("%s on %d qubits has no known exact decomposition: born decomposes controlled 1-qubit gates, diagonal gates, swap and gates defined by a body, but does not synthesise arbitrary %d-qubit unitaries (no KAK or Shannon decomposition); define the gate with a body of standard gates",
		name, len(targets), len(targets))
}

var matSwap = circuit.Matrix{1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1}

// body decomposes a built-in multi-qubit gate through its definition, with
// the instruction's controls and power as modifiers.
func (d *decomposer) body(in *circuit.Instr, depth int) error {
	if depth >= maxBodyDepth {
		return d.errorf("gate definitions nested more than %d deep", maxBodyDepth)
	}
	g := *in.Gate
	g.MatrixFunc, g.Controls, g.Target, g.Phase, g.Opaque = nil, 0, nil, 0, false
	var mods []circuit.Modifier
	for i := range in.Controls {
		k := circuit.NegCtrl
		if in.CtrlState>>uint(i)&1 == 1 {
			k = circuit.Ctrl
		}
		mods = append(mods, circuit.Modifier{Kind: k, N: 1})
	}
	if in.Pow != 1 {
		mods = append(mods, circuit.Modifier{Kind: circuit.Pow, Exp: in.Pow})
	}
	qs := append(append([]int(nil), in.Controls...), in.Targets...)
	sub := &circuit.Circuit{NumQubits: d.c.NumQubits, Symbols: d.c.Symbols,
		Ops: []circuit.Op{{Kind: circuit.GateOp, Gate: &g, Params: in.Params, Mods: mods, Qubits: qs}}}
	return d.lowered(sub, depth+1)
}

func (d *decomposer) cx(c, t int) { d.emit(node{kind: kCX, q: []int{c, t}}) }

func (d *decomposer) one(q int, m circuit.Matrix) {
	if circuit.MaxDiff(m, matI2) < 1e-15 {
		return
	}
	d.emit(node{kind: k1, q: []int{q}, m: m})
}

// axisOf writes a 2x2 unitary as u = e^{i alpha} exp(-i omega/2 n.sigma)
// with n a unit vector, n_z >= 0 (n = z when u is a multiple of I).
func axisOf(u circuit.Matrix) (alpha, omega float64, n [3]float64) {
	det := u[0]*u[3] - u[1]*u[2]
	alpha = cmplx.Phase(det) / 2
	e := circuit.Expi(-alpha)
	a, b := u[0]*e, u[1]*e
	// a = cos(w/2) - i sin(w/2) n_z, b = -i sin(w/2) (n_x - i n_y)
	s := [3]float64{-imag(b), -real(b), -imag(a)}
	sn := math.Sqrt(s[0]*s[0] + s[1]*s[1] + s[2]*s[2])
	if sn == 0 {
		return alpha, 2 * math.Atan2(0, real(a)), [3]float64{0, 0, 1}
	}
	omega = 2 * math.Atan2(sn, real(a))
	n = [3]float64{s[0] / sn, s[1] / sn, s[2] / sn}
	if n[2] < 0 {
		n = [3]float64{-n[0], -n[1], -n[2]}
		omega = -omega
	}
	return alpha, omega, n
}

// rotationTo returns the smallest rotation (a 2x2 special unitary) that
// takes the unit vector from to the unit vector to on the Bloch sphere.
func rotationTo(from, to [3]float64) circuit.Matrix {
	k := [3]float64{from[1]*to[2] - from[2]*to[1], from[2]*to[0] - from[0]*to[2], from[0]*to[1] - from[1]*to[0]}
	sn := math.Sqrt(k[0]*k[0] + k[1]*k[1] + k[2]*k[2])
	cs := from[0]*to[0] + from[1]*to[1] + from[2]*to[2]
	if sn < 1e-300 {
		if cs > 0 {
			return circuit.Identity(2)
		}
		// Opposite vectors: a pi rotation about any axis orthogonal to from.
		k = [3]float64{1, 0, 0}
		if math.Abs(from[0]) > 0.5 {
			k = [3]float64{0, 0, 1}
		}
		k = cross(cross(from, k), from)
		sn = math.Sqrt(k[0]*k[0] + k[1]*k[1] + k[2]*k[2])
		k = [3]float64{k[0] / sn, k[1] / sn, k[2] / sn}
		return pauliRot(k, math.Pi)
	}
	k = [3]float64{k[0] / sn, k[1] / sn, k[2] / sn}
	return pauliRot(k, math.Atan2(sn, cs))
}

func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// pauliRot returns exp(-i w/2 k.sigma).
func pauliRot(k [3]float64, w float64) circuit.Matrix {
	sn, cs := math.Sincos(w / 2)
	return circuit.Matrix{
		complex(cs, -sn*k[2]), complex(-sn*k[1], -sn*k[0]),
		complex(sn*k[1], -sn*k[0]), complex(cs, sn*k[2]),
	}
}

// controlled1 decomposes the 1-qubit unitary u on target t controlled by
// controls (in the states of ctrlState). One control and u = lambda A with
// A a reflection (cx, cy, cz, ch): one CX. Otherwise u = W D W^dagger with D
// diagonal, and the controlled D is a diagonal gate on controls and target.
func (d *decomposer) controlled1(u circuit.Matrix, controls []int, state uint64, t int) error {
	if len(controls) == 1 {
		tr := u[0] + u[3]
		if cmplx.Abs(tr) < 1e-14 {
			// u = lambda (n.sigma): C-u = P(arg lambda) on the control, then
			// W CX W^dagger with W taking x to n.
			lam := cmplx.Sqrt(-(u[0]*u[3] - u[1]*u[2]))
			a := circuit.Scale(1/lam, u)
			n := [3]float64{real(a[2]), imag(a[2]), real(a[0])}
			if n[0] < 0 {
				lam, n = -lam, [3]float64{-n[0], -n[1], -n[2]}
			}
			w := rotationTo([3]float64{1, 0, 0}, n)
			c := controls[0]
			if state&1 == 0 {
				d.one(c, matX)
			}
			d.one(t, circuit.Dagger(w))
			d.cx(c, t)
			d.one(t, w)
			if p := cmplx.Phase(lam); p != 0 {
				d.one(c, circuit.MatP(p))
			}
			if state&1 == 0 {
				d.one(c, matX)
			}
			return nil
		}
	}
	alpha, omega, n := axisOf(u)
	w := rotationTo([3]float64{0, 0, 1}, n)
	qs := append(append([]int(nil), controls...), t)
	nc := len(controls)
	diag := make([]complex128, 1<<len(qs))
	for x := range diag {
		switch {
		case x&(1<<nc-1) != int(state):
			diag[x] = 1
		case x>>nc == 0:
			diag[x] = circuit.Expi(alpha - omega/2)
		default:
			diag[x] = circuit.Expi(alpha + omega/2)
		}
	}
	d.one(t, circuit.Dagger(w))
	if err := d.diagonal(qs, diag); err != nil {
		return err
	}
	d.one(t, w)
	return nil
}

// diagonal synthesises the diagonal unitary diag on qubits qs (bit j of an
// index is qs[j]) exactly: its phases are a sum of c_S Z_S over parities S
// of the qubits (the Walsh-Hadamard transform of the phases), and each term
// is an Rz on the parity, computed into the highest qubit of S with CX
// gates. The parities with the same highest qubit are visited in Gray-code
// order, so that consecutive ones differ by one CX.
func (d *decomposer) diagonal(qs []int, diag []complex128) error {
	k := len(qs)
	if k > MaxDiagonalQubits {
		return d.errorf("a controlled or diagonal gate on %d qubits: born's exact ancilla-free synthesis takes 2^%d CX gates and is limited to %d qubits", k, k, MaxDiagonalQubits)
	}
	phi := make([]float64, len(diag))
	for x, z := range diag {
		phi[x] = cmplx.Phase(z)
	}
	// Walsh-Hadamard transform: phi(x) = sum_S c_S (-1)^{|x & S|}.
	c := append([]float64(nil), phi...)
	for h := 1; h < len(c); h <<= 1 {
		for i := 0; i < len(c); i += h << 1 {
			for j := i; j < i+h; j++ {
				a, b := c[j], c[j+h]
				c[j], c[j+h] = a+b, a-b
			}
		}
	}
	scale := 1 / float64(len(c))
	for i := range c {
		c[i] *= scale
	}
	d.addPhase(c[0])
	// e^{i c Z} = Rz(-2c)
	rz := func(q int, cS float64) {
		if math.Abs(cS) > angleEps/4 {
			d.emit(node{kind: k1, q: []int{q}, m: circuit.MatRZ(-2 * cS)})
		}
	}
	for t := 0; t < k; t++ {
		top := 1 << t
		// The subsets S = {t} u R with R a subset of {0..t-1}, by R.
		nonzero := func(r int) bool { return math.Abs(c[top|r]) > angleEps/4 }
		last := -1 // last Gray-code index with a nonzero term
		direct := 0
		for i := 0; i < top; i++ {
			g := i ^ i>>1
			if nonzero(g) {
				last = i
				direct += 2 * bits.OnesCount(uint(g))
			}
		}
		if last < 0 {
			continue
		}
		gray := last + bits.OnesCount(uint(last^last>>1))
		if direct <= gray {
			for r := 0; r < top; r++ {
				if !nonzero(r) {
					continue
				}
				for b := 0; b < t; b++ {
					if r>>b&1 == 1 {
						d.cx(qs[b], qs[t])
					}
				}
				rz(qs[t], c[top|r])
				for b := t - 1; b >= 0; b-- {
					if r>>b&1 == 1 {
						d.cx(qs[b], qs[t])
					}
				}
			}
			continue
		}
		cur := 0
		for i := 0; i <= last; i++ {
			g := i ^ i>>1
			if diff := g ^ cur; diff != 0 {
				b := bits.TrailingZeros(uint(diff))
				d.cx(qs[b], qs[t])
				cur = g
			}
			if nonzero(g) {
				rz(qs[t], c[top|g])
			}
		}
		for b := 0; b < t; b++ {
			if cur>>b&1 == 1 {
				d.cx(qs[b], qs[t])
			}
		}
	}
	return nil
}
