package qasm

// Exact equivalences between the gates of OpenQASM 2 (qelib1.inc, U, CX)
// and OpenQASM 3 (stdgates.inc, U, gphase), global phase included, for the
// writer: a gate of the other version's library is written as the body its
// equivalence gives, over the gate's formal parameters and qubits, using
// only gates of the target's library.

import (
	"math"
	"math/rand"
	"sync"

	"born/circuit"
)

var (
	equivOnce sync.Once
	equivTo   [4]map[*circuit.GateDef][]circuit.Op // by target version (2, 3)
)

// equivBody returns the body that writes library gate g in the target
// version, and whether there is one. Gates of the target's own library have
// none: they are written as they are.
func equivBody(version int, g *circuit.GateDef) ([]circuit.Op, bool) {
	equivOnce.Do(buildEquivs)
	b, ok := equivTo[version][g]
	return b, ok
}

func bop(g *circuit.GateDef, params []circuit.Expr, mods []circuit.Modifier, qubits ...int) circuit.Op {
	if qubits == nil {
		qubits = []int{}
	}
	return circuit.Op{Kind: circuit.GateOp, Gate: g, Params: params, Mods: mods, Qubits: qubits}
}

func gphaseOp(e circuit.Expr) circuit.Op {
	return bop(circuit.GPhase, []circuit.Expr{e}, nil)
}

func seqQubits(n int) []int {
	qs := make([]int, n)
	for i := range qs {
		qs[i] = i
	}
	return qs
}

func formal(g *circuit.GateDef) []circuit.Expr {
	ps := make([]circuit.Expr, len(g.Params))
	for i, name := range g.Params {
		ps[i] = circuit.Sym{Name: name, Index: i}
	}
	return ps
}

// sameGate reports whether a and b have the same signature and unitary
// (global phase included) at a few parameter values.
func sameGate(a, b *circuit.GateDef) bool {
	if len(a.Params) != len(b.Params) || a.NumQubits() != b.NumQubits() {
		return false
	}
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 3; trial++ {
		p := make([]float64, len(a.Params))
		for i := range p {
			p[i] = (rng.Float64()*2 - 1) * 2 * math.Pi
		}
		if circuit.MaxDiff(a.Matrix(p), b.Matrix(p)) > 1e-12 {
			return false
		}
	}
	return true
}

func buildEquivs() {
	std, qe := circuit.StdGates, circuit.QELib1Gates
	c := circuit.Const
	half := func(e circuit.Expr) circuit.Expr { return circuit.Div(e, c(2)) }
	pi := circuit.Pi
	ctl := func(n int) []circuit.Modifier { return []circuit.Modifier{{Kind: circuit.Ctrl, N: n}} }

	// Into OpenQASM 3.
	to3 := map[*circuit.GateDef][]circuit.Op{}
	for _, name := range circuit.QELib1Order {
		g := qe[name]
		if s := std[name]; s != nil && sameGate(g, s) {
			to3[g] = []circuit.Op{bop(s, formal(g), nil, seqQubits(g.NumQubits())...)}
		}
	}
	{
		g := qe["rz"] // qelib1's rz is u1 = p
		to3[g] = []circuit.Op{bop(std["p"], formal(g), nil, 0)}
		for _, name := range []string{"u3", "u"} {
			g := qe[name]
			f := formal(g)
			to3[g] = []circuit.Op{bop(std["u3"], f, nil, 0), gphaseOp(half(circuit.Add(f[1], f[2])))}
		}
		g = qe["u2"]
		f := formal(g)
		to3[g] = []circuit.Op{bop(std["u2"], f, nil, 0), gphaseOp(half(circuit.Add(f[0], f[1])))}
		g = qe["sx"] // RX(pi/2) = e^{-i pi/4} sqrt(X)
		to3[g] = []circuit.Op{bop(std["sx"], nil, nil, 0), gphaseOp(circuit.Neg(circuit.Div(pi, c(4))))}
		g = qe["sxdg"] // RX(-pi/2)
		to3[g] = []circuit.Op{bop(std["rx"], []circuit.Expr{circuit.Neg(circuit.Div(pi, c(2)))}, nil, 0)}
		g = qe["ch"] // e^{i pi/4} CH
		to3[g] = []circuit.Op{bop(std["ch"], nil, nil, 0, 1), gphaseOp(circuit.Div(pi, c(4)))}
		g = qe["u0"]
		to3[g] = []circuit.Op{bop(std["id"], nil, nil, 0)}
		g = qe["cu1"]
		to3[g] = []circuit.Op{bop(std["cp"], formal(g), nil, 0, 1)}
		g = qe["cu3"]
		to3[g] = []circuit.Op{bop(std["cu"], append(formal(g), c(0)), nil, 0, 1)}
		to3[qe["csx"]] = []circuit.Op{bop(std["sx"], nil, ctl(1), 0, 1)}
		to3[qe["c3x"]] = []circuit.Op{bop(std["x"], nil, ctl(3), 0, 1, 2, 3)}
		to3[qe["c4x"]] = []circuit.Op{bop(std["x"], nil, ctl(4), 0, 1, 2, 3, 4)}
		to3[qe["c3sqrtx"]] = []circuit.Op{bop(std["sx"], nil, ctl(3), 0, 1, 2, 3)}
		// rxx, rzz, rccx and rc3x: their own qelib1 bodies, translated gate by gate.
		for _, name := range []string{"rxx", "rzz", "rccx", "rc3x"} {
			to3[qe[name]] = qe[name].Body
		}
		u := circuit.UQiskit // Qiskit's U = e^{-i theta/2} times the specification's
		f = formal(u)
		to3[u] = []circuit.Op{bop(circuit.U3Spec, f, nil, 0), gphaseOp(circuit.Neg(half(f[0])))}
		to3[circuit.CoreQASM2["CX"]] = []circuit.Op{bop(std["cx"], nil, nil, 0, 1)}
	}
	equivTo[3] = to3

	// Into OpenQASM 2.
	to2 := map[*circuit.GateDef][]circuit.Op{}
	for _, name := range circuit.StdGatesOrder {
		g := std[name]
		if q := qe[name]; q != nil && sameGate(g, q) {
			to2[g] = []circuit.Op{bop(q, formal(g), nil, seqQubits(g.NumQubits())...)}
		}
	}
	{
		g := std["rz"] // e^{-i lambda/2} u1(lambda)
		f := formal(g)
		to2[g] = []circuit.Op{bop(qe["rz"], f, nil, 0), gphaseOp(circuit.Neg(half(f[0])))}
		g = std["u3"]
		f = formal(g)
		to2[g] = []circuit.Op{bop(qe["u3"], f, nil, 0), gphaseOp(circuit.Neg(half(circuit.Add(f[1], f[2]))))}
		g = std["u2"]
		f = formal(g)
		to2[g] = []circuit.Op{bop(qe["u2"], f, nil, 0), gphaseOp(circuit.Neg(half(circuit.Add(f[0], f[1]))))}
		g = std["sx"]
		to2[g] = []circuit.Op{bop(qe["sx"], nil, nil, 0), gphaseOp(circuit.Div(pi, c(4)))}
		g = std["ch"]
		to2[g] = []circuit.Op{bop(qe["ch"], nil, nil, 0, 1), gphaseOp(circuit.Neg(circuit.Div(pi, c(4))))}
		g = std["phase"]
		to2[g] = []circuit.Op{bop(qe["p"], formal(g), nil, 0)}
		g = std["cphase"]
		to2[g] = []circuit.Op{bop(qe["cp"], formal(g), nil, 0, 1)}
		to2[std["CX"]] = []circuit.Op{bop(qe["cx"], nil, nil, 0, 1)}
		u := circuit.U3Spec
		f = formal(u)
		to2[u] = []circuit.Op{bop(circuit.UQiskit, f, nil, 0), gphaseOp(half(f[0]))}
	}
	equivTo[2] = to2
}
