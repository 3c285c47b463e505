package circuit

import (
	"math"
	"sort"
)

// Matrices of the primitive gates. Each returns a fresh matrix.

// MatU is Qiskit's U (and qelib1's u3):
// [[cos(t/2), -e^{il} sin(t/2)], [e^{ip} sin(t/2), e^{i(p+l)} cos(t/2)]].
// The phase e^{i(p+l)} is formed as e^{ip} e^{il}, not from the rounded sum
// p+l, which is off by up to half an ulp of the sum (4.8e-7 rad near 7e9):
// the matrix was then that far from unitary (h, then U(1, -3.3, 7e9), lost
// 6.3e-8 of the norm; found by FuzzLowerSimulate2).
func MatU(theta, phi, lambda float64) Matrix {
	s, c := math.Sincos(theta / 2)
	cs, ss := complex(c, 0), complex(s, 0)
	ep, el := Expi(phi), Expi(lambda)
	return Matrix{cs, -el * ss, ep * ss, ep * el * cs}
}

// MatRX is exp(-i t X/2).
func MatRX(t float64) Matrix {
	s, c := math.Sincos(t / 2)
	return Matrix{complex(c, 0), complex(0, -s), complex(0, -s), complex(c, 0)}
}

// MatRY is exp(-i t Y/2).
func MatRY(t float64) Matrix {
	s, c := math.Sincos(t / 2)
	return Matrix{complex(c, 0), complex(-s, 0), complex(s, 0), complex(c, 0)}
}

// MatRZ is exp(-i t Z/2).
func MatRZ(t float64) Matrix { return Diag(Expi(-t/2), Expi(t/2)) }

// MatP is diag(1, e^{i l}).
func MatP(l float64) Matrix { return Diag(1, Expi(l)) }

const invSqrt2 = 0.7071067811865475244008443621048490392848359376884740

var (
	matI   = Matrix{1, 0, 0, 1}
	matX   = Matrix{0, 1, 1, 0}
	matY   = Matrix{0, -1i, 1i, 0}
	matZ   = Matrix{1, 0, 0, -1}
	matH   = Matrix{invSqrt2, invSqrt2, invSqrt2, -invSqrt2}
	matS   = Matrix{1, 0, 0, 1i}
	matSdg = Matrix{1, 0, 0, -1i}
	matT   = Matrix{1, 0, 0, complex(invSqrt2, invSqrt2)}
	matTdg = Matrix{1, 0, 0, complex(invSqrt2, -invSqrt2)}
	// Qiskit's SX = sqrt(X) = e^{i pi/4} RX(pi/2).
	matSX   = Matrix{complex(0.5, 0.5), complex(0.5, -0.5), complex(0.5, -0.5), complex(0.5, 0.5)}
	matSXdg = Matrix{complex(0.5, -0.5), complex(0.5, 0.5), complex(0.5, 0.5), complex(0.5, -0.5)}
	matSwap = Matrix{
		1, 0, 0, 0,
		0, 0, 1, 0,
		0, 1, 0, 0,
		0, 0, 0, 1,
	}
)

func constant(m Matrix) func([]float64) Matrix {
	return func([]float64) Matrix { return append(Matrix(nil), m...) }
}

func qnames(k int) []string {
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	return names[:k]
}

// Catalog holds gate definitions by name.
type Catalog map[string]*GateDef

// Names returns the catalog's gate names in sorted order.
func (c Catalog) Names() []string {
	names := make([]string, 0, len(c))
	for n := range c {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Internal primitives: the targets that controlled built-ins lower to.
var (
	// GPhase is gphase(g): the zero-qubit gate e^{i g}. Controlled, it is a
	// phase on the control qubits.
	GPhase = &GateDef{Name: "gphase", Params: []string{"gamma"}, Lib: LibCore, Diagonal: true,
		MatrixFunc: func(p []float64) Matrix { return Matrix{Expi(p[0])} }}

	// UQiskit is U(t,p,l) with Qiskit's matrix (MatU). It is OpenQASM 2's
	// built-in U as Qiskit reads it.
	UQiskit = &GateDef{Name: "U", Params: []string{"theta", "phi", "lambda"}, QubitNames: qnames(1), Lib: LibCore,
		MatrixFunc: func(p []float64) Matrix { return MatU(p[0], p[1], p[2]) }}

	// U3Spec is OpenQASM 3's built-in U as the current specification defines
	// it: (1/2)[[1+e^{it}, -i e^{il}(1-e^{it})], [i e^{ip}(1-e^{it}), e^{i(p+l)}(1+e^{it})]],
	// which is e^{i t/2} times Qiskit's U.
	U3Spec = &GateDef{Name: "U", Params: []string{"theta", "phi", "lambda"}, QubitNames: qnames(1), Lib: LibCore,
		MatrixFunc: func(p []float64) Matrix { return Scale(Expi(p[0]/2), MatU(p[0], p[1], p[2])) }}

	gX    = prim("x", matX)
	gY    = prim("y", matY)
	gZ    = primDiag("z", matZ)
	gH    = prim("h", matH)
	gS    = primDiag("s", matS)
	gSdg  = primDiag("sdg", matSdg)
	gT    = primDiag("t", matT)
	gTdg  = primDiag("tdg", matTdg)
	gSX   = prim("sx", matSX)
	gSXdg = prim("sxdg", matSXdg)
	gI    = primDiag("id", matI)
	gSwap = &GateDef{Name: "swap", QubitNames: qnames(2), Lib: LibInternal, MatrixFunc: constant(matSwap)}
	gRX   = primP("rx", 1, false, func(p []float64) Matrix { return MatRX(p[0]) })
	gRY   = primP("ry", 1, false, func(p []float64) Matrix { return MatRY(p[0]) })
	gRZ   = primP("rz", 1, true, func(p []float64) Matrix { return MatRZ(p[0]) })
	gP    = primP("p", 1, true, func(p []float64) Matrix { return MatP(p[0]) })
	gU    = primP("u", 3, false, func(p []float64) Matrix { return MatU(p[0], p[1], p[2]) })
	// e^{i gamma} U(theta, phi, lambda): the target of Qiskit's 4-parameter cu.
	gUPhase = primP("u_phase", 4, false, func(p []float64) Matrix { return Scale(Expi(p[3]), MatU(p[0], p[1], p[2])) })
)

func prim(name string, m Matrix) *GateDef {
	return &GateDef{Name: name, QubitNames: qnames(m.Qubits()), Lib: LibInternal, MatrixFunc: constant(m)}
}

func primDiag(name string, m Matrix) *GateDef {
	g := prim(name, m)
	g.Diagonal = true
	return g
}

func primP(name string, np int, diag bool, f func([]float64) Matrix) *GateDef {
	ps := []string{"theta", "phi", "lambda", "gamma"}[:np]
	if np == 1 {
		ps = []string{"theta"}
	}
	return &GateDef{Name: name, Params: ps, QubitNames: qnames(1), Lib: LibInternal, MatrixFunc: f, Diagonal: diag}
}

// alias returns a library gate whose matrix is that of prim.
func alias(lib Library, name string, prim *GateDef, params ...string) *GateDef {
	if params == nil {
		params = prim.Params
	}
	return &GateDef{Name: name, Params: params, QubitNames: prim.QubitNames, Lib: lib,
		MatrixFunc: prim.MatrixFunc, Diagonal: prim.Diagonal}
}

// ctrl returns a library gate that is nc-controlled target.
func ctrl(lib Library, name string, nc int, target *GateDef, params ...string) *GateDef {
	if params == nil {
		params = target.Params
	}
	g := &GateDef{Name: name, Params: params, QubitNames: qnames(nc + target.NumQubits()), Lib: lib,
		Controls: nc, Target: target, Diagonal: target.Diagonal}
	g.MatrixFunc = func(p []float64) Matrix {
		return Controlled(target.MatrixFunc(p), nc, 1<<uint(nc)-1)
	}
	return g
}

func fn(lib Library, name string, nq int, params []string, diag bool, f func([]float64) Matrix) *GateDef {
	return &GateDef{Name: name, Params: params, QubitNames: qnames(nq), Lib: lib, MatrixFunc: f, Diagonal: diag}
}

// withPhase multiplies a controlled built-in by the global phase e^{i phase}.
func withPhase(g *GateDef, phase float64) *GateDef {
	g.Phase = phase
	f := g.MatrixFunc
	g.MatrixFunc = func(p []float64) Matrix { return Scale(Expi(phase), f(p)) }
	return g
}
