package circuit

// Library says where a gate definition comes from.
type Library uint8

const (
	LibUser     Library = iota // defined by a gate statement in a program
	LibCore                    // built into the language: U, CX, gphase
	LibQELib1                  // qelib1.inc as Qiskit ships it (OpenQASM 2)
	LibStdGates                // stdgates.inc (OpenQASM 3)
	LibInternal                // a primitive born uses to lower other gates
)

func (l Library) String() string {
	return [...]string{"user", "core", "qelib1", "stdgates", "internal"}[l]
}

// GateDef defines a gate: a name, formal parameters and qubits, and either a
// closed-form matrix (built-in gates), a body of other gates (user gates, and
// the decomposition of built-in gates), or neither (opaque gates).
type GateDef struct {
	Name       string
	Params     []string // formal parameter names
	QubitNames []string // formal qubit names; len is the gate's arity
	Lib        Library
	Opaque     bool

	// Body is the definition as a sequence of gates on the formal qubits. For
	// a built-in gate it is the decomposition its library file gives; its
	// unitary equals Matrix exactly, global phase included.
	Body []Op

	// MatrixFunc is the closed form of a built-in gate; nil for user gates.
	MatrixFunc func(p []float64) Matrix

	// Controls > 0 marks a built-in controlled gate: its first Controls
	// qubits are controls (all must be 1) and Target acts on the rest.
	Controls int
	Target   *GateDef
	// Phase is a global phase e^{i Phase} that multiplies the controlled
	// target (qelib1's ch has one).
	Phase float64

	// Diagonal is set when the matrix is diagonal for every parameter value.
	Diagonal bool
}

// NumQubits returns the gate's arity.
func (g *GateDef) NumQubits() int { return len(g.QubitNames) }

// Builtin reports whether the gate has a closed-form matrix.
func (g *GateDef) Builtin() bool { return g.MatrixFunc != nil }

// Matrix returns the gate's unitary for the given parameter values. For a
// user gate it multiplies out the body; it returns nil for an opaque gate.
func (g *GateDef) Matrix(p []float64) Matrix {
	if g.MatrixFunc != nil {
		return g.MatrixFunc(p)
	}
	if g.Opaque {
		return nil
	}
	m, err := BodyMatrix(g, p)
	if err != nil {
		return nil
	}
	return m
}

// BodyMatrix multiplies out g's body with parameters p into a 2^k x 2^k
// unitary (k the arity of g).
func BodyMatrix(g *GateDef, p []float64) (Matrix, error) {
	args := make([]Expr, len(p))
	for i, v := range p {
		args[i] = Const(v)
	}
	sub := &Circuit{NumQubits: g.NumQubits()}
	for _, op := range g.Body {
		op.Params = substAll(op.Params, args)
		sub.Ops = append(sub.Ops, op)
	}
	return sub.Unitary(nil)
}

func substAll(es []Expr, args []Expr) []Expr {
	if len(es) == 0 {
		return nil
	}
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = Subst(e, args)
	}
	return out
}
