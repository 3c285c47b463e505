package circuit

import (
	"math"
	"strings"
	"testing"
)

// powOp is a one-operation circuit: pow(k) @ g(params) on qubits 0..n-1.
func powOp(g *GateDef, params []float64, k float64) *Circuit {
	c := New(g.NumQubits(), 0)
	qs := make([]int, g.NumQubits())
	for i := range qs {
		qs[i] = i
	}
	c.GP(g, params, qs...)
	c.Ops[0].Mods = []Modifier{{Kind: Pow, Exp: k}}
	return c
}

// Integer powers of gates of finite order are exact for any exponent, even
// beyond 2^53 and int64: the analytic powers of x, h, s, t and sx (x^k = I
// for even k, s^k = diag(1, i^k), t^k = diag(1, e^{i pi k/4}), sx^k from
// sx^2 = x), reduced by hand with integer arithmetic, must come out with
// every entry within 1e-15 (pow(2^62) @ x gave P(1) = 0.123 before).
func TestIntegerPowersExact(t *testing.T) {
	g := StdGates
	x, h := Matrix{0, 1, 1, 0}, Matrix{complex(1/math.Sqrt2, 0), complex(1/math.Sqrt2, 0), complex(1/math.Sqrt2, 0), complex(-1/math.Sqrt2, 0)}
	sx := Matrix{complex(0.5, 0.5), complex(0.5, -0.5), complex(0.5, -0.5), complex(0.5, 0.5)}
	id := Identity(2)
	for _, tc := range []struct {
		gate string
		k    float64
		want Matrix
	}{
		// (Exponents above 2^53 are even: float64 holds no odd one there.)
		{"x", 1 << 62, id}, {"x", 1<<62 + 2048, id}, {"x", -(1 << 62), id}, {"x", 1e30, id}, {"x", 1<<53 - 1, x},
		{"h", 1e18, id}, {"h", 1<<53 + 2, id}, {"h", 3, h}, {"h", -(1<<53 - 1), h},
		{"s", 1e18, id}, // 10^18 = 0 mod 4
		{"s", 1<<53 - 1, Diag(1, -1i)},
		{"t", 1<<53 - 3, Diag(1, Expi(5*math.Pi/4))},
		{"t", -(1<<53 - 1), Diag(1, Expi(math.Pi/4))},
		{"t", 1<<62 + 4096, id},
		{"sx", 1<<62 + 2048, id}, {"sx", 1<<53 + 2, x}, {"sx", 1<<53 - 3, sx},
	} {
		c := powOp(g[tc.gate], nil, tc.k)
		got, err := c.Unitary(nil)
		if err != nil {
			t.Fatalf("pow(%g) @ %s: %v", tc.k, tc.gate, err)
		}
		if d := MaxDiff(got, tc.want); d > 1e-15 {
			t.Errorf("pow(%g) @ %s = %v, want %v (max diff %.3g)", tc.k, tc.gate, got, tc.want, d)
		}
	}
}

// A gate with no small order is raised by repeated squaring: rz(theta)^k
// is rz(k theta), compared for k up to 2^20, where k theta is exact in
// float64 and the rounding of squaring stays below k * 1e-16; for huge k
// the result stays unitary.
func TestIntegerPowersRepeatedSquaring(t *testing.T) {
	const th = 0.1234567
	for _, k := range []float64{2, 7, 1000, -1000, 1 << 20} {
		got, err := powOp(StdGates["rz"], []float64{th}, k).Unitary(nil)
		if err != nil {
			t.Fatal(err)
		}
		want := StdGates["rz"].MatrixFunc([]float64{k * th})
		if d := MaxDiff(got, want); d > math.Abs(k)*1e-15 {
			t.Errorf("rz(%g)^%g: max diff %.3g from rz(k theta)", th, k, d)
		}
	}
	got, err := powOp(CoreQASM3["U"], []float64{0.3, 0.2, 0.1}, 1e18).Unitary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := MaxDiff(MatMul(Dagger(got), got), Identity(2)); d > 1e-12 {
		t.Errorf("U(0.3, 0.2, 0.1)^1e18 is not unitary: %.3g", d)
	}
}

// A user gate's integer power repeats its body at most its order times:
// pow(2^62) @ g with g = h; s (order 24, 2^62 = 16 mod 24) lowers to as few
// instructions as pow(16), with the same matrix as 16 plain products.
func TestUserGatePowerReduced(t *testing.T) {
	g := &GateDef{Name: "hs", QubitNames: []string{"a"}, Body: []Op{
		{Kind: GateOp, Gate: StdGates["h"], Qubits: []int{0}},
		{Kind: GateOp, Gate: StdGates["s"], Qubits: []int{0}},
	}}
	// 2^62 = 16 (mod 24): 2^62 = 0 mod 8 and 1 mod 3.
	c := powOp(g, nil, 1<<62)
	l, err := c.Lower()
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Instrs) != 2*16 {
		t.Errorf("pow(2^62) @ hs lowers to %d instructions, want 32", len(l.Instrs))
	}
	hs := MatMul(Diag(1, 1i), StdGates["h"].MatrixFunc(nil))
	want := Identity(2)
	for range 16 {
		want = MatMul(hs, want)
	}
	got, err := c.Unitary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := MaxDiff(got, want); d > 1e-13 {
		t.Errorf("pow(2^62) @ hs: max diff %.3g from (hs)^16", d)
	}
}

// Lower counts what a circuit expands to before expanding it: 2^60
// operations from a 60-level doubling chain are refused at once, naming
// the gate and the count; definitions nested too deep are refused by name.
func TestLowerBudget(t *testing.T) {
	gs := []*GateDef{{Name: "g0", QubitNames: []string{"a"}, Body: []Op{{Kind: GateOp, Gate: StdGates["x"], Qubits: []int{0}}}}}
	for i := 1; i <= 60; i++ {
		prev := gs[i-1]
		gs = append(gs, &GateDef{Name: "g" + string(rune('0'+i/10)) + string(rune('0'+i%10)), QubitNames: []string{"a"}, Body: []Op{
			{Kind: GateOp, Gate: prev, Qubits: []int{0}}, {Kind: GateOp, Gate: prev, Qubits: []int{0}}}})
	}
	c := New(1, 0).G(gs[60], 0)
	_, err := c.Lower()
	if err == nil || !strings.Contains(err.Error(), "g60 expands to 2^60 operations (limit 4194304)") {
		t.Errorf("g60: %v", err)
	}
	// pow(10^9) of a gate with a symbolic parameter cannot be reduced.
	rg := &GateDef{Name: "r", Params: []string{"t"}, QubitNames: []string{"a"}, Body: []Op{
		{Kind: GateOp, Gate: StdGates["rx"], Params: []Expr{Sym{Name: "t", Index: 0}}, Qubits: []int{0}}}}
	c = New(1, 0)
	c.Symbols = []string{"theta"}
	c.Apply(rg, []Expr{Sym{Name: "theta", Index: 0}}, 0)
	c.Ops[0].Mods = []Modifier{{Kind: Pow, Exp: 1e9}}
	if _, err := c.Lower(); err == nil || !strings.Contains(err.Error(), "r expands to 1000000000 operations") {
		t.Errorf("pow(1e9) @ r(theta): %v", err)
	}
	// Many small operations add up.
	c = New(1, 0)
	for range 9 {
		c.G(gs[19], 0) // 2^19 each
	}
	if _, err := c.Lower(); err == nil || !strings.Contains(err.Error(), "circuit too large: 4718592 operations") {
		t.Errorf("9 x 2^19: %v", err)
	}
	// 70 nested definitions.
	deep := gs[0]
	for i := 0; i < 70; i++ {
		deep = &GateDef{Name: "d", QubitNames: []string{"a"}, Body: []Op{{Kind: GateOp, Gate: deep, Qubits: []int{0}}}}
	}
	if _, err := New(1, 0).G(deep, 0).Lower(); err == nil || !strings.Contains(err.Error(), "nested more than 64 deep") {
		t.Errorf("70 nested definitions: %v", err)
	}
}

// BenchmarkLowerRepeatedPow lowers 100 applications of pow(3) @ g6, a
// 6-qubit user gate: the order of g6's 64x64 matrix, which reduces the
// power, is found once per lowering, not at every application (which took
// 7.8 s for this circuit).
func BenchmarkLowerRepeatedPow(b *testing.B) {
	g := &GateDef{Name: "g6", QubitNames: []string{"a", "b", "c", "d", "e", "f"}}
	for q := range 6 {
		g.Body = append(g.Body, Op{Kind: GateOp, Gate: StdGates["h"], Qubits: []int{q}})
		if q > 0 {
			g.Body = append(g.Body, Op{Kind: GateOp, Gate: StdGates["cx"], Qubits: []int{q - 1, q}})
		}
	}
	c := New(6, 0)
	for range 100 {
		c.G(g, 0, 1, 2, 3, 4, 5)
		c.Ops[len(c.Ops)-1].Mods = []Modifier{{Kind: Pow, Exp: 3}}
	}
	for b.Loop() {
		if _, err := c.Lower(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPowerParameterised raises rx(theta), which has no small order,
// to the power 2, as evaluating pow(2) @ rx(theta) does at every training
// step: the order search stops at s = 2 (it searched to 64).
func BenchmarkPowerParameterised(b *testing.B) {
	m := StdGates["rx"].MatrixFunc([]float64{0.123})
	for b.Loop() {
		if _, ok := Power(m, 2); !ok {
			b.Fatal("no power")
		}
	}
}

// TestPowersStayUnitary: integer and non-integer powers of unitaries are
// unitary to rounding, including non-integer powers of gates whose
// eigenvalues are close (the characteristic polynomial's roots made
// pow(1000000.5) @ rx(1e-6) 2e-5 from unitary) and large integer powers
// (repeated squaring left pow(1048575) @ u3 1.4e-10 from unitary).
func TestPowersStayUnitary(t *testing.T) {
	unitaryErr := func(m Matrix) float64 { return MaxDiff(MatMul(m, Dagger(m)), Identity(m.Dim())) }
	for _, e := range []float64{0, 1e-13, 3e-12, 1e-10, 1e-8, 1e-6, 1e-4, 0.5} {
		for _, p := range []float64{0.5, 0.3, 1.5, -0.7, 1234.5, 1e6 + 0.5, -3e9 - 0.25} {
			for _, g := range []Matrix{MatRX(e), MatU(e, 0.3, -0.3), Scale(Expi(0.7), MatRY(e)),
				MatU(2*math.Pi-e, 1, 2), MatU(math.Pi+e, -2, 0.5)} {
				m, ok := Power(g, p)
				if !ok {
					t.Fatalf("pow(%g) of a 2x2 refused", p)
				}
				if d := unitaryErr(m); d > 1e-13 {
					t.Errorf("pow(%g) @ (angle %g): |UU^+ - I| = %.3g", p, e, d)
				}
				if p == 0.5 { // and it is a square root: independent of how it was found
					if d := MaxDiff(MatMul(m, m), g); d > 1e-13 {
						t.Errorf("pow(0.5) @ (angle %g) squared differs by %.3g", e, d)
					}
				}
			}
		}
	}
	for _, k := range []float64{3, 100, 1e5, 1048575, 1048577, 1e9, 1e15, 9e15, -1e15} {
		for _, g := range []Matrix{MatRX(0.3), MatU(1, 2, 3), matRXX(0.37), Controlled(MatU(1, 2, 3), 1, 1)} {
			if d := unitaryErr(IntPower(g, k)); d > 1e-13 {
				t.Errorf("pow(%g) of a %dx%d: |UU^+ - I| = %.3g", k, g.Dim(), g.Dim(), d)
			}
		}
	}
	// and they are the powers: rx(t)^k = rx(k t), to the k-fold rounding
	// of the angle.
	for _, k := range []float64{100, 12345, 1048575} {
		if d := MaxDiff(IntPower(MatRX(0.3), k), MatRX(0.3*k)); d > k*1e-15 {
			t.Errorf("rx(0.3)^%g differs from rx(%g) by %.3g", k, 0.3*k, d)
		}
	}
}
