package transpile

import (
	"math"

	"born/circuit"
)

// kind says what an IR node does.
type kind uint8

const (
	k1       kind = iota // a numeric 1-qubit unitary m
	kRot                 // a rotation about axis by a symbolic angle
	kCX                  // CX(q[0] -> q[1])
	kSwap                // SWAP inserted by routing
	k2                   // a basis 2-qubit gate: name, params
	kBasis1              // a basis 1-qubit gate: name, params
	kMeasure             // measure q[0] into clbit
	kReset               // reset q[0]
	kBarrier             // barrier on q
)

// node is one operation of the transpiler's intermediate form.
type node struct {
	kind   kind
	q      []int
	m      circuit.Matrix // k1
	axis   byte           // kRot: 'x', 'y' or 'z'
	angle  circuit.Expr   // kRot
	name   string         // k2, kBasis1
	params []float64      // k2, kBasis1
	clbit  int            // kMeasure
	cond   []circuit.Condition
}

func (n *node) is2q() bool { return n.kind == kCX || n.kind == kSwap || n.kind == k2 }

// is1q reports whether n is a unitary on one qubit.
func (n *node) is1q() bool { return n.kind == k1 || n.kind == kRot || n.kind == kBasis1 }

// Expression helpers: nil stands for zero, constants fold.

func eConst(v float64) circuit.Expr {
	if v == 0 {
		return nil
	}
	return circuit.Const(v)
}

func eAdd(a, b circuit.Expr) circuit.Expr {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return fold(circuit.Add(a, b))
}

func eScale(k float64, a circuit.Expr) circuit.Expr {
	switch {
	case a == nil || k == 0:
		return nil
	case k == 1:
		return a
	case k == -1:
		return fold(circuit.Neg(a))
	}
	if k == math.Trunc(k) {
		return fold(circuit.Mul(circuit.Const(k), a))
	}
	if 1/k == math.Trunc(1/k) {
		return fold(circuit.Div(a, circuit.Const(1/k)))
	}
	return fold(circuit.Mul(circuit.Const(k), a))
}

func fold(e circuit.Expr) circuit.Expr {
	if circuit.IsConst(e) {
		v := e.Eval(nil)
		if v == 0 {
			return nil
		}
		return circuit.Const(v)
	}
	return e
}

// constVal reports the value of a constant expression (nil is 0).
func constVal(e circuit.Expr) (float64, bool) {
	if e == nil {
		return 0, true
	}
	if circuit.IsConst(e) {
		return e.Eval(nil), true
	}
	return 0, false
}
