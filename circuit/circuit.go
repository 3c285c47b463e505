package circuit

import (
	"fmt"
	"math"
)

// Register is a named, contiguous range of qubits or classical bits.
type Register struct {
	Name  string
	Start int // global index of element 0
	Size  int
}

// OpKind says what an operation does.
type OpKind uint8

const (
	GateOp  OpKind = iota // a unitary gate, possibly modified
	Measure               // measure Qubits[i] into Clbits[i]
	Reset                 // reset Qubits to |0>
	Barrier               // no effect on the state; an ordering fence
)

func (k OpKind) String() string {
	switch k {
	case GateOp:
		return "gate"
	case Measure:
		return "measure"
	case Reset:
		return "reset"
	case Barrier:
		return "barrier"
	}
	return fmt.Sprintf("OpKind(%d)", uint8(k))
}

// ModKind is a gate modifier of OpenQASM 3.
type ModKind uint8

const (
	Ctrl    ModKind = iota // ctrl(N) @: N controls that must be 1
	NegCtrl                // negctrl(N) @: N controls that must be 0
	Inv                    // inv @
	Pow                    // pow(Exp) @
)

// Modifier is one gate modifier. Modifiers of an Op apply outermost first, as
// written left to right: ctrl @ inv @ g is Mods{Ctrl, Inv}.
type Modifier struct {
	Kind ModKind
	N    int     // number of controls for Ctrl and NegCtrl
	Exp  float64 // exponent for Pow
}

func (m Modifier) String() string {
	switch m.Kind {
	case Ctrl, NegCtrl:
		s := "ctrl"
		if m.Kind == NegCtrl {
			s = "negctrl"
		}
		if m.N != 1 {
			s += fmt.Sprintf("(%d)", m.N)
		}
		return s + " @"
	case Inv:
		return "inv @"
	case Pow:
		return "pow(" + FormatFloat(m.Exp) + ") @"
	}
	return "?"
}

// Condition is a classical condition on an operation: the bits Clbits (least
// significant first) read as an integer equal Value, or differ from it when
// Negate is set.
type Condition struct {
	Clbits []int
	Value  uint64
	Negate bool
}

// Holds reports whether the condition holds for the classical bits cbits.
func (c Condition) Holds(cbits []bool) bool {
	var v uint64
	for i, b := range c.Clbits {
		if cbits[b] {
			v |= 1 << uint(i)
		}
	}
	return (v == c.Value) != c.Negate
}

// Op is one operation of a circuit or of a gate definition's body.
//
// For a gate, Qubits lists the control qubits of the modifiers first (in
// modifier order) and then the gate's own arguments. In a gate body, Qubits
// index the gate's formal qubit arguments and parameter symbols index its
// formal parameters.
type Op struct {
	Kind   OpKind
	Gate   *GateDef
	Params []Expr
	Mods   []Modifier
	Qubits []int
	Clbits []int
	Cond   []Condition // all must hold for the op to apply
}

// NumControls returns the number of qubits taken by ctrl/negctrl modifiers.
func (op *Op) NumControls() int {
	n := 0
	for _, m := range op.Mods {
		if m.Kind == Ctrl || m.Kind == NegCtrl {
			n += m.N
		}
	}
	return n
}

// Circuit is a quantum circuit over NumQubits qubits and NumClbits classical
// bits. Gate parameters are expressions over the named Symbols, which are the
// circuit's trainable parameters; Bind turns them into numbers.
type Circuit struct {
	NumQubits int
	NumClbits int
	QRegs     []Register
	CRegs     []Register
	Symbols   []string   // trainable parameters, in declaration order
	Defs      []*GateDef // user gate definitions, in declaration order
	Ops       []Op
}

// New returns an empty circuit with one quantum register "q" of n qubits and,
// if m > 0, one classical register "c" of m bits.
func New(n, m int) *Circuit {
	c := &Circuit{}
	if n > 0 {
		c.AddQReg("q", n)
	}
	if m > 0 {
		c.AddCReg("c", m)
	}
	return c
}

// AddQReg appends a quantum register of size qubits and returns it.
func (c *Circuit) AddQReg(name string, size int) Register {
	r := Register{Name: name, Start: c.NumQubits, Size: size}
	c.QRegs = append(c.QRegs, r)
	c.NumQubits += size
	return r
}

// AddCReg appends a classical register of size bits and returns it.
func (c *Circuit) AddCReg(name string, size int) Register {
	r := Register{Name: name, Start: c.NumClbits, Size: size}
	c.CRegs = append(c.CRegs, r)
	c.NumClbits += size
	return r
}

// Symbol returns the symbol called name, declaring it if it is new.
func (c *Circuit) Symbol(name string) Sym {
	if i := c.SymbolIndex(name); i >= 0 {
		return Sym{Name: name, Index: i}
	}
	c.Symbols = append(c.Symbols, name)
	return Sym{Name: name, Index: len(c.Symbols) - 1}
}

// SymbolIndex returns the index of the symbol called name, or -1.
func (c *Circuit) SymbolIndex(name string) int {
	for i, s := range c.Symbols {
		if s == name {
			return i
		}
	}
	return -1
}

// Apply appends gate g with the given parameters on the given qubits.
func (c *Circuit) Apply(g *GateDef, params []Expr, qubits ...int) *Circuit {
	c.Ops = append(c.Ops, Op{Kind: GateOp, Gate: g, Params: params, Qubits: qubits})
	return c
}

// G appends a parameterless gate g on the given qubits.
func (c *Circuit) G(g *GateDef, qubits ...int) *Circuit { return c.Apply(g, nil, qubits...) }

// GP appends gate g with numeric parameters on the given qubits.
func (c *Circuit) GP(g *GateDef, params []float64, qubits ...int) *Circuit {
	ps := make([]Expr, len(params))
	for i, p := range params {
		ps[i] = Const(p)
	}
	return c.Apply(g, ps, qubits...)
}

// Measure appends measurements of qubits[i] into clbits[i].
func (c *Circuit) Measure(qubits, clbits []int) *Circuit {
	for i := range qubits {
		c.Ops = append(c.Ops, Op{Kind: Measure, Qubits: []int{qubits[i]}, Clbits: []int{clbits[i]}})
	}
	return c
}

// Reset appends a reset of each qubit.
func (c *Circuit) Reset(qubits ...int) *Circuit {
	for _, q := range qubits {
		c.Ops = append(c.Ops, Op{Kind: Reset, Qubits: []int{q}})
	}
	return c
}

// Barrier appends a barrier on the given qubits.
func (c *Circuit) Barrier(qubits ...int) *Circuit {
	c.Ops = append(c.Ops, Op{Kind: Barrier, Qubits: qubits})
	return c
}

// Validate checks that every operation names existing qubits and bits, that
// no gate names one qubit twice, and that arities and parameter counts match.
func (c *Circuit) Validate() error {
	for i, op := range c.Ops {
		if err := validateOp(&op, c.NumQubits, c.NumClbits, len(c.Symbols)); err != nil {
			return fmt.Errorf("op %d: %w", i, err)
		}
	}
	return nil
}

func validateOp(op *Op, nq, nc, nsym int) error {
	seen := map[int]bool{}
	for _, q := range op.Qubits {
		if q < 0 || q >= nq {
			return fmt.Errorf("qubit %d out of range [0,%d)", q, nq)
		}
		if seen[q] && op.Kind == GateOp {
			return fmt.Errorf("qubit %d used twice in one gate", q)
		}
		seen[q] = true
	}
	for _, b := range op.Clbits {
		if b < 0 || b >= nc {
			return fmt.Errorf("classical bit %d out of range [0,%d)", b, nc)
		}
	}
	for _, cond := range op.Cond {
		for _, b := range cond.Clbits {
			if b < 0 || b >= nc {
				return fmt.Errorf("condition bit %d out of range [0,%d)", b, nc)
			}
		}
	}
	for _, p := range op.Params {
		for _, s := range Symbols(nil, p) {
			if s < 0 || s >= nsym {
				return fmt.Errorf("parameter symbol index %d out of range [0,%d)", s, nsym)
			}
		}
	}
	switch op.Kind {
	case GateOp:
		if op.Gate == nil {
			return fmt.Errorf("gate op without a gate")
		}
		if want := op.Gate.NumQubits() + op.NumControls(); len(op.Qubits) != want {
			return fmt.Errorf("%s takes %d qubits, got %d", op.Gate.Name, want, len(op.Qubits))
		}
		if len(op.Params) != len(op.Gate.Params) {
			return fmt.Errorf("%s takes %d parameters, got %d", op.Gate.Name, len(op.Gate.Params), len(op.Params))
		}
	case Measure:
		if len(op.Qubits) != len(op.Clbits) {
			return fmt.Errorf("measure of %d qubits into %d bits", len(op.Qubits), len(op.Clbits))
		}
	}
	return nil
}

// Bind returns a copy of c with every symbol replaced by vals[i] (one value
// per entry of Symbols) and constant expressions folded to numbers. It
// returns an error for a missing value or a non-finite result.
func (c *Circuit) Bind(vals []float64) (*Circuit, error) {
	if len(vals) != len(c.Symbols) {
		return nil, fmt.Errorf("circuit has %d parameters, %d values given", len(c.Symbols), len(vals))
	}
	out := *c
	out.Symbols = nil
	out.Ops = make([]Op, len(c.Ops))
	for i, op := range c.Ops {
		if len(op.Params) > 0 {
			ps := make([]Expr, len(op.Params))
			for j, p := range op.Params {
				v := p.Eval(vals)
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("op %d (%s): parameter %d evaluates to %v", i, op.Gate.Name, j, v)
				}
				if IsConst(p) {
					ps[j] = Fold(p)
				} else {
					ps[j] = Const(v)
				}
			}
			op.Params = ps
		}
		out.Ops[i] = op
	}
	return &out, nil
}

// BindMap is Bind with values given by symbol name. Every symbol must have a
// value and every name must be a symbol of the circuit.
func (c *Circuit) BindMap(vals map[string]float64) (*Circuit, error) {
	v, err := c.Values(vals)
	if err != nil {
		return nil, err
	}
	return c.Bind(v)
}

// Values turns a name->value map into the value vector indexed like Symbols.
func (c *Circuit) Values(vals map[string]float64) ([]float64, error) {
	v := make([]float64, len(c.Symbols))
	for name := range vals {
		if c.SymbolIndex(name) < 0 {
			return nil, fmt.Errorf("unknown parameter %q (the circuit's parameters: %v)", name, c.Symbols)
		}
	}
	for i, s := range c.Symbols {
		x, ok := vals[s]
		if !ok {
			return nil, fmt.Errorf("parameter %q is unbound", s)
		}
		v[i] = x
	}
	return v, nil
}

// QubitLabel returns "reg[i]" for global qubit q.
func (c *Circuit) QubitLabel(q int) string { return label(c.QRegs, q) }

// ClbitLabel returns "reg[i]" for global classical bit b.
func (c *Circuit) ClbitLabel(b int) string { return label(c.CRegs, b) }

func label(regs []Register, k int) string {
	for _, r := range regs {
		if k >= r.Start && k < r.Start+r.Size {
			return fmt.Sprintf("%s[%d]", r.Name, k-r.Start)
		}
	}
	return fmt.Sprintf("?[%d]", k)
}

// IsPure reports whether the circuit is unitary: no measurement, reset or
// classical condition.
func (c *Circuit) IsPure() bool {
	for _, op := range c.Ops {
		if op.Kind == Measure || op.Kind == Reset || len(op.Cond) > 0 {
			return false
		}
	}
	return true
}

// HasMeasure reports whether the circuit measures any qubit.
func (c *Circuit) HasMeasure() bool {
	for _, op := range c.Ops {
		if op.Kind == Measure {
			return true
		}
	}
	return false
}
