package transpile

import (
	"math"
	"math/cmplx"

	"born/circuit"
)

// Device gates that are in neither qelib1.inc nor stdgates.inc. Each has a
// closed-form matrix (Qiskit's convention: bit j of a matrix index is
// argument j) and a body in stdgates gates whose unitary equals it exactly,
// global phase included, so that exported programs can be read back and
// simulated. Angles are in radians; the IonQ writer converts them to turns.
var (
	// ECR is IBM's echoed cross-resonance gate,
	// (X_a - Y_a X_b)/sqrt(2) = X_a exp(-i pi/4 Z_a X_b) on arguments (a, b).
	ECR = &circuit.GateDef{Name: "ecr", QubitNames: []string{"a", "b"}, Lib: circuit.LibUser,
		MatrixFunc: func([]float64) circuit.Matrix { return MatECR() }}

	// GPI is IonQ's GPI(phi) = [[0, e^{-i phi}], [e^{i phi}, 0]], a pi
	// rotation about the axis (cos phi, sin phi, 0) times i.
	GPI = &circuit.GateDef{Name: "gpi", Params: []string{"phi"}, QubitNames: []string{"a"}, Lib: circuit.LibUser,
		MatrixFunc: func(p []float64) circuit.Matrix { return MatGPI(p[0]) }}

	// GPI2 is IonQ's GPI2(phi) = (1/sqrt(2))[[1, -i e^{-i phi}], [-i e^{i phi}, 1]],
	// a pi/2 rotation about the axis (cos phi, sin phi, 0).
	GPI2 = &circuit.GateDef{Name: "gpi2", Params: []string{"phi"}, QubitNames: []string{"a"}, Lib: circuit.LibUser,
		MatrixFunc: func(p []float64) circuit.Matrix { return MatGPI2(p[0]) }}

	// MS is the Molmer-Sorensen gate MS(phi0, phi1, theta) =
	// exp(-i theta/2 s(phi0) (x) s(phi1)), s(phi) = cos(phi) X + sin(phi) Y,
	// with phi0 on the first argument. IonQ's native MS is theta = pi/2.
	MS = &circuit.GateDef{Name: "ms", Params: []string{"phi0", "phi1", "theta"}, QubitNames: []string{"a", "b"}, Lib: circuit.LibUser,
		MatrixFunc: func(p []float64) circuit.Matrix { return MatMS(p[0], p[1], p[2]) }}
)

func init() {
	std := circuit.StdGates
	sym := func(g *circuit.GateDef, i int) circuit.Expr { return circuit.Sym{Name: g.Params[i], Index: i} }
	op := func(g *circuit.GateDef, params []circuit.Expr, qs ...int) circuit.Op {
		return circuit.Op{Kind: circuit.GateOp, Gate: g, Params: params, Qubits: qs}
	}
	ex := func(es ...circuit.Expr) []circuit.Expr { return es }
	halfPi := circuit.Div(circuit.Pi, circuit.Const(2))
	ECR.Body = []circuit.Op{
		op(std["h"], nil, 1), op(std["cx"], nil, 0, 1), op(std["rz"], ex(halfPi), 1),
		op(std["cx"], nil, 0, 1), op(std["h"], nil, 1), op(std["x"], nil, 0),
	}
	phi := sym(GPI, 0)
	GPI.Body = []circuit.Op{op(std["rz"], ex(circuit.Neg(phi)), 0), op(std["x"], nil, 0), op(std["rz"], ex(phi), 0)}
	phi = sym(GPI2, 0)
	GPI2.Body = []circuit.Op{op(std["rz"], ex(circuit.Neg(phi)), 0), op(std["rx"], ex(halfPi), 0), op(std["rz"], ex(phi), 0)}
	p0, p1, th := sym(MS, 0), sym(MS, 1), sym(MS, 2)
	MS.Body = []circuit.Op{
		op(std["rz"], ex(circuit.Neg(p0)), 0), op(std["rz"], ex(circuit.Neg(p1)), 1),
		op(std["h"], nil, 0), op(std["h"], nil, 1), op(std["cx"], nil, 0, 1), op(std["rz"], ex(th), 1),
		op(std["cx"], nil, 0, 1), op(std["h"], nil, 0), op(std["h"], nil, 1),
		op(std["rz"], ex(p0), 0), op(std["rz"], ex(p1), 1),
	}
}

// MatECR returns the ECR matrix.
func MatECR() circuit.Matrix {
	s := complex(1/math.Sqrt2, 0)
	return circuit.Matrix{
		0, s, 0, 1i * s,
		s, 0, -1i * s, 0,
		0, 1i * s, 0, s,
		-1i * s, 0, s, 0,
	}
}

// MatGPI returns IonQ's GPI(phi) for phi in radians.
func MatGPI(phi float64) circuit.Matrix {
	return circuit.Matrix{0, circuit.Expi(-phi), circuit.Expi(phi), 0}
}

// MatGPI2 returns IonQ's GPI2(phi) for phi in radians.
func MatGPI2(phi float64) circuit.Matrix {
	s := complex(1/math.Sqrt2, 0)
	return circuit.Matrix{s, -1i * s * circuit.Expi(-phi), -1i * s * circuit.Expi(phi), s}
}

// MatMS returns MS(phi0, phi1, theta) for angles in radians.
func MatMS(phi0, phi1, theta float64) circuit.Matrix {
	sn, cs := math.Sincos(theta / 2)
	c := complex(cs, 0)
	s := complex(0, -sn) // -i sin(theta/2)
	// s(phi0) on bit 0 (argument a), s(phi1) on bit 1 (argument b): the
	// entry <x|s0 (x) s1|y> is nonzero when both bits flip, with factor
	// e^{i phi} for a 0->1 flip and e^{-i phi} for 1->0.
	m := make(circuit.Matrix, 16)
	for y := 0; y < 4; y++ {
		x := y ^ 3
		ph := 1 + 0i
		for bit, p := range []float64{phi0, phi1} {
			if y>>bit&1 == 0 {
				ph *= circuit.Expi(p)
			} else {
				ph *= circuit.Expi(-p)
			}
		}
		m[x*4+y] = s * ph
		m[y*4+y] = c
	}
	return m
}

// Gates of other vendors' languages, by name, for reading exported programs
// back. Their matrices are the vendors' definitions.
var (
	// QuilGates are the Quil gates born writes: RX, RZ and CZ.
	QuilGates = circuit.Catalog{
		"RX": rename(circuit.StdGates["rx"], "RX"),
		"RZ": rename(circuit.StdGates["rz"], "RZ"),
		"CZ": rename(circuit.StdGates["cz"], "CZ"),
	}

	// BraketGates are Amazon Braket's OpenQASM gate names that born writes
	// (and a few more), with Braket's matrices. Braket declares them without
	// an include.
	BraketGates circuit.Catalog

	// IonQGates are IonQ's gate names: the qis set (radians) and the native
	// set (gpi, gpi2, ms; radians here, turns in IonQ's JSON).
	IonQGates circuit.Catalog
)

func init() {
	std := circuit.StdGates
	BraketGates = circuit.Catalog{
		"h": std["h"], "i": rename(std["id"], "i"), "x": std["x"], "y": std["y"], "z": std["z"],
		"s": std["s"], "si": rename(std["sdg"], "si"), "t": std["t"], "ti": rename(std["tdg"], "ti"),
		"v": rename(std["sx"], "v"), "vi": invOf(std["sx"], "vi"),
		"rx": std["rx"], "ry": std["ry"], "rz": std["rz"],
		"phaseshift": rename(std["p"], "phaseshift"),
		"cnot":       rename(std["cx"], "cnot"), "cz": std["cz"], "cy": std["cy"], "swap": std["swap"],
		"cphaseshift": rename(std["cp"], "cphaseshift"),
		"ccnot":       rename(std["ccx"], "ccnot"), "cswap": std["cswap"],
		"ecr": ECR, "gpi": GPI, "gpi2": GPI2, "ms": MS,
	}
	IonQGates = circuit.Catalog{
		"x": std["x"], "y": std["y"], "z": std["z"], "h": std["h"],
		"not": rename(std["x"], "not"), "cnot": rename(std["cx"], "cnot"),
		"s": std["s"], "si": rename(std["sdg"], "si"), "t": std["t"], "ti": rename(std["tdg"], "ti"),
		"v": rename(std["sx"], "v"), "vi": invOf(std["sx"], "vi"),
		"rx": std["rx"], "ry": std["ry"], "rz": std["rz"], "swap": std["swap"],
		"gpi": GPI, "gpi2": GPI2, "ms": MS,
	}
}

// rename returns a gate with g's definition under another name: a gate whose
// body is g itself, with g's closed form.
func rename(g *circuit.GateDef, name string) *circuit.GateDef {
	args := make([]circuit.Expr, len(g.Params))
	for i, p := range g.Params {
		args[i] = circuit.Sym{Name: p, Index: i}
	}
	qs := make([]int, g.NumQubits())
	for i := range qs {
		qs[i] = i
	}
	return &circuit.GateDef{Name: name, Params: g.Params, QubitNames: g.QubitNames, Lib: circuit.LibUser,
		MatrixFunc: g.MatrixFunc, Diagonal: g.Diagonal,
		Body: []circuit.Op{{Kind: circuit.GateOp, Gate: g, Params: args, Qubits: qs}}}
}

// invOf returns a gate named name that is the inverse of the parameterless
// gate g.
func invOf(g *circuit.GateDef, name string) *circuit.GateDef {
	qs := make([]int, g.NumQubits())
	for i := range qs {
		qs[i] = i
	}
	f := g.MatrixFunc
	return &circuit.GateDef{Name: name, QubitNames: g.QubitNames, Lib: circuit.LibUser,
		MatrixFunc: func(p []float64) circuit.Matrix { return circuit.Dagger(f(p)) }, Diagonal: g.Diagonal,
		Body: []circuit.Op{{Kind: circuit.GateOp, Gate: g, Mods: []circuit.Modifier{{Kind: circuit.Inv}}, Qubits: qs}}}
}

// phaseOf returns arg(tr(v^dagger u)): the phase a with u = e^{ia} v when u
// and v are equal up to a global phase.
func phaseOf(u, v circuit.Matrix) float64 {
	var s complex128
	for i := range u {
		s += cmplx.Conj(v[i]) * u[i]
	}
	return cmplx.Phase(s)
}
