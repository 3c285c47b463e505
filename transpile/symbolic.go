package transpile

import (
	"math"
	"math/rand/v2"

	"born/circuit"
)

// Gates with unbound parameters (kept symbolic for targets that accept
// "input float") are decomposed by recognising their family: each 1-qubit
// built-in of the libraries is e^{i alpha} U(theta, phi, lambda) (Qiskit's
// U) with alpha, theta, phi and lambda affine in its parameters.

// family describes a 1-qubit built-in gate symbolically.
type family struct {
	// axis is 'x', 'y' or 'z' for a single rotation R_axis(p[0]) times
	// e^{i phase(p)}, 0 for a general U.
	axis byte
	// u returns (alpha, theta, phi, lambda) with matrix e^{i alpha} U(theta, phi, lambda).
	u func(p []circuit.Expr) [4]circuit.Expr
	// matrix is the numeric form, to recognise a gate by.
	matrix func(p []float64) circuit.Matrix
}

var (
	halfPi = circuit.Const(math.Pi / 2)
	mHalf  = circuit.Const(-math.Pi / 2)
)

func uMat(ph, t, p, l float64) circuit.Matrix {
	return circuit.Scale(circuit.Expi(ph), circuit.MatU(t, p, l))
}

var families = map[int][]family{
	1: {
		{ // gphase, on no qubits
			u:      func(p []circuit.Expr) [4]circuit.Expr { return [4]circuit.Expr{p[0]} },
			matrix: func(p []float64) circuit.Matrix { return circuit.Matrix{circuit.Expi(p[0])} }},
		{axis: 'z', // Rz(t) = e^{-it/2} U(0, 0, t)
			u:      func(p []circuit.Expr) [4]circuit.Expr { return [4]circuit.Expr{eScale(-0.5, p[0]), nil, nil, p[0]} },
			matrix: func(p []float64) circuit.Matrix { return circuit.MatRZ(p[0]) }},
		{axis: 'p', // P(t) = U(0, 0, t)
			u:      func(p []circuit.Expr) [4]circuit.Expr { return [4]circuit.Expr{nil, nil, nil, p[0]} },
			matrix: func(p []float64) circuit.Matrix { return circuit.MatP(p[0]) }},
		{axis: 'x', // Rx(t) = U(t, -pi/2, pi/2)
			u:      func(p []circuit.Expr) [4]circuit.Expr { return [4]circuit.Expr{nil, p[0], mHalf, halfPi} },
			matrix: func(p []float64) circuit.Matrix { return circuit.MatRX(p[0]) }},
		{axis: 'y', // Ry(t) = U(t, 0, 0)
			u:      func(p []circuit.Expr) [4]circuit.Expr { return [4]circuit.Expr{nil, p[0], nil, nil} },
			matrix: func(p []float64) circuit.Matrix { return circuit.MatRY(p[0]) }},
	},
	2: {
		{u: func(p []circuit.Expr) [4]circuit.Expr { return [4]circuit.Expr{nil, halfPi, p[0], p[1]} },
			matrix: func(p []float64) circuit.Matrix { return uMat(0, math.Pi/2, p[0], p[1]) }},
		{u: func(p []circuit.Expr) [4]circuit.Expr {
			return [4]circuit.Expr{eScale(-0.5, eAdd(p[0], p[1])), halfPi, p[0], p[1]}
		},
			matrix: func(p []float64) circuit.Matrix { return uMat(-(p[0]+p[1])/2, math.Pi/2, p[0], p[1]) }},
	},
	3: {
		{u: func(p []circuit.Expr) [4]circuit.Expr { return [4]circuit.Expr{nil, p[0], p[1], p[2]} },
			matrix: func(p []float64) circuit.Matrix { return uMat(0, p[0], p[1], p[2]) }},
		{u: func(p []circuit.Expr) [4]circuit.Expr { return [4]circuit.Expr{eScale(0.5, p[0]), p[0], p[1], p[2]} },
			matrix: func(p []float64) circuit.Matrix { return uMat(p[0]/2, p[0], p[1], p[2]) }},
		{u: func(p []circuit.Expr) [4]circuit.Expr {
			return [4]circuit.Expr{eScale(-0.5, eAdd(p[1], p[2])), p[0], p[1], p[2]}
		},
			matrix: func(p []float64) circuit.Matrix { return uMat(-(p[1]+p[2])/2, p[0], p[1], p[2]) }},
	},
	4: {{u: func(p []circuit.Expr) [4]circuit.Expr { return [4]circuit.Expr{p[3], p[0], p[1], p[2]} },
		matrix: func(p []float64) circuit.Matrix { return uMat(p[3], p[0], p[1], p[2]) }}},
}

// familyOf recognises g by comparing its matrix with each candidate's at
// fixed pseudo-random parameters.
func familyOf(g *circuit.GateDef) *family {
	np := len(g.Params)
	if g.MatrixFunc == nil {
		return nil
	}
	rng := rand.New(rand.NewPCG(7, uint64(np)))
	probes := make([][]float64, 3)
	for i := range probes {
		probes[i] = make([]float64, np)
		for j := range probes[i] {
			probes[i][j] = rng.Float64()*8 - 4
		}
	}
	for i := range families[np] {
		f := &families[np][i]
		ok := true
		for _, p := range probes {
			m := g.MatrixFunc(p)
			if len(m) != len(f.matrix(p)) || circuit.MaxDiff(m, f.matrix(p)) > 1e-12 {
				ok = false
				break
			}
		}
		if ok {
			return f
		}
	}
	return nil
}

// symbolic decomposes an instruction whose parameters are not all numbers.
func (d *decomposer) symbolic(in *circuit.Instr, depth int) error {
	if len(in.Targets) > 1 {
		if in.Gate != nil && len(in.Gate.Body) > 0 {
			return d.body(in, depth)
		}
		return d.errorf("gate %s on %d qubits with unbound parameters has no known decomposition; bind its parameters", in.Gate.Name, len(in.Targets))
	}
	f := familyOf(in.Gate)
	if f == nil {
		if len(in.Gate.Body) > 0 {
			return d.body(in, depth)
		}
		return d.errorf("gate %s with unbound parameters is not a rotation born can keep symbolic; bind its parameters", in.Gate.Name)
	}
	if in.Pow != math.Trunc(in.Pow) || math.Abs(in.Pow) > 64 {
		return d.errorf("pow(%v) of a gate with unbound parameters: bind its parameters", in.Pow)
	}
	u := f.u(in.Params)
	if len(in.Targets) == 0 { // gphase
		ph := eScale(in.Pow, u[0])
		switch len(in.Controls) {
		case 0:
			d.addPhaseExpr(ph)
			return nil
		case 1: // P(ph) on the control = e^{i ph/2} Rz(ph)
			c := in.Controls[0]
			d.negate(in, func() { d.rot(c, 'z', ph); d.addPhaseExpr(eScale(0.5, ph)) })
			return nil
		}
		return d.errorf("ctrl(%d) @ gphase with an unbound parameter: bind it", len(in.Controls))
	}
	t := in.Targets[0]
	k := int(in.Pow)
	if len(in.Controls) == 0 {
		if f.axis != 0 {
			ang := eScale(float64(k), in.Params[0])
			ax := f.axis
			if ax == 'p' {
				ax = 'z'
			}
			d.rot(t, ax, ang)
			if f.axis == 'p' { // P(t) = e^{i t/2} Rz(t)
				d.addPhaseExpr(eScale(0.5, ang))
			}
			return nil
		}
		for r := 0; r < abs(k); r++ {
			d.uRot(t, u, k < 0)
		}
		return nil
	}
	if len(in.Controls) > 1 {
		return d.errorf("ctrl(%d) @ %s with unbound parameters: born keeps at most one control symbolic; bind the parameters", len(in.Controls), in.Gate.Name)
	}
	c := in.Controls[0]
	if f.axis != 0 && k != 1 { // powers of rotations scale the angle
		u = f.u([]circuit.Expr{eScale(float64(k), in.Params[0])})
		k = 1
	}
	d.negate(in, func() {
		for r := 0; r < abs(k); r++ {
			d.controlledU(c, t, u, k < 0)
		}
	})
	return nil
}

func abs(k int) int {
	if k < 0 {
		return -k
	}
	return k
}

// negate wraps emit in X gates on the controls that must be 0.
func (d *decomposer) negate(in *circuit.Instr, emit func()) {
	flip := func() {
		for i, q := range in.Controls {
			if in.CtrlState>>uint(i)&1 == 0 {
				d.one(q, matX)
			}
		}
	}
	flip()
	emit()
	flip()
}

// rot emits a rotation about axis by angle: numeric when the angle is a
// number (dropped when zero), symbolic otherwise.
func (d *decomposer) rot(q int, axis byte, angle circuit.Expr) {
	if v, ok := constVal(angle); ok {
		if v == 0 {
			return
		}
		var m circuit.Matrix
		switch axis {
		case 'x':
			m = circuit.MatRX(v)
		case 'y':
			m = circuit.MatRY(v)
		default:
			m = circuit.MatRZ(v)
		}
		d.emit(node{kind: k1, q: []int{q}, m: m})
		return
	}
	d.emit(node{kind: kRot, q: []int{q}, axis: axis, angle: angle})
}

// uRot emits e^{i alpha} U(theta, phi, lambda) = e^{i (alpha + (phi+lambda)/2)} Rz(phi) Ry(theta) Rz(lambda),
// or its inverse.
func (d *decomposer) uRot(q int, u [4]circuit.Expr, inverse bool) {
	alpha, th, ph, la := u[0], u[1], u[2], u[3]
	phase := eAdd(alpha, eScale(0.5, eAdd(ph, la)))
	if inverse {
		d.rot(q, 'z', eScale(-1, ph))
		d.rot(q, 'y', eScale(-1, th))
		d.rot(q, 'z', eScale(-1, la))
		d.addPhaseExpr(eScale(-1, phase))
		return
	}
	d.rot(q, 'z', la)
	d.rot(q, 'y', th)
	d.rot(q, 'z', ph)
	d.addPhaseExpr(phase)
}

// controlledU emits the controlled e^{i alpha} U(theta, phi, lambda) (or
// its inverse) with two CX gates (Nielsen and Chuang, corollary 4.2):
// U = e^{i a} Rz(b) Ry(g) Rz(e) is e^{i a} A X B X C with
// A = Rz(b) Ry(g/2), B = Ry(-g/2) Rz(-(e+b)/2), C = Rz((e-b)/2).
func (d *decomposer) controlledU(c, t int, u [4]circuit.Expr, inverse bool) {
	alpha, th, ph, la := u[0], u[1], u[2], u[3]
	a := eAdd(alpha, eScale(0.5, eAdd(ph, la)))
	b, g, e := ph, th, la
	if inverse { // U^dagger = e^{-i a} Rz(-e) Ry(-g) Rz(-b)
		a, b, g, e = eScale(-1, a), eScale(-1, la), eScale(-1, th), eScale(-1, ph)
	}
	d.rot(t, 'z', eScale(0.5, eAdd(e, eScale(-1, b))))
	d.cx(c, t)
	d.rot(t, 'z', eScale(-0.5, eAdd(e, b)))
	d.rot(t, 'y', eScale(-0.5, g))
	d.cx(c, t)
	d.rot(t, 'y', eScale(0.5, g))
	d.rot(t, 'z', b)
	// the phase e^{i a} under the control: P(a) = e^{i a/2} Rz(a)
	d.rot(c, 'z', a)
	d.addPhaseExpr(eScale(0.5, a))
}
