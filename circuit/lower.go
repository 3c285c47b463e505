package circuit

import (
	"encoding/binary"
	"fmt"
	"math"
)

// InstrKind says what a lowered instruction does.
type InstrKind uint8

const (
	IUnitary InstrKind = iota // apply a (controlled) matrix
	IMeasure                  // measure Targets[0] into Clbit
	IReset                    // reset Targets[0] to |0>
)

// Instr is one primitive instruction of a lowered circuit, the form the
// engines execute: a matrix on Targets applied where the Controls hold the
// values in CtrlState, or a measurement or reset. Parameters stay
// expressions over the circuit's symbols, so one lowered circuit serves every
// parameter value, and each Instr is one gate occurrence for gradients.
type Instr struct {
	Kind InstrKind
	// Gate is a built-in gate with a closed-form matrix; nil when Const holds
	// a fixed matrix instead.
	Gate   *GateDef
	Params []Expr
	// Pow is the power the gate's matrix is raised to: 1 normally, -1 for its
	// inverse.
	Pow   float64
	Const Matrix

	Targets   []int // matrix argument j is qubit Targets[j]; may be empty (a phase)
	Controls  []int
	CtrlState uint64 // bit i is the value Controls[i] must have

	Clbit int         // for IMeasure
	Cond  []Condition // classical conditions, all must hold
	Op    int         // index of the circuit Op this instruction came from
}

// Matrix returns the instruction's matrix (on Targets only) for the symbol
// values vals.
func (in *Instr) Matrix(vals []float64) Matrix {
	if in.Const != nil {
		return in.Const
	}
	var p []float64
	if len(in.Params) > 0 {
		p = make([]float64, len(in.Params))
		for i, e := range in.Params {
			p[i] = e.Eval(vals)
		}
	}
	m := in.Gate.MatrixFunc(p)
	if in.Pow != 1 {
		var ok bool
		m, ok = Power(m, in.Pow)
		if !ok { // Lower refuses such powers; this cannot happen for its output
			panic(fmt.Sprintf("circuit: pow(%v) of %s unsupported", in.Pow, in.Gate.Name))
		}
	}
	return m
}

// Diagonal reports whether the instruction's matrix is diagonal for all
// parameter values.
func (in *Instr) Diagonal() bool {
	if in.Const != nil {
		return IsDiagonal(in.Const)
	}
	return in.Gate != nil && in.Gate.Diagonal
}

// Lowered is a circuit flattened into primitive instructions.
type Lowered struct {
	NumQubits, NumClbits int
	NumSymbols           int
	Instrs               []Instr
}

// IsPure reports whether the lowered circuit is unitary.
func (l *Lowered) IsPure() bool {
	for _, in := range l.Instrs {
		if in.Kind != IUnitary || len(in.Cond) > 0 {
			return false
		}
	}
	return true
}

// LowerError is an error found while lowering: an opaque gate applied, or a
// modifier that cannot be lowered exactly.
type LowerError struct {
	Op  int // index of the offending circuit Op
	Msg string
}

func (e *LowerError) Error() string { return fmt.Sprintf("op %d: %s", e.Op, e.Msg) }

// Lower flattens c into primitive instructions: user gates are expanded into
// their bodies, built-in controlled gates become their target gate with
// controls, modifiers are applied (ctrl and negctrl become controls, inv and
// integer pow become powers or repeated bodies), barriers are dropped, and
// measurements of several qubits become one instruction per qubit.
//
// Lower refuses, before expanding anything, a circuit that would lower to
// more than MaxInstrs instructions (counted by a Sizer) or whose gate
// definitions nest more than 64 deep.
func (c *Circuit) Lower() (*Lowered, error) {
	sz := &Sizer{}
	var total float64
	for i := range c.Ops {
		n := sz.Op(&c.Ops[i])
		if sz.TooDeep() {
			return nil, &LowerError{Op: i, Msg: sz.DepthMessage()}
		}
		total += n
		if total > float64(MaxInstrs) {
			return nil, &LowerError{Op: i, Msg: SizeMessage(&c.Ops[i], n, total)}
		}
	}
	l := &Lowered{NumQubits: c.NumQubits, NumClbits: c.NumClbits, NumSymbols: len(c.Symbols),
		Instrs: make([]Instr, 0, int(total))}
	for i := range c.Ops {
		op := &c.Ops[i]
		switch op.Kind {
		case Barrier:
		case Measure:
			for j, q := range op.Qubits {
				l.Instrs = append(l.Instrs, Instr{Kind: IMeasure, Targets: []int{q}, Clbit: op.Clbits[j], Cond: op.Cond, Op: i})
			}
		case Reset:
			for _, q := range op.Qubits {
				l.Instrs = append(l.Instrs, Instr{Kind: IReset, Targets: []int{q}, Cond: op.Cond, Op: i})
			}
		case GateOp:
			lw := lowerer{out: l.Instrs, op: i, cond: op.Cond, sz: sz}
			if err := lw.gate(op.Gate, op.Params, op.Mods, op.Qubits, nil, 0, 1, 0); err != nil {
				return nil, err
			}
			l.Instrs = lw.out
		}
	}
	return l, nil
}

// MaxInstrs is the largest number of instructions Lower makes (about 150
// bytes each): a circuit whose gate definitions expand to more is refused
// before anything is expanded.
var MaxInstrs = 1 << 22

// SizeMessage words the refusal of op, which lowers to n instructions and
// brings the circuit's total to total, above MaxInstrs.
func SizeMessage(op *Op, n, total float64) string {
	if n > float64(MaxInstrs) && op.Kind == GateOp {
		return fmt.Sprintf("%s expands to %s operations (limit %d)", op.Gate.Name, FormatCount(n), MaxInstrs)
	}
	return fmt.Sprintf("circuit too large: %s operations once gate definitions are expanded (limit %d)", FormatCount(total), MaxInstrs)
}

// FormatCount prints a count that may be huge: 2^k for a power of two
// from 2^20, an integer below 10^15, else in e-notation.
func FormatCount(n float64) string {
	if math.IsInf(n, 0) {
		return "infinitely many"
	}
	if fr, e := math.Frexp(n); fr == 0.5 && e-1 >= 20 {
		return fmt.Sprintf("2^%d", e-1)
	}
	if n < 1e15 {
		return fmt.Sprintf("%.0f", n)
	}
	return fmt.Sprintf("%.3g", n)
}

// Sizer counts the instructions operations lower to without lowering them,
// remembering the count of every gate definition it has seen. The count is
// Lower's, or more where a power of a user gate inside a body is reduced by
// the gate's order (Order) only once its parameters are substituted. A
// Sizer is not safe for concurrent use.
type Sizer struct {
	memo map[*GateDef]float64
	deep string // a gate nested more than maxLowerDepth deep
	// orders remembers the order (Order; 0: none) of the matrix of a user
	// gate at numeric parameters, which reducedPow needs at every
	// application of a power of it: multiplying out a 6-qubit body and
	// finding its order costs tens of milliseconds.
	orders map[orderKey]int
}

// orderKey is a user gate at numeric parameters (their float64 bits).
type orderKey struct {
	g *GateDef
	p string
}

// Op returns the number of instructions op lowers to.
func (s *Sizer) Op(op *Op) float64 {
	switch op.Kind {
	case Measure, Reset:
		return float64(len(op.Qubits))
	case GateOp:
		return s.gate(op.Gate, op.Params, op.Mods, 0)
	}
	return 0
}

// TooDeep reports whether a gate seen was nested more than 64 deep.
func (s *Sizer) TooDeep() bool { return s.deep != "" }

// DepthMessage words a TooDeep refusal.
func (s *Sizer) DepthMessage() string {
	return fmt.Sprintf("gate definitions nested more than %d deep (at %s; recursive definition?)", maxLowerDepth, s.deep)
}

func (s *Sizer) gate(g *GateDef, params []Expr, mods []Modifier, depth int) float64 {
	if depth > maxLowerDepth {
		if s.deep == "" {
			s.deep = g.Name
		}
		return 0
	}
	pow := 1.0
	for _, m := range mods {
		if m.Kind == Pow {
			pow *= m.Exp
		}
	}
	var n float64
	for g.Controls > 0 && g.Target != nil {
		if g.Phase != 0 {
			n++
		}
		g = g.Target
	}
	switch {
	case g.MatrixFunc != nil:
		return n + 1
	case g.Opaque:
		return n
	case pow != math.Trunc(pow):
		return n + 1 // one matrix
	}
	body := s.body(g, depth)
	pow = s.reducedPow(g, params, pow, body)
	return n + math.Abs(pow)*body
}

// body returns the instructions one application of user gate g lowers to.
func (s *Sizer) body(g *GateDef, depth int) float64 {
	if v, ok := s.memo[g]; ok {
		return v
	}
	var sum float64
	for j := range g.Body {
		bop := &g.Body[j]
		if bop.Kind != GateOp {
			continue
		}
		// A power of a gate with parameters of g is reduced only once
		// they are substituted (not here: counted unreduced).
		sum += s.gate(bop.Gate, bop.Params, bop.Mods, depth+1)
	}
	if s.deep != "" {
		return sum // not remembered: the depth depends on the way in
	}
	if s.memo == nil {
		s.memo = map[*GateDef]float64{}
	}
	s.memo[g] = sum
	return sum
}

// maxOrderQubits and maxOrderSize bound the user gates whose integer powers
// are reduced by the gate's order: at most 6 qubits and 4096 instructions,
// so that multiplying out the body (a 2^n x 2^n matrix) costs little.
const (
	maxOrderQubits = 6
	maxOrderSize   = 1 << 12
)

// reducedPow returns the integer power pow of user gate g (whose body
// lowers to size instructions) reduced modulo the order of its matrix (see
// Order), so that pow(2^62) @ g repeats g's body at most a few times; pow
// itself when g's parameters are not all numeric, g is too large, or its
// matrix has no small order.
func (s *Sizer) reducedPow(g *GateDef, params []Expr, pow, size float64) float64 {
	if math.Abs(pow) < 2 || g.NumQubits() > maxOrderQubits || size > maxOrderSize {
		return pow
	}
	p := make([]float64, len(params))
	for i, e := range params {
		if !IsConst(e) {
			return pow
		}
		p[i] = e.Eval(nil)
	}
	r := s.order(g, p)
	if r == 0 {
		return pow
	}
	red := math.Mod(math.Abs(pow), float64(r)) // exact; the same for the inverse
	if pow < 0 {
		return -red
	}
	return red
}

// order returns the order of user gate g's matrix at parameters p (0: none,
// or the body does not multiply out, which lowering it reports), computed
// once per Sizer.
func (s *Sizer) order(g *GateDef, p []float64) int {
	key := make([]byte, 0, 8*len(p))
	for _, v := range p {
		key = binary.LittleEndian.AppendUint64(key, math.Float64bits(v))
	}
	k := orderKey{g, string(key)}
	if r, ok := s.orders[k]; ok {
		return r
	}
	r := 0
	if m, err := BodyMatrix(g, p); err == nil {
		r = Order(m)
	}
	if s.orders == nil {
		s.orders = map[orderKey]int{}
	}
	s.orders[k] = r
	return r
}

type lowerer struct {
	out  []Instr
	op   int
	cond []Condition
	sz   *Sizer
}

const maxLowerDepth = 64

func (lw *lowerer) errorf(format string, args ...any) error {
	return &LowerError{Op: lw.op, Msg: fmt.Sprintf(format, args...)}
}

// gate lowers g(params) on qubits under modifiers mods, inside an outer
// context of controls (with ctrlState) and power pow.
func (lw *lowerer) gate(g *GateDef, params []Expr, mods []Modifier, qubits []int, controls []int, ctrlState uint64, pow float64, depth int) error {
	if depth > maxLowerDepth {
		return lw.errorf("gate definitions nested more than %d deep (recursive definition?)", maxLowerDepth)
	}
	// Apply modifiers outermost first.
	controls = append([]int(nil), controls...)
	pos := 0
	for _, m := range mods {
		switch m.Kind {
		case Ctrl, NegCtrl:
			for k := 0; k < m.N; k++ {
				if m.Kind == Ctrl {
					ctrlState |= 1 << uint(len(controls))
				}
				controls = append(controls, qubits[pos])
				pos++
			}
		case Inv:
			pow = -pow
		case Pow:
			pow *= m.Exp
		}
	}
	qubits = qubits[pos:]
	if len(controls) > 63 {
		return lw.errorf("more than 63 control qubits")
	}
	// Built-in controlled gates become their target with more controls.
	for g.Controls > 0 && g.Target != nil {
		if g.Phase != 0 {
			// e^{i phase} under the outer controls: a phase on them.
			lw.out = append(lw.out, Instr{
				Kind: IUnitary, Gate: GPhase, Params: []Expr{Const(g.Phase * pow)}, Pow: 1,
				Controls: controls, CtrlState: ctrlState, Cond: lw.cond, Op: lw.op,
			})
		}
		for k := 0; k < g.Controls; k++ {
			ctrlState |= 1 << uint(len(controls))
			controls = append(controls, qubits[k])
		}
		qubits = qubits[g.Controls:]
		g = g.Target
	}
	switch {
	case g.MatrixFunc != nil:
		if pow != math.Trunc(pow) && g.NumQubits() > 1 && !g.Diagonal {
			return lw.errorf("pow(%v) @ %s: non-integer powers are supported for 1-qubit and diagonal gates only", pow, g.Name)
		}
		lw.out = append(lw.out, Instr{
			Kind: IUnitary, Gate: g, Params: params, Pow: pow,
			Targets: qubits, Controls: controls, CtrlState: ctrlState,
			Cond: lw.cond, Op: lw.op,
		})
		return nil
	case g.Opaque:
		return lw.errorf("gate %s is opaque: it has no definition, so it cannot be simulated", g.Name)
	}
	// A gate with a body.
	if pow != math.Trunc(pow) {
		return lw.powBody(g, params, qubits, controls, ctrlState, pow, depth)
	}
	pow = lw.sz.reducedPow(g, params, pow, lw.sz.body(g, depth))
	reps := int(math.Abs(pow))
	sign := 1.0
	if pow < 0 {
		sign = -1
	}
	for r := 0; r < reps; r++ {
		for k := range g.Body {
			j := k
			if sign < 0 {
				j = len(g.Body) - 1 - k
			}
			bop := &g.Body[j]
			if bop.Kind != GateOp {
				continue // barriers inside gate bodies
			}
			qs := make([]int, len(bop.Qubits))
			for i, f := range bop.Qubits {
				qs[i] = qubits[f]
			}
			if err := lw.gate(bop.Gate, substAll(bop.Params, params), bop.Mods, qs, controls, ctrlState, sign, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// powBody lowers a non-integer power of a user gate by multiplying out its
// body into a matrix, which needs numeric parameters and a 1-qubit or
// diagonal result.
func (lw *lowerer) powBody(g *GateDef, params []Expr, qubits, controls []int, ctrlState uint64, pow float64, depth int) error {
	p := make([]float64, len(params))
	for i, e := range params {
		if !IsConst(e) {
			return lw.errorf("pow(%v) @ %s: a non-integer power of a user gate needs numeric parameters", pow, g.Name)
		}
		p[i] = e.Eval(nil)
	}
	m, err := BodyMatrix(g, p)
	if err != nil {
		return lw.errorf("pow(%v) @ %s: %v", pow, g.Name, err)
	}
	mp, ok := Power(m, pow)
	if !ok {
		return lw.errorf("pow(%v) @ %s: non-integer powers are supported for 1-qubit and diagonal gates only", pow, g.Name)
	}
	lw.out = append(lw.out, Instr{
		Kind: IUnitary, Const: mp, Pow: 1,
		Targets: qubits, Controls: controls, CtrlState: ctrlState,
		Cond: lw.cond, Op: lw.op,
	})
	return nil
}

// Unitary returns the 2^n x 2^n matrix of a pure circuit with symbol values
// vals, by applying its lowered instructions to every basis state. It is the
// reference against which engines and decompositions are checked; use it for
// small n only.
func (c *Circuit) Unitary(vals []float64) (Matrix, error) {
	l, err := c.Lower()
	if err != nil {
		return nil, err
	}
	if !l.IsPure() {
		return nil, fmt.Errorf("circuit is not unitary: it measures, resets or branches")
	}
	if c.NumQubits > 14 {
		return nil, fmt.Errorf("Unitary of %d qubits is too large", c.NumQubits)
	}
	d := 1 << uint(c.NumQubits)
	u := make(Matrix, d*d)
	col := make([]complex128, d)
	mats := make([]Matrix, len(l.Instrs))
	for i := range l.Instrs {
		mats[i] = l.Instrs[i].Matrix(vals)
	}
	for j := 0; j < d; j++ {
		clear(col)
		col[j] = 1
		for i := range l.Instrs {
			in := &l.Instrs[i]
			ApplyRef(col, mats[i], in.Targets, in.Controls, in.CtrlState)
		}
		for i := 0; i < d; i++ {
			u[i*d+j] = col[i]
		}
	}
	return u, nil
}

// ApplyRef applies matrix m on targets, controlled by controls having the
// values in ctrlState, to the state vector psi (qubit q is bit q of an
// index). It is a plain reference implementation: simple and obviously
// correct, not fast.
func ApplyRef(psi []complex128, m Matrix, targets, controls []int, ctrlState uint64) {
	k := len(targets)
	d := 1 << uint(k)
	var cmask, cval int
	for i, c := range controls {
		cmask |= 1 << uint(c)
		if ctrlState>>uint(i)&1 == 1 {
			cval |= 1 << uint(c)
		}
	}
	var tmask int
	for _, t := range targets {
		tmask |= 1 << uint(t)
	}
	in := make([]complex128, d)
	idx := make([]int, d)
	for base := range psi {
		if base&tmask != 0 || base&cmask != cval {
			continue
		}
		for s := 0; s < d; s++ {
			i := base
			for j, t := range targets {
				if s>>uint(j)&1 == 1 {
					i |= 1 << uint(t)
				}
			}
			idx[s] = i
			in[s] = psi[i]
		}
		for r := 0; r < d; r++ {
			var acc complex128
			for s := 0; s < d; s++ {
				acc += m[r*d+s] * in[s]
			}
			psi[idx[r]] = acc
		}
	}
}
