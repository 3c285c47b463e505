package circuit

import "math"

// Core gates of OpenQASM 2: U and CX (U as Qiskit defines its matrix).
var CoreQASM2 = Catalog{
	"U":  UQiskit,
	"CX": withBody(ctrl(LibCore, "CX", 1, gX)),
}

// CoreQASM3 holds the built-in gates of OpenQASM 3: U (as the current
// specification defines it, e^{i theta/2} times Qiskit's U) and gphase.
var CoreQASM3 = Catalog{
	"U":      U3Spec,
	"gphase": GPhase,
}

func withBody(g *GateDef, body ...Op) *GateDef {
	g.Body = body
	return g
}

// o builds a body operation.
func o(g *GateDef, params []Expr, qubits ...int) Op {
	return Op{Kind: GateOp, Gate: g, Params: params, Qubits: qubits}
}

// om builds a body operation with modifiers.
func om(mods []Modifier, g *GateDef, params []Expr, qubits ...int) Op {
	return Op{Kind: GateOp, Gate: g, Params: params, Mods: mods, Qubits: qubits}
}

func ex(es ...Expr) []Expr { return es }

func par(g *GateDef, i int) Expr { return Sym{Name: g.Params[i], Index: i} }

func c(v float64) Expr { return Const(v) }

func piOver(k float64) Expr { return Div(Pi, Const(k)) }

func half(x Expr) Expr { return Div(x, Const(2)) }

// QELib1Gates is qelib1.inc as Qiskit ships it: 42 gates, each with a closed
// form equal to its body in that file, global phase included.
var QELib1Gates Catalog

// QELib1Order lists QELib1Gates' names in the order of the file.
var QELib1Order []string

// StdGates is OpenQASM 3's stdgates.inc, each gate with a closed form equal
// to its definition in that file, global phase included.
var StdGates Catalog

// StdGatesOrder lists StdGates' names in the order of the file.
var StdGatesOrder []string

func init() {
	QELib1Gates, QELib1Order = buildQELib1()
	StdGates, StdGatesOrder = buildStdGates()
}

// libFile collects the gates of a library file, in the file's order.
type libFile struct {
	cat   Catalog
	order []string
}

// def gives g its body and adds it to the library.
func (f *libFile) def(g *GateDef, body ...Op) *GateDef {
	g.Body = body
	f.cat[g.Name] = g
	f.order = append(f.order, g.Name)
	return g
}

func buildQELib1() (Catalog, []string) {
	const L = LibQELib1
	f := &libFile{cat: Catalog{}}
	def := f.def
	th := []string{"theta", "phi", "lambda"}
	U, CX := UQiskit, CoreQASM2["CX"]

	u3 := alias(L, "u3", gU, th...)
	def(u3, o(U, ex(par(u3, 0), par(u3, 1), par(u3, 2)), 0))
	u2 := fn(L, "u2", 1, []string{"phi", "lambda"}, false, func(p []float64) Matrix { return MatU(math.Pi/2, p[0], p[1]) })
	def(u2, o(U, ex(piOver(2), par(u2, 0), par(u2, 1)), 0))
	u1 := alias(L, "u1", gP, "lambda")
	def(u1, o(U, ex(c(0), c(0), par(u1, 0)), 0))
	cx := ctrl(L, "cx", 1, gX)
	def(cx, o(CX, nil, 0, 1))
	def(alias(L, "id", gI), o(U, ex(c(0), c(0), c(0)), 0))
	u0 := fn(L, "u0", 1, []string{"gamma"}, true, constant(matI))
	def(u0, o(U, ex(c(0), c(0), c(0)), 0))
	u := alias(L, "u", gU, th...)
	def(u, o(U, ex(par(u, 0), par(u, 1), par(u, 2)), 0))
	p := alias(L, "p", gP, "lambda")
	def(p, o(U, ex(c(0), c(0), par(p, 0)), 0))
	x := def(alias(L, "x", gX), o(u3, ex(Pi, c(0), Pi), 0))
	def(alias(L, "y", gY), o(u3, ex(Pi, piOver(2), piOver(2)), 0))
	def(alias(L, "z", gZ), o(u1, ex(Pi), 0))
	h := def(alias(L, "h", gH), o(u2, ex(c(0), Pi), 0))
	s := def(alias(L, "s", gS), o(u1, ex(piOver(2)), 0))
	sdg := def(alias(L, "sdg", gSdg), o(u1, ex(Neg(piOver(2))), 0))
	t := def(alias(L, "t", gT), o(u1, ex(piOver(4)), 0))
	tdg := def(alias(L, "tdg", gTdg), o(u1, ex(Neg(piOver(4))), 0))
	rx := alias(L, "rx", gRX, "theta")
	def(rx, o(u3, ex(par(rx, 0), Neg(piOver(2)), piOver(2)), 0))
	ry := alias(L, "ry", gRY, "theta")
	def(ry, o(u3, ex(par(ry, 0), c(0), c(0)), 0))
	rz := alias(L, "rz", gP, "phi") // qelib1's rz is u1: diag(1, e^{i phi})
	def(rz, o(u1, ex(par(rz, 0)), 0))
	// sx = sdg h sdg = RX(pi/2) = e^{-i pi/4} SX
	def(fn(L, "sx", 1, nil, false, constant(MatRX(math.Pi/2))), o(sdg, nil, 0), o(h, nil, 0), o(sdg, nil, 0))
	def(fn(L, "sxdg", 1, nil, false, constant(MatRX(-math.Pi/2))), o(s, nil, 0), o(h, nil, 0), o(s, nil, 0))
	def(ctrl(L, "cz", 1, gZ), o(h, nil, 1), o(cx, nil, 0, 1), o(h, nil, 1))
	def(ctrl(L, "cy", 1, gY), o(sdg, nil, 1), o(cx, nil, 0, 1), o(s, nil, 1))
	def(alias(L, "swap", gSwap), o(cx, nil, 0, 1), o(cx, nil, 1, 0), o(cx, nil, 0, 1))
	// qelib1's ch body gives e^{i pi/4} times the controlled Hadamard.
	def(withPhase(ctrl(L, "ch", 1, gH), math.Pi/4),
		o(h, nil, 1), o(sdg, nil, 1), o(cx, nil, 0, 1), o(h, nil, 1), o(t, nil, 1),
		o(cx, nil, 0, 1), o(t, nil, 1), o(h, nil, 1), o(s, nil, 1), o(x, nil, 1), o(s, nil, 0))
	ccx := def(ctrl(L, "ccx", 2, gX),
		o(h, nil, 2), o(cx, nil, 1, 2), o(tdg, nil, 2), o(cx, nil, 0, 2), o(t, nil, 2),
		o(cx, nil, 1, 2), o(tdg, nil, 2), o(cx, nil, 0, 2), o(t, nil, 1), o(t, nil, 2), o(h, nil, 2),
		o(cx, nil, 0, 1), o(t, nil, 0), o(tdg, nil, 1), o(cx, nil, 0, 1))
	def(ctrl(L, "cswap", 1, gSwap), o(cx, nil, 2, 1), o(ccx, nil, 0, 1, 2), o(cx, nil, 2, 1))
	crx := ctrl(L, "crx", 1, gRX, "lambda")
	def(crx, o(u1, ex(piOver(2)), 1), o(cx, nil, 0, 1), o(u3, ex(Neg(half(par(crx, 0))), c(0), c(0)), 1),
		o(cx, nil, 0, 1), o(u3, ex(half(par(crx, 0)), Neg(piOver(2)), c(0)), 1))
	cry := ctrl(L, "cry", 1, gRY, "lambda")
	def(cry, o(ry, ex(half(par(cry, 0))), 1), o(cx, nil, 0, 1), o(ry, ex(Neg(half(par(cry, 0)))), 1), o(cx, nil, 0, 1))
	crz := ctrl(L, "crz", 1, gRZ, "lambda")
	def(crz, o(rz, ex(half(par(crz, 0))), 1), o(cx, nil, 0, 1), o(rz, ex(Neg(half(par(crz, 0)))), 1), o(cx, nil, 0, 1))
	cu1 := ctrl(L, "cu1", 1, gP, "lambda")
	def(cu1, o(u1, ex(half(par(cu1, 0))), 0), o(cx, nil, 0, 1), o(u1, ex(Neg(half(par(cu1, 0)))), 1),
		o(cx, nil, 0, 1), o(u1, ex(half(par(cu1, 0))), 1))
	cp := ctrl(L, "cp", 1, gP, "lambda")
	def(cp, o(p, ex(half(par(cp, 0))), 0), o(cx, nil, 0, 1), o(p, ex(Neg(half(par(cp, 0)))), 1),
		o(cx, nil, 0, 1), o(p, ex(half(par(cp, 0))), 1))
	cu3 := ctrl(L, "cu3", 1, gU, th...)
	{
		t, ph, l := par(cu3, 0), par(cu3, 1), par(cu3, 2)
		def(cu3, o(u1, ex(half(Add(l, ph))), 0), o(u1, ex(half(Sub(l, ph))), 1), o(cx, nil, 0, 1),
			o(u3, ex(Neg(half(t)), c(0), Neg(half(Add(ph, l)))), 1), o(cx, nil, 0, 1),
			o(u3, ex(half(t), ph, c(0)), 1))
	}
	def(ctrl(L, "csx", 1, gSX), o(h, nil, 1), o(cu1, ex(piOver(2)), 0, 1), o(h, nil, 1))
	cu := ctrl(L, "cu", 1, gUPhase, "theta", "phi", "lambda", "gamma")
	{
		t, ph, l, g := par(cu, 0), par(cu, 1), par(cu, 2), par(cu, 3)
		def(cu, o(p, ex(g), 0), o(p, ex(half(Add(l, ph))), 0), o(p, ex(half(Sub(l, ph))), 1), o(cx, nil, 0, 1),
			o(u, ex(Neg(half(t)), c(0), Neg(half(Add(ph, l)))), 1), o(cx, nil, 0, 1),
			o(u, ex(half(t), ph, c(0)), 1))
	}
	// rxx's body gives e^{-i t/2} exp(-i t XX/2).
	rxx := fn(L, "rxx", 2, []string{"theta"}, false, func(p []float64) Matrix { return Scale(Expi(-p[0]/2), matRXX(p[0])) })
	{
		t := par(rxx, 0)
		def(rxx, o(u3, ex(piOver(2), t, c(0)), 0), o(h, nil, 1), o(cx, nil, 0, 1), o(u1, ex(Neg(t)), 1),
			o(cx, nil, 0, 1), o(h, nil, 1), o(u2, ex(Neg(Pi), Sub(Pi, t)), 0))
	}
	// rzz's body gives diag(1, e^{it}, e^{it}, 1) = e^{it/2} exp(-i t ZZ/2).
	rzz := fn(L, "rzz", 2, []string{"theta"}, true, func(p []float64) Matrix {
		e := Expi(p[0])
		return Diag(1, e, e, 1)
	})
	def(rzz, o(cx, nil, 0, 1), o(u1, ex(par(rzz, 0)), 1), o(cx, nil, 0, 1))
	u1q := func(k float64, q int) Op { return o(u1, ex(piOver(k)), q) }
	u1m := func(k float64, q int) Op { return o(u1, ex(Neg(piOver(k))), q) }
	u2h := func(q int) Op { return o(u2, ex(c(0), Pi), q) }
	def(fn(L, "rccx", 3, nil, false, constant(matRCCX())),
		u2h(2), u1q(4, 2), o(cx, nil, 1, 2), u1m(4, 2), o(cx, nil, 0, 2), u1q(4, 2), o(cx, nil, 1, 2), u1m(4, 2), u2h(2))
	def(fn(L, "rc3x", 4, nil, false, constant(matRC3X())),
		u2h(3), u1q(4, 3), o(cx, nil, 2, 3), u1m(4, 3), u2h(3), o(cx, nil, 0, 3), u1q(4, 3), o(cx, nil, 1, 3),
		u1m(4, 3), o(cx, nil, 0, 3), u1q(4, 3), o(cx, nil, 1, 3), u1m(4, 3), u2h(3), u1q(4, 3), o(cx, nil, 2, 3),
		u1m(4, 3), u2h(3))
	pp := func(k float64, q int) Op { return o(p, ex(piOver(k)), q) }
	pm := func(k float64, q int) Op { return o(p, ex(Neg(piOver(k))), q) }
	c3x := def(ctrl(L, "c3x", 3, gX),
		o(h, nil, 3), pp(8, 0), pp(8, 1), pp(8, 2), pp(8, 3),
		o(cx, nil, 0, 1), pm(8, 1), o(cx, nil, 0, 1), o(cx, nil, 1, 2), pm(8, 2), o(cx, nil, 0, 2), pp(8, 2),
		o(cx, nil, 1, 2), pm(8, 2), o(cx, nil, 0, 2), o(cx, nil, 2, 3), pm(8, 3), o(cx, nil, 1, 3), pp(8, 3),
		o(cx, nil, 2, 3), pm(8, 3), o(cx, nil, 0, 3), pp(8, 3), o(cx, nil, 2, 3), pm(8, 3), o(cx, nil, 1, 3),
		pp(8, 3), o(cx, nil, 2, 3), pm(8, 3), o(cx, nil, 0, 3), o(h, nil, 3))
	hcu1h := func(k float64, ctl int) []Op {
		return []Op{o(h, nil, 3), o(cu1, ex(piOver(k)), ctl, 3), o(h, nil, 3)}
	}
	hcu1hm := func(k float64, ctl int) []Op {
		return []Op{o(h, nil, 3), o(cu1, ex(Neg(piOver(k))), ctl, 3), o(h, nil, 3)}
	}
	var body []Op
	body = append(body, hcu1h(8, 0)...)
	body = append(body, o(cx, nil, 0, 1))
	body = append(body, hcu1hm(8, 1)...)
	body = append(body, o(cx, nil, 0, 1))
	body = append(body, hcu1h(8, 1)...)
	body = append(body, o(cx, nil, 1, 2))
	body = append(body, hcu1hm(8, 2)...)
	body = append(body, o(cx, nil, 0, 2))
	body = append(body, hcu1h(8, 2)...)
	body = append(body, o(cx, nil, 1, 2))
	body = append(body, hcu1hm(8, 2)...)
	body = append(body, o(cx, nil, 0, 2))
	body = append(body, hcu1h(8, 2)...)
	c3sqrtx := def(fn(L, "c3sqrtx", 4, nil, false, constant(Controlled(matSX, 3, 7))), body...) // C^3(sqrt(X))
	def(ctrl(L, "c4x", 4, gX),
		o(h, nil, 4), o(cu1, ex(piOver(2)), 3, 4), o(h, nil, 4), o(c3x, nil, 0, 1, 2, 3),
		o(h, nil, 4), o(cu1, ex(Neg(piOver(2))), 3, 4), o(h, nil, 4), o(c3x, nil, 0, 1, 2, 3),
		o(c3sqrtx, nil, 0, 1, 2, 4))
	return f.cat, f.order
}

// matRXX is exp(-i t XX/2).
func matRXX(t float64) Matrix {
	s, c := math.Sincos(t / 2)
	cc, ms := complex(c, 0), complex(0, -s)
	return Matrix{
		cc, 0, 0, ms,
		0, cc, ms, 0,
		0, ms, cc, 0,
		ms, 0, 0, cc,
	}
}

// matRCCX is qelib1's relative-phase Toffoli (controls a, b; target c;
// index a + 2b + 4c): the Toffoli's flip of c under a=b=1 with phases -i and
// i, and a phase of -1 on |a=1, b=0, c=1>.
func matRCCX() Matrix {
	m := Identity(8)
	m[5*8+5] = -1
	m[3*8+3], m[7*8+7] = 0, 0
	m[3*8+7] = -1i
	m[7*8+3] = 1i
	return m
}

// matRC3X is qelib1's relative-phase 3-controlled X (controls a, b, c;
// target d; index a + 2b + 4c + 8d): the flip of d under a=b=c=1 with phases
// 1 and -1, and phases i and -i on |a=b=1, c=0, d=0> and |a=b=1, c=0, d=1>.
func matRC3X() Matrix {
	m := Identity(16)
	m[3*16+3] = 1i
	m[11*16+11] = -1i
	m[7*16+7], m[15*16+15] = 0, 0
	m[7*16+15] = 1
	m[15*16+7] = -1
	return m
}

func buildStdGates() (Catalog, []string) {
	const L = LibStdGates
	f := &libFile{cat: Catalog{}}
	def := f.def
	U := U3Spec
	ctl := []Modifier{{Kind: Ctrl, N: 1}}
	half1 := []Modifier{{Kind: Pow, Exp: 0.5}}
	invHalf := []Modifier{{Kind: Inv}, {Kind: Pow, Exp: 0.5}}
	gp := func(e Expr) Op { return o(GPhase, ex(e)) }

	p := alias(L, "p", gP, "λ")
	def(p, om(ctl, GPhase, ex(par(p, 0)), 0))
	x := def(alias(L, "x", gX), o(U, ex(Pi, c(0), Pi), 0), gp(Neg(piOver(2))))
	y := def(alias(L, "y", gY), o(U, ex(Pi, piOver(2), piOver(2)), 0), gp(Neg(piOver(2))))
	z := def(alias(L, "z", gZ), o(p, ex(Pi), 0))
	h := def(alias(L, "h", gH), o(U, ex(piOver(2), c(0), Pi), 0), gp(Neg(piOver(4))))
	s := def(alias(L, "s", gS), om(half1, z, nil, 0))
	def(alias(L, "sdg", gSdg), om(invHalf, z, nil, 0))
	def(alias(L, "t", gT), om(half1, s, nil, 0))
	def(alias(L, "tdg", gTdg), om(invHalf, s, nil, 0))
	def(alias(L, "sx", gSX), om(half1, x, nil, 0))
	rx := alias(L, "rx", gRX, "θ")
	def(rx, o(U, ex(par(rx, 0), Neg(piOver(2)), piOver(2)), 0), gp(Neg(half(par(rx, 0)))))
	ry := alias(L, "ry", gRY, "θ")
	def(ry, o(U, ex(par(ry, 0), c(0), c(0)), 0), gp(Neg(half(par(ry, 0)))))
	rz := alias(L, "rz", gRZ, "λ")
	def(rz, gp(Neg(half(par(rz, 0)))), o(U, ex(c(0), c(0), par(rz, 0)), 0))
	cx := def(ctrl(L, "cx", 1, gX), om(ctl, x, nil, 0, 1))
	def(ctrl(L, "cy", 1, gY), om(ctl, y, nil, 0, 1))
	def(ctrl(L, "cz", 1, gZ), om(ctl, z, nil, 0, 1))
	cp := ctrl(L, "cp", 1, gP, "λ")
	def(cp, om(ctl, p, ex(par(cp, 0)), 0, 1))
	crx := ctrl(L, "crx", 1, gRX, "θ")
	def(crx, om(ctl, rx, ex(par(crx, 0)), 0, 1))
	cry := ctrl(L, "cry", 1, gRY, "θ")
	def(cry, om(ctl, ry, ex(par(cry, 0)), 0, 1))
	crz := ctrl(L, "crz", 1, gRZ, "θ")
	def(crz, om(ctl, rz, ex(par(crz, 0)), 0, 1))
	def(ctrl(L, "ch", 1, gH), om(ctl, h, nil, 0, 1)) // no extra phase, unlike qelib1's ch
	swap := def(alias(L, "swap", gSwap), o(cx, nil, 0, 1), o(cx, nil, 1, 0), o(cx, nil, 0, 1))
	def(ctrl(L, "ccx", 2, gX), om([]Modifier{{Kind: Ctrl, N: 1}, {Kind: Ctrl, N: 1}}, x, nil, 0, 1, 2))
	def(ctrl(L, "cswap", 1, gSwap), om(ctl, swap, nil, 0, 1, 2))
	cu := ctrl(L, "cu", 1, gUPhase, "θ", "φ", "λ", "γ")
	def(cu, o(p, ex(Sub(par(cu, 3), half(par(cu, 0)))), 0), om(ctl, U, ex(par(cu, 0), par(cu, 1), par(cu, 2)), 0, 1))
	// The specification describes CX as an alias for cx. stdgates.inc's body,
	// ctrl @ U(pi, 0, pi), predates the current definition of U, under which
	// it would be ctrl @ iX (a relative phase that breaks, e.g., the
	// specification's own cphase example); born follows the description.
	def(ctrl(L, "CX", 1, gX), om(ctl, x, nil, 0, 1))
	phase := alias(L, "phase", gP, "λ")
	def(phase, o(U, ex(c(0), c(0), par(phase, 0)), 0))
	cphase := ctrl(L, "cphase", 1, gP, "λ")
	def(cphase, om(ctl, phase, ex(par(cphase, 0)), 0, 1))
	def(alias(L, "id", gI), o(U, ex(c(0), c(0), c(0)), 0))
	u1 := alias(L, "u1", gP, "λ")
	def(u1, o(U, ex(c(0), c(0), par(u1, 0)), 0))
	u2 := fn(L, "u2", 1, []string{"φ", "λ"}, false, func(p []float64) Matrix {
		return Scale(Expi(-(p[0]+p[1])/2), MatU(math.Pi/2, p[0], p[1]))
	})
	def(u2, gp(Neg(half(Add(Add(par(u2, 0), par(u2, 1)), piOver(2))))), o(U, ex(piOver(2), par(u2, 0), par(u2, 1)), 0))
	u3 := fn(L, "u3", 1, []string{"θ", "φ", "λ"}, false, func(p []float64) Matrix {
		return Scale(Expi(-(p[1]+p[2])/2), MatU(p[0], p[1], p[2]))
	})
	def(u3, gp(Neg(half(Add(Add(par(u3, 1), par(u3, 2)), par(u3, 0))))), o(U, ex(par(u3, 0), par(u3, 1), par(u3, 2)), 0))
	return f.cat, f.order
}
