package transpile

import (
	"math"
	"math/cmplx"

	"born/circuit"
)

// angleEps is the tolerance below which a synthesised rotation angle is
// treated as exactly zero (or pi/2, pi) and a rotation dropped. It is far
// below the 1e-10 to which exports are verified, and above rounding noise.
const angleEps = 1e-14

// ZYZ returns Euler angles with u = e^{i phase} Rz(phi) Ry(theta) Rz(lambda)
// for a 2x2 unitary u, with theta in [0, pi].
func ZYZ(u circuit.Matrix) (theta, phi, lambda, phase float64) {
	det := u[0]*u[3] - u[1]*u[2]
	ph := cmplx.Phase(det) / 2
	e := circuit.Expi(-ph)
	a, c, d := u[0]*e, u[2]*e, u[3]*e // special unitary
	theta = 2 * math.Atan2(cmplx.Abs(c), cmplx.Abs(a))
	var sum, diff float64 // phi+lambda, phi-lambda
	if cmplx.Abs(d) > angleEps {
		sum = 2 * cmplx.Phase(d)
	}
	if cmplx.Abs(c) > angleEps {
		diff = 2 * cmplx.Phase(c)
	}
	phi, lambda = (sum+diff)/2, (sum-diff)/2
	v := circuit.MatMul(circuit.MatRZ(phi), circuit.MatMul(circuit.MatRY(theta), circuit.MatRZ(lambda)))
	return theta, phi, lambda, phaseOf(u, v)
}

// ZXZ returns Euler angles with u = e^{i phase} Rz(phi) Rx(theta) Rz(lambda)
// for a 2x2 unitary u, with theta in [0, pi].
func ZXZ(u circuit.Matrix) (theta, phi, lambda, phase float64) {
	theta, phi, lambda, _ = ZYZ(u)
	// Ry(t) = Rz(pi/2) Rx(t) Rz(-pi/2).
	phi, lambda = phi+math.Pi/2, lambda-math.Pi/2
	v := circuit.MatMul(circuit.MatRZ(phi), circuit.MatMul(circuit.MatRX(theta), circuit.MatRZ(lambda)))
	return theta, phi, lambda, phaseOf(u, v)
}

// Gate1 is one gate of a synthesised 1-qubit sequence: a gate of a target's
// 1-qubit basis with its angles in radians.
type Gate1 struct {
	Name   string // rz, ry, rx, sx, x, gpi, gpi2
	Params []float64
}

// Form is a 1-qubit basis and the Euler form used to synthesise into it.
type Form uint8

const (
	// FormZYZ is rz, ry: Rz(phi) Ry(theta) Rz(lambda).
	FormZYZ Form = iota + 1
	// FormZXZ is rz, rx: Rz(phi) Rx(theta) Rz(lambda).
	FormZXZ
	// FormZSX is IBM's rz, sx, x: Rz Sx Rz Sx Rz, one sx for theta = pi/2,
	// x for theta = pi, a single rz when theta = 0.
	FormZSX
	// FormQuil is Rigetti's RZ and RX(+-pi/2), RX(pi) (written rx here).
	FormQuil
	// FormGPI is IonQ's gpi and gpi2, with z rotations kept virtual (see
	// Frame).
	FormGPI
)

func (f Form) String() string {
	switch f {
	case FormZYZ:
		return "zyz"
	case FormZXZ:
		return "zxz"
	case FormZSX:
		return "rz-sx"
	case FormQuil:
		return "quil"
	case FormGPI:
		return "gpi"
	}
	return "?"
}

// Synth1 writes the 2x2 unitary u in form f: u = e^{i phase} times the
// product of the returned gates (the first gate applied first). Rotations
// by zero are dropped, so the identity gives no gates. For FormGPI the
// result also ends with a z rotation, returned as a trailing rz gate: use
// Frame to keep it virtual.
func Synth1(f Form, u circuit.Matrix) (gates []Gate1, phase float64) {
	theta, phi, lambda, _ := ZYZ(u)
	rz := func(a float64) {
		if a = circuit.PrincipalAngle(a); math.Abs(a) > angleEps {
			gates = append(gates, Gate1{Name: "rz", Params: []float64{a}})
		}
	}
	near := func(x, y float64) bool { return math.Abs(x-y) < angleEps }
	switch f {
	case FormZYZ, FormZXZ:
		name := "ry"
		if f == FormZXZ {
			name = "rx"
			phi, lambda = phi+math.Pi/2, lambda-math.Pi/2
		}
		if near(theta, 0) {
			rz(phi + lambda)
			break
		}
		rz(lambda)
		gates = append(gates, Gate1{Name: name, Params: []float64{theta}})
		rz(phi)
	case FormZSX, FormQuil:
		half, full := Gate1{Name: "sx"}, Gate1{Name: "x"}
		if f == FormQuil {
			half, full = Gate1{Name: "rx", Params: []float64{math.Pi / 2}}, Gate1{Name: "rx", Params: []float64{math.Pi}}
		}
		switch {
		case near(theta, 0):
			rz(phi + lambda)
		case near(theta, math.Pi/2):
			rz(lambda - math.Pi/2)
			gates = append(gates, half)
			rz(phi + math.Pi/2)
		case near(theta, math.Pi):
			rz(lambda - math.Pi/2)
			gates = append(gates, full)
			rz(phi + math.Pi/2)
		default:
			rz(lambda)
			gates = append(gates, half)
			rz(theta + math.Pi)
			gates = append(gates, half)
			rz(phi + math.Pi)
		}
	case FormGPI:
		// Ry(t) Rz(l) = Rz(l) R_a(t) with a = pi/2 - l, where R_a(t) is a
		// rotation by t about the axis (cos a, sin a, 0); and
		// R_a(t) = Rz(t) GPI2(a + pi/2 - t) GPI2(a + 3pi/2) (applied right
		// to left), R_a(pi/2) = GPI2(a), R_a(pi) = -i GPI(a).
		a := math.Pi/2 - lambda
		z := phi + lambda
		switch {
		case near(theta, 0):
		case near(theta, math.Pi/2):
			gates = append(gates, Gate1{Name: "gpi2", Params: []float64{circuit.PrincipalAngle(a)}})
		case near(theta, math.Pi):
			gates = append(gates, Gate1{Name: "gpi", Params: []float64{circuit.PrincipalAngle(a)}})
		default:
			gates = append(gates, Gate1{Name: "gpi2", Params: []float64{circuit.PrincipalAngle(a + 3*math.Pi/2)}},
				Gate1{Name: "gpi2", Params: []float64{circuit.PrincipalAngle(a + math.Pi/2 - theta)}})
			z += theta
		}
		rz(z)
	default:
		panic("transpile: unknown 1-qubit form")
	}
	return gates, phaseOf(u, Matrix1(gates))
}

// Matrix1 returns the product of a gate sequence (first gate applied first).
func Matrix1(gates []Gate1) circuit.Matrix {
	m := circuit.Identity(2)
	for _, g := range gates {
		m = circuit.MatMul(g.Matrix(), m)
	}
	return m
}

// Matrix returns the gate's 2x2 matrix.
func (g Gate1) Matrix() circuit.Matrix {
	switch g.Name {
	case "rz":
		return circuit.MatRZ(g.Params[0])
	case "ry":
		return circuit.MatRY(g.Params[0])
	case "rx":
		return circuit.MatRX(g.Params[0])
	case "sx":
		return circuit.Matrix{complex(0.5, 0.5), complex(0.5, -0.5), complex(0.5, -0.5), complex(0.5, 0.5)}
	case "x":
		return circuit.Matrix{0, 1, 1, 0}
	case "gpi":
		return MatGPI(g.Params[0])
	case "gpi2":
		return MatGPI2(g.Params[0])
	}
	panic("transpile: unknown 1-qubit gate " + g.Name)
}
