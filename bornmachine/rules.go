package bornmachine

import (
	"fmt"
	"math"

	"born/circuit"
)

// Exact derivatives of gates with respect to one parameter.
//
// Every parameterised built-in gate of born's libraries depends on each of
// its parameters v as
//
//	M(v) = exp(-i v G) M(0),  G = c + H/2,  H^2 = I
//
// (up to conjugation by the other parameters' factors), so the generator G
// has the eigenvalues c - 1/2 and c + 1/2 (or only one of them, for a pure
// phase). The offset c is 0 for the rotations rx, ry, rz (stdgates), -1/2
// for phase gates diag(1, e^{iv}) and U's phi and lambda, and so on; the
// table below lists it per gate and parameter, and the tests check every
// entry against finite differences of the closed-form matrix.
//
// A one-parameter gate (M(v) = exp(-i v G)) raised to the integer power k
// has c -> k c and eigenvalue gap w = |k|; the inverse (k = -1) of any gate
// has c -> -c. A power |k| > 1 of a gate with several parameters repeats
// the parameter and has no rule here. From the form above follow, exactly:
//
//   - the matrix derivative dM/dv = -i c M(v) + (w/2) e^{i pi c/w} M(v + pi/w),
//     used by the adjoint gradient;
//   - the parameter-shift rule for probabilities. Uncontrolled, or controlled
//     with |c| = w/2 (the controlled generator has the two eigenvalues 0 and
//     +-w: cp, controlled phases), it is the two-term rule
//     df/dv = (w/2) [f(v + pi/2w) - f(v - pi/2w)].
//     Controlled with c = 0 (crx, cry, crz, cu's theta: the controlled
//     generator has the three eigenvalues -w/2, 0, w/2) the two-term rule is
//     wrong; the four-term rule is exact:
//     df/dv = w { d1 [f(v + pi/2w) - f(v - pi/2w)] - d2 [f(v + 3pi/2w) - f(v - 3pi/2w)] }
//     with d1 = (sqrt2+1)/(4 sqrt2), d2 = (sqrt2-1)/(4 sqrt2).
//   - anything else (a non-integer power of a parameterised gate, a gate
//     not in the table) has no rule: the gradient reports an error naming
//     the gate rather than a wrong number.

// slotKind says how a gate's matrix depends on one parameter.
type slotKind uint8

const (
	slotUnknown  slotKind = iota // no exact rule known
	slotExp                      // M(v) = exp(-i v (c + H/2)) M(0)
	slotConstant                 // M does not depend on the parameter
)

type slotForm struct {
	kind slotKind
	c    float64
}

var gateForms = map[*circuit.GateDef][]slotForm{}

func exp(cs ...float64) []slotForm {
	out := make([]slotForm, len(cs))
	for i, c := range cs {
		out[i] = slotForm{kind: slotExp, c: c}
	}
	return out
}

func init() {
	std, qe := circuit.StdGates, circuit.QELib1Gates
	set := func(g *circuit.GateDef, f []slotForm) {
		if g == nil || len(g.Params) != len(f) {
			panic(fmt.Sprintf("bornmachine: derivative table entry does not match gate %v", g))
		}
		gateForms[g] = f
	}
	const h = 0.5
	// stdgates.inc
	set(std["p"], exp(-h))
	set(std["phase"], exp(-h))
	set(std["u1"], exp(-h))
	set(std["rx"], exp(0))
	set(std["ry"], exp(0))
	set(std["rz"], exp(0))
	set(std["u2"], exp(0, 0))
	set(std["u3"], exp(0, 0, 0))
	// qelib1.inc
	set(qe["u3"], exp(0, -h, -h))
	set(qe["u"], exp(0, -h, -h))
	set(qe["u2"], exp(-h, -h))
	set(qe["u1"], exp(-h))
	set(qe["p"], exp(-h))
	set(qe["rx"], exp(0))
	set(qe["ry"], exp(0))
	set(qe["rz"], exp(-h)) // qelib1's rz is u1
	set(qe["u0"], []slotForm{{kind: slotConstant}})
	set(qe["rxx"], exp(h))  // e^{-it/2} exp(-it XX/2)
	set(qe["rzz"], exp(-h)) // e^{it/2} exp(-it ZZ/2)
	// core gates
	set(circuit.CoreQASM2["U"], exp(0, -h, -h))
	set(circuit.CoreQASM3["U"], exp(-h, -h, -h)) // e^{it/2} times Qiskit's U
	set(circuit.GPhase, exp(-h))                 // e^{ig}: G = -1 = -1/2 - I/2
	// the targets controlled built-ins lower to
	set(std["crx"].Target, exp(0))
	set(std["cry"].Target, exp(0))
	set(std["crz"].Target, exp(0))
	set(std["cp"].Target, exp(-h))
	set(qe["cu3"].Target, exp(0, -h, -h))
	set(std["cu"].Target, exp(0, -h, -h, -h)) // e^{ig} U(t, p, l)
}

// shiftTerm is one term of a parameter-shift rule: coef * f(v + shift).
type shiftTerm struct{ shift, coef float64 }

// slotRule is the derivative rule of one parameter of one instruction.
type slotRule struct {
	constant bool
	c, w     float64 // generator offset and eigenvalue gap (see above)
	terms    []shiftTerm
	err      error // no exact rule (the adjoint and shift gradients refuse)
	shiftErr error // no exact shift rule (the adjoint gradient still works)
}

var (
	fourD1 = (math.Sqrt2 + 1) / (4 * math.Sqrt2)
	fourD2 = (math.Sqrt2 - 1) / (4 * math.Sqrt2)
)

// ruleFor returns the derivative rule of parameter slot of instruction in.
func ruleFor(in *circuit.Instr, slot int) slotRule {
	forms, ok := gateForms[in.Gate]
	if !ok {
		return slotRule{err: fmt.Errorf("gate %s (%s) has no exact derivative rule in born", in.Gate.Name, in.Gate.Lib)}
	}
	f := forms[slot]
	if f.kind == slotConstant || in.Pow == 0 {
		return slotRule{constant: true}
	}
	if in.Pow != math.Trunc(in.Pow) {
		return slotRule{err: fmt.Errorf("pow(%v) @ %s: a non-integer power of a parameterised gate has no exact derivative rule", in.Pow, in.Gate.Name)}
	}
	if math.Abs(in.Pow) > 1 && len(in.Gate.Params) > 1 {
		// M(v) = A exp(-i v G) B: in M^k the parameter appears k times.
		return slotRule{err: fmt.Errorf("pow(%v) @ %s: the parameter enters the power %v times; no exact derivative rule (apply the gate %v times instead)", in.Pow, in.Gate.Name, math.Abs(in.Pow), math.Abs(in.Pow))}
	}
	r := slotRule{c: in.Pow * f.c, w: math.Abs(in.Pow)}
	s := math.Pi / (2 * r.w)
	switch {
	case len(in.Controls) == 0 || math.Abs(math.Abs(r.c)-r.w/2) < 1e-12:
		r.terms = []shiftTerm{{s, r.w / 2}, {-s, -r.w / 2}}
	case r.c == 0:
		r.terms = []shiftTerm{{s, r.w * fourD1}, {-s, -r.w * fourD1}, {3 * s, -r.w * fourD2}, {-3 * s, r.w * fourD2}}
	default:
		r.shiftErr = fmt.Errorf("controlled %s: its generator has three unevenly spaced eigenvalues; no two- or four-term shift rule applies (use the adjoint gradient)", in.Gate.Name)
	}
	return r
}

// derivMatrix returns dE/dv, given E(v) and E(v + pi/w) (the instruction's
// target matrix at the parameter value and shifted by pi/w).
func (r *slotRule) derivMatrix(e, eShift circuit.Matrix) circuit.Matrix {
	a := complex(0, -r.c)
	ph := circuit.Expi(math.Pi * r.c / r.w)
	b := complex(r.w/2, 0) * ph
	out := make(circuit.Matrix, len(e))
	for i := range e {
		out[i] = a*e[i] + b*eShift[i]
	}
	return out
}
