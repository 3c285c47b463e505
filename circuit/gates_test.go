package circuit

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

// Textbook matrices, written out independently of gates.go.
func tU(t, p, l float64) Matrix {
	c, s := complex(math.Cos(t/2), 0), complex(math.Sin(t/2), 0)
	return Matrix{c, -cmplx.Exp(complex(0, l)) * s, cmplx.Exp(complex(0, p)) * s, cmplx.Exp(complex(0, p+l)) * c}
}

func e(x float64) complex128 { return cmplx.Exp(complex(0, x)) }

// ctl builds the controlled version of u with control = argument 0 (the low
// bit) by writing out the block structure explicitly.
func ctl(u Matrix) Matrix {
	d := u.Dim()
	out := make(Matrix, 4*d*d)
	D := 2 * d
	for i := 0; i < d; i++ {
		out[(2*i)*D+2*i] = 1 // control 0: identity
		for j := 0; j < d; j++ {
			out[(2*i+1)*D+2*j+1] = u[i*d+j]
		}
	}
	return out
}

var (
	r2   = 1 / math.Sqrt(2)
	tX   = Matrix{0, 1, 1, 0}
	tY   = Matrix{0, -1i, 1i, 0}
	tZ   = Matrix{1, 0, 0, -1}
	tH   = Matrix{complex(r2, 0), complex(r2, 0), complex(r2, 0), complex(-r2, 0)}
	tSX  = Scale(0.5, Matrix{1 + 1i, 1 - 1i, 1 - 1i, 1 + 1i})
	tRX  = func(t float64) Matrix { return tU(t, -math.Pi/2, math.Pi/2) }
	tRY  = func(t float64) Matrix { return tU(t, 0, 0) }
	tRZ  = func(t float64) Matrix { return Diag(e(-t/2), e(t/2)) }
	tP   = func(l float64) Matrix { return Diag(1, e(l)) }
	tCCX = func() Matrix { // controls bits 0,1; target bit 2
		m := Identity(8)
		m[3*8+3], m[7*8+7], m[3*8+7], m[7*8+3] = 0, 0, 1, 1
		return m
	}
)

// swapBits returns the permutation matrix exchanging bits i and j.
func perm(n int, f func(int) int) Matrix {
	d := 1 << n
	m := make(Matrix, d*d)
	for x := 0; x < d; x++ {
		m[f(x)*d+x] = 1
	}
	return m
}

func TestTextbookMatrices(t *testing.T) {
	th, ph, la, ga := 0.7, -1.3, 2.2, 0.4
	swap := perm(2, func(x int) int { return (x&1)<<1 | x>>1 })
	cswap := perm(3, func(x int) int {
		if x&1 == 1 {
			b1, b2 := x>>1&1, x>>2&1
			return 1 | b2<<1 | b1<<2
		}
		return x
	})
	xx := Kron(tX, tX)
	rxx := make(Matrix, 16)
	for i := range rxx {
		rxx[i] = complex(math.Cos(th/2), 0)*Identity(4)[i] + complex(0, -math.Sin(th/2))*xx[i]
	}
	mcx := func(nc int) Matrix { // nc controls (low bits), target the top bit
		n := nc + 1
		all := 1<<nc - 1
		return perm(n, func(x int) int {
			if x&all == all {
				return x ^ 1<<nc
			}
			return x
		})
	}
	cases := []struct {
		lib    Catalog
		name   string
		params []float64
		want   Matrix
	}{
		{QELib1Gates, "u3", []float64{th, ph, la}, tU(th, ph, la)},
		{QELib1Gates, "u2", []float64{ph, la}, tU(math.Pi/2, ph, la)},
		{QELib1Gates, "u1", []float64{la}, tP(la)},
		{QELib1Gates, "cx", nil, ctl(tX)},
		{QELib1Gates, "id", nil, Identity(2)},
		{QELib1Gates, "u0", []float64{ga}, Identity(2)},
		{QELib1Gates, "u", []float64{th, ph, la}, tU(th, ph, la)},
		{QELib1Gates, "p", []float64{la}, tP(la)},
		{QELib1Gates, "x", nil, tX},
		{QELib1Gates, "y", nil, tY},
		{QELib1Gates, "z", nil, tZ},
		{QELib1Gates, "h", nil, tH},
		{QELib1Gates, "s", nil, tP(math.Pi / 2)},
		{QELib1Gates, "sdg", nil, tP(-math.Pi / 2)},
		{QELib1Gates, "t", nil, tP(math.Pi / 4)},
		{QELib1Gates, "tdg", nil, tP(-math.Pi / 4)},
		{QELib1Gates, "rx", []float64{th}, tRX(th)},
		{QELib1Gates, "ry", []float64{th}, tRY(th)},
		{QELib1Gates, "rz", []float64{th}, tP(th)}, // qelib1's rz is u1
		{QELib1Gates, "sx", nil, Scale(e(-math.Pi/4), tSX)},
		{QELib1Gates, "sxdg", nil, Scale(e(math.Pi/4), Dagger(tSX))},
		{QELib1Gates, "cz", nil, ctl(tZ)},
		{QELib1Gates, "cy", nil, ctl(tY)},
		{QELib1Gates, "swap", nil, swap},
		{QELib1Gates, "ch", nil, Scale(e(math.Pi/4), ctl(tH))},
		{QELib1Gates, "ccx", nil, tCCX()},
		{QELib1Gates, "cswap", nil, cswap},
		{QELib1Gates, "crx", []float64{th}, ctl(tRX(th))},
		{QELib1Gates, "cry", []float64{th}, ctl(tRY(th))},
		{QELib1Gates, "crz", []float64{th}, ctl(tRZ(th))},
		{QELib1Gates, "cu1", []float64{la}, ctl(tP(la))},
		{QELib1Gates, "cp", []float64{la}, ctl(tP(la))},
		{QELib1Gates, "cu3", []float64{th, ph, la}, ctl(tU(th, ph, la))},
		{QELib1Gates, "csx", nil, ctl(tSX)},
		{QELib1Gates, "cu", []float64{th, ph, la, ga}, ctl(Scale(e(ga), tU(th, ph, la)))},
		{QELib1Gates, "rxx", []float64{th}, Scale(e(-th/2), rxx)},
		{QELib1Gates, "rzz", []float64{th}, Diag(1, e(th), e(th), 1)},
		{QELib1Gates, "c3x", nil, mcx(3)},
		{QELib1Gates, "c4x", nil, mcx(4)},
		{StdGates, "p", []float64{la}, tP(la)},
		{StdGates, "x", nil, tX},
		{StdGates, "y", nil, tY},
		{StdGates, "z", nil, tZ},
		{StdGates, "h", nil, tH},
		{StdGates, "s", nil, tP(math.Pi / 2)},
		{StdGates, "sdg", nil, tP(-math.Pi / 2)},
		{StdGates, "t", nil, tP(math.Pi / 4)},
		{StdGates, "tdg", nil, tP(-math.Pi / 4)},
		{StdGates, "sx", nil, tSX},
		{StdGates, "rx", []float64{th}, tRX(th)},
		{StdGates, "ry", []float64{th}, tRY(th)},
		{StdGates, "rz", []float64{th}, tRZ(th)},
		{StdGates, "cx", nil, ctl(tX)},
		{StdGates, "cy", nil, ctl(tY)},
		{StdGates, "cz", nil, ctl(tZ)},
		{StdGates, "cp", []float64{la}, ctl(tP(la))},
		{StdGates, "crx", []float64{th}, ctl(tRX(th))},
		{StdGates, "cry", []float64{th}, ctl(tRY(th))},
		{StdGates, "crz", []float64{th}, ctl(tRZ(th))},
		{StdGates, "ch", nil, ctl(tH)},
		{StdGates, "swap", nil, swap},
		{StdGates, "ccx", nil, tCCX()},
		{StdGates, "cswap", nil, cswap},
		{StdGates, "cu", []float64{th, ph, la, ga}, ctl(Scale(e(ga), tU(th, ph, la)))},
		// The specification's description: CX is an alias for cx.
		{StdGates, "CX", nil, ctl(tX)},
		{StdGates, "phase", []float64{la}, tP(la)},
		{StdGates, "cphase", []float64{la}, ctl(tP(la))},
		{StdGates, "id", nil, Identity(2)},
		{StdGates, "u1", []float64{la}, tP(la)},
		{StdGates, "u2", []float64{ph, la}, Scale(e(-(ph+la)/2), tU(math.Pi/2, ph, la))},
		{StdGates, "u3", []float64{th, ph, la}, Scale(e(-(ph+la)/2), tU(th, ph, la))},
		{CoreQASM2, "U", []float64{th, ph, la}, tU(th, ph, la)},
		{CoreQASM2, "CX", nil, ctl(tX)},
		{CoreQASM3, "U", []float64{th, ph, la}, Scale(e(th/2), tU(th, ph, la))},
	}
	for _, tc := range cases {
		g := tc.lib[tc.name]
		if g == nil {
			t.Errorf("%s missing", tc.name)
			continue
		}
		got := g.Matrix(tc.params)
		if d := MaxDiff(got, tc.want); d > 1e-12 {
			t.Errorf("%s %s: max diff %.3g from textbook\n got %v\nwant %v", g.Lib, tc.name, d, got, tc.want)
		}
	}
}

// expandCore multiplies out a qelib1 gate's body recursively down to the core
// gates U and CX, never using a closed form other than those two.
func expandCore(t *testing.T, g *GateDef, params []Expr, qubits []int, out *Circuit) {
	if g.Lib == LibCore {
		out.Apply(g, params, qubits...)
		return
	}
	if len(g.Body) == 0 {
		t.Fatalf("%s has no body", g.Name)
	}
	for _, op := range g.Body {
		qs := make([]int, len(op.Qubits))
		for i, f := range op.Qubits {
			qs[i] = qubits[f]
		}
		if len(op.Mods) != 0 {
			t.Fatalf("%s: modifier in qelib1 body", g.Name)
		}
		expandCore(t, op.Gate, substAll(op.Params, params), qs, out)
	}
}

func TestQELib1BodiesDownToUAndCX(t *testing.T) {
	if len(QELib1Gates) != 42 || len(QELib1Order) != 42 {
		t.Fatalf("qelib1 has %d gates, want 42", len(QELib1Gates))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range QELib1Order {
		g := QELib1Gates[name]
		for trial := 0; trial < 3; trial++ {
			p := make([]float64, len(g.Params))
			args := make([]Expr, len(p))
			for i := range p {
				p[i] = (rng.Float64()*2 - 1) * 2 * math.Pi
				args[i] = Const(p[i])
			}
			c := &Circuit{NumQubits: g.NumQubits()}
			qs := make([]int, g.NumQubits())
			for i := range qs {
				qs[i] = i
			}
			expandCore(t, g, args, qs, c)
			for _, op := range c.Ops {
				if op.Gate != UQiskit && op.Gate != CoreQASM2["CX"] {
					t.Fatalf("%s expanded to non-core gate %s", name, op.Gate.Name)
				}
			}
			got, err := c.Unitary(nil)
			if err != nil {
				t.Fatal(err)
			}
			if d := MaxDiff(got, g.Matrix(p)); d > 1e-12 {
				t.Errorf("qelib1 %s%v: closed form differs from its body by %.3g", name, p, d)
			}
		}
	}
}

func TestStdGatesBodies(t *testing.T) {
	if len(StdGates) != 32 {
		t.Fatalf("stdgates has %d gates, want 32", len(StdGates))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, name := range StdGatesOrder {
		g := StdGates[name]
		p := make([]float64, len(g.Params))
		for i := range p {
			p[i] = (rng.Float64()*2 - 1) * 2 * math.Pi
		}
		got, err := BodyMatrix(g, p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d := MaxDiff(got, g.Matrix(p)); d > 1e-12 {
			t.Errorf("stdgates %s: closed form differs from its body by %.3g", name, d)
		}
	}
}

// TestAllBuiltinsUnitary checks every built-in gate's matrix for
// unitarity at ordinary angles and at extreme ones: any finite angle a
// program can write must give a matrix unitary to rounding, or simulated
// norms drift (U(1, -3.3, 7e9) formed e^{i(phi+lambda)} from the rounded
// sum and was 1e-7 from unitary; FuzzLowerSimulate2 found it).
func TestAllBuiltinsUnitary(t *testing.T) {
	extreme := []float64{0, -0, 5e-324, 1e-300, 1e-8, -3.3, math.Pi, 1e8, 536870911.5, 536870912.25,
		7e9, -7e9 - 0.5, 1e15, 1e16, 1e17, 9.2e18, 1e19, 1e22, 1e100, 1e300, -1e300, math.MaxFloat64}
	rng := rand.New(rand.NewPCG(3, 5))
	for _, cat := range []Catalog{QELib1Gates, StdGates, CoreQASM2, CoreQASM3} {
		for _, name := range cat.Names() {
			g := cat[name]
			for trial := 0; trial < 400; trial++ {
				p := make([]float64, len(g.Params))
				for i := range p {
					if trial == 0 {
						p[i] = 0.3 + float64(i)
					} else {
						p[i] = extreme[rng.IntN(len(extreme))]
					}
				}
				m := g.Matrix(p)
				if !IsFinite(m) {
					continue // refused before simulation (sim's compile)
				}
				if d := MaxDiff(MatMul(m, Dagger(m)), Identity(m.Dim())); d > 1e-13 {
					t.Errorf("%s %s%v is not unitary: |UU^+ - I| = %.3g", g.Lib, name, p, d)
					break
				}
				if g.Diagonal && !IsDiagonal(m) {
					t.Errorf("%s%v marked diagonal but is not", name, p)
					break
				}
				if len(p) == 0 {
					break
				}
			}
		}
	}
}

func TestModifiers(t *testing.T) {
	th := 0.9
	rx := StdGates["rx"]
	cases := []struct {
		name string
		mods []Modifier
		g    *GateDef
		p    []float64
		nq   int
		want Matrix
	}{
		{"ctrl rx", []Modifier{{Kind: Ctrl, N: 1}}, rx, []float64{th}, 2, ctl(tRX(th))},
		{"negctrl x", []Modifier{{Kind: NegCtrl, N: 1}}, StdGates["x"], nil, 2,
			// control (bit 0) must be 0
			perm(2, func(x int) int {
				if x&1 == 0 {
					return x ^ 2
				}
				return x
			})},
		{"inv rx", []Modifier{{Kind: Inv}}, rx, []float64{th}, 1, tRX(-th)},
		{"pow(3) rx", []Modifier{{Kind: Pow, Exp: 3}}, rx, []float64{th}, 1, tRX(3 * th)},
		{"pow(-2) rx", []Modifier{{Kind: Pow, Exp: -2}}, rx, []float64{th}, 1, tRX(-2 * th)},
		{"pow(0.5) x", []Modifier{{Kind: Pow, Exp: 0.5}}, StdGates["x"], nil, 1, tSX},
		{"pow(0.5) z", []Modifier{{Kind: Pow, Exp: 0.5}}, StdGates["z"], nil, 1, tP(math.Pi / 2)},
		{"ctrl(2) x", []Modifier{{Kind: Ctrl, N: 2}}, StdGates["x"], nil, 3, tCCX()},
		{"ctrl ctrl x", []Modifier{{Kind: Ctrl, N: 1}, {Kind: Ctrl, N: 1}}, StdGates["x"], nil, 3, tCCX()},
		{"ctrl gphase", []Modifier{{Kind: Ctrl, N: 1}}, GPhase, []float64{th}, 1, tP(th)},
		{"ctrl cx is ccx", []Modifier{{Kind: Ctrl, N: 1}}, QELib1Gates["cx"], nil, 3, tCCX()},
		{"inv ctrl rz", []Modifier{{Kind: Inv}, {Kind: Ctrl, N: 1}}, StdGates["rz"], []float64{th}, 2, ctl(tRZ(-th))},
		// qelib1's ch carries a global phase e^{i pi/4}; under ctrl it becomes
		// a phase on the outer control.
		{"ctrl ch", []Modifier{{Kind: Ctrl, N: 1}}, QELib1Gates["ch"], nil, 3, ctl(Scale(e(math.Pi/4), ctl(tH)))},
	}
	for _, tc := range cases {
		c := &Circuit{NumQubits: tc.nq}
		qs := make([]int, tc.nq)
		for i := range qs {
			qs[i] = i
		}
		ps := make([]Expr, len(tc.p))
		for i, v := range tc.p {
			ps[i] = Const(v)
		}
		c.Ops = append(c.Ops, Op{Kind: GateOp, Gate: tc.g, Params: ps, Mods: tc.mods, Qubits: qs})
		if err := c.Validate(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got, err := c.Unitary(nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if d := MaxDiff(got, tc.want); d > 1e-12 {
			t.Errorf("%s: diff %.3g\n got %v\nwant %v", tc.name, d, got, tc.want)
		}
	}
}

// A user gate with a body: modifiers act on the body (ctrl on each gate, inv
// reverses, pow repeats), and gphase inside becomes a phase under control.
func TestUserGateModifiers(t *testing.T) {
	// gate g(a) q0, q1 { h q0; cx q0, q1; rz(a) q1; gphase(a/3); }
	g := &GateDef{Name: "g", Params: []string{"a"}, QubitNames: []string{"q0", "q1"}}
	a := Sym{Name: "a", Index: 0}
	g.Body = []Op{
		o(StdGates["h"], nil, 0),
		o(StdGates["cx"], nil, 0, 1),
		o(StdGates["rz"], ex(a), 1),
		o(GPhase, ex(Div(a, Const(3)))),
	}
	val := 0.77
	base, err := BodyMatrix(g, []float64{val})
	if err != nil {
		t.Fatal(err)
	}
	// Independent: product of textbook matrices (argument 0 = low bit).
	want := MatMul(Kron(tRZ(val), Identity(2)), MatMul(ctl(tX), Kron(Identity(2), tH)))
	want = Scale(e(val/3), want)
	if d := MaxDiff(base, want); d > 1e-12 {
		t.Fatalf("user gate body: diff %.3g", d)
	}
	for _, tc := range []struct {
		mods []Modifier
		nq   int
		want Matrix
	}{
		{[]Modifier{{Kind: Inv}}, 2, Dagger(base)},
		{[]Modifier{{Kind: Pow, Exp: 2}}, 2, MatMul(base, base)},
		{[]Modifier{{Kind: Pow, Exp: -1}}, 2, Dagger(base)},
		{[]Modifier{{Kind: Ctrl, N: 1}}, 3, ctl(base)},
		{[]Modifier{{Kind: Ctrl, N: 1}, {Kind: Inv}}, 3, ctl(Dagger(base))},
	} {
		c := &Circuit{NumQubits: tc.nq}
		qs := []int{0, 1, 2}[:tc.nq]
		c.Ops = append(c.Ops, Op{Kind: GateOp, Gate: g, Params: ex(Const(val)), Mods: tc.mods, Qubits: qs})
		got, err := c.Unitary(nil)
		if err != nil {
			t.Fatal(err)
		}
		if d := MaxDiff(got, tc.want); d > 1e-12 {
			t.Errorf("%v: diff %.3g", tc.mods, d)
		}
	}
}

func TestOpaqueAndRecursion(t *testing.T) {
	op := &GateDef{Name: "ecr", QubitNames: qnames(2), Opaque: true}
	c := New(2, 0)
	c.G(op, 0, 1)
	if _, err := c.Lower(); err == nil {
		t.Error("lowering an opaque gate succeeded")
	}
	r := &GateDef{Name: "r", QubitNames: qnames(1)}
	r.Body = []Op{o(r, nil, 0)}
	c = New(1, 0)
	c.G(r, 0)
	if _, err := c.Lower(); err == nil {
		t.Error("lowering a recursive gate succeeded")
	}
}

func TestPower2x2(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 50; i++ {
		th, ph, la := rng.Float64()*6, rng.Float64()*6, rng.Float64()*6
		u := tU(th, ph, la)
		r, ok := Power(u, 0.5)
		if !ok {
			t.Fatal("Power failed")
		}
		if d := MaxDiff(MatMul(r, r), u); d > 1e-12 {
			t.Errorf("sqrt(U)^2 != U: %.3g", d)
		}
		r3, _ := Power(u, 1.0/3)
		if d := MaxDiff(MatMul(r3, MatMul(r3, r3)), u); d > 1e-12 {
			t.Errorf("cbrt(U)^3 != U: %.3g", d)
		}
	}
}

func TestFormatClbits(t *testing.T) {
	c := &Circuit{}
	c.AddCReg("a", 2)
	c.AddCReg("b", 3)
	// a = 0b01 (bit0=1), b = 0b110
	bits := uint64(1) | uint64(6)<<2
	if got, want := c.FormatClbits(bits), "110 01"; got != want {
		t.Errorf("FormatClbits = %q, want %q", got, want)
	}
	if got := FormatBits(5, 4); got != "0101" {
		t.Errorf("FormatBits(5,4) = %q", got)
	}
}

func TestIsFinite(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, tc := range []struct {
		m    Matrix
		want bool
	}{
		{nil, true},
		{Identity(2), true},
		{Matrix{1, complex(0, 1e308)}, true},
		{Matrix{1, complex(nan, 0)}, false},
		{Matrix{complex(0, nan)}, false},
		{Matrix{1, 0, 0, complex(-inf, 0)}, false},
		{Matrix{complex(0, inf)}, false},
	} {
		if got := IsFinite(tc.m); got != tc.want {
			t.Errorf("IsFinite(%v) = %v, want %v", tc.m, got, tc.want)
		}
	}
}
