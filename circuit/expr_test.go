package circuit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestExprEval(t *testing.T) {
	x, y := Sym{Name: "x", Index: 0}, Sym{Name: "y", Index: 1}
	vals := []float64{0.5, -2}
	cases := []struct {
		e    Expr
		want float64
	}{
		{Add(x, y), -1.5},
		{Mul(Const(2), x), 1},
		{Div(Pi, Const(4)), math.Pi / 4},
		{Neg(Binary{Op: '^', X: Const(2), Y: Const(2)}), -4},
		{Binary{Op: '^', X: Const(2), Y: Binary{Op: '^', X: Const(3), Y: Const(2)}}, 512},
		{Call{Fn: "ln", X: Const(math.E)}, 1},
		{Call{Fn: "sqrt", X: Const(9)}, 3},
		{Sub(Call{Fn: "sin", X: x}, Call{Fn: "cos", X: y}), math.Sin(0.5) - math.Cos(-2)},
	}
	for _, tc := range cases {
		if got := tc.e.Eval(vals); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("%s = %v, want %v", tc.e, got, tc.want)
		}
	}
}

// Printing must respect precedence and associativity so that the printed
// form means the same expression.
func TestExprString(t *testing.T) {
	x, y := Sym{Name: "x", Index: 0}, Sym{Name: "y", Index: 1}
	cases := []struct {
		e    Expr
		want string
	}{
		{Sub(x, Sub(y, Const(1))), "x-(y-1)"},
		{Sub(Sub(x, y), Const(1)), "x-y-1"},
		{Div(x, Mul(y, Const(2))), "x/(y*2)"},
		{Mul(Add(x, y), Const(2)), "(x+y)*2"},
		{Neg(Add(x, y)), "-(x+y)"},
		{Binary{Op: '^', X: Neg(x), Y: Const(2)}, "(-x)^2"},
		{Binary{Op: '^', X: Binary{Op: '^', X: x, Y: y}, Y: Const(2)}, "(x^y)^2"},
		{Binary{Op: '^', X: x, Y: Binary{Op: '^', X: y, Y: Const(2)}}, "x^y^2"},
		{Div(Pi, Const(2)), "pi/2"},
		{Const(-0.25), "-0.25"},
		{Mul(x, Const(-3)), "x*-3"},
		{Call{Fn: "cos", X: Add(x, Pi)}, "cos(x+pi)"},
	}
	for _, tc := range cases {
		if got := tc.e.String(); got != tc.want {
			t.Errorf("String() = %q, want %q", got, tc.want)
		}
	}
}

func TestFormatFloatRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 10000; i++ {
		v := math.Float64frombits(rng.Uint64())
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		var back float64
		if _, err := fmt.Sscan(FormatFloat(v), &back); err != nil || back != v {
			t.Fatalf("FormatFloat(%v) = %q does not round-trip", v, FormatFloat(v))
		}
	}
}

// Symbolic derivatives against central finite differences.
func TestDeriv(t *testing.T) {
	x, y := Sym{Name: "x", Index: 0}, Sym{Name: "y", Index: 1}
	exprs := []Expr{
		Add(Mul(Const(2), x), Const(1)),
		Mul(x, y),
		Div(x, y),
		Div(Call{Fn: "sin", X: x}, Add(y, Const(3))),
		Binary{Op: '^', X: x, Y: Const(3)},
		Binary{Op: '^', X: Const(2), Y: x},
		Binary{Op: '^', X: y, Y: x},
		Call{Fn: "exp", X: Neg(Mul(x, x))},
		Call{Fn: "ln", X: Add(x, Const(2))},
		Call{Fn: "sqrt", X: Add(Mul(x, x), Const(1))},
		Call{Fn: "tan", X: Div(x, Const(3))},
		Call{Fn: "cos", X: Sub(x, y)},
		Call{Fn: "arctan", X: x},
		Call{Fn: "arcsin", X: Div(x, Const(4))},
		Call{Fn: "arccos", X: Div(x, Const(4))},
		Neg(y),
	}
	vals := []float64{0.6, 1.7}
	const h = 1e-6
	for _, e := range exprs {
		for k := 0; k < 2; k++ {
			d := Deriv(e, k).Eval(vals)
			vp := append([]float64(nil), vals...)
			vm := append([]float64(nil), vals...)
			vp[k] += h
			vm[k] -= h
			fd := (e.Eval(vp) - e.Eval(vm)) / (2 * h)
			if math.Abs(d-fd) > 1e-7*math.Max(1, math.Abs(fd)) {
				t.Errorf("d(%s)/d%s = %v, finite difference %v", e, []string{"x", "y"}[k], d, fd)
			}
		}
	}
}

func TestSubstAndFold(t *testing.T) {
	a := Sym{Name: "a", Index: 0}
	body := Add(Div(a, Const(2)), Pi)
	got := Subst(body, []Expr{Const(1)})
	if v := got.Eval(nil); math.Abs(v-(0.5+math.Pi)) > 1e-15 {
		t.Errorf("Subst eval = %v", v)
	}
	f := Fold(got)
	if n, ok := f.(Num); !ok || n.Value != 0.5+math.Pi {
		t.Errorf("Fold = %#v", f)
	}
	if IsConst(body) || !IsConst(got) {
		t.Error("IsConst wrong")
	}
}

func TestBind(t *testing.T) {
	c := New(1, 0)
	th := c.Symbol("theta")
	c.Apply(StdGates["rx"], []Expr{Mul(Const(2), th)}, 0)
	if _, err := c.BindMap(map[string]float64{}); err == nil {
		t.Error("unbound parameter accepted")
	}
	if _, err := c.BindMap(map[string]float64{"theta": 1, "phi": 2}); err == nil {
		t.Error("unknown parameter accepted")
	}
	b, err := c.BindMap(map[string]float64{"theta": 0.25})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := b.Unitary(nil)
	if d := MaxDiff(u, tRX(0.5)); d > 1e-15 {
		t.Errorf("bound circuit differs by %.3g", d)
	}
	c.Ops[0].Params[0] = Div(th, Const(0))
	if _, err := c.Bind([]float64{0}); err == nil {
		t.Error("NaN parameter accepted by Bind")
	}
}

func ExampleCircuit_Unitary() {
	c := New(2, 0)
	c.G(QELib1Gates["h"], 0).G(QELib1Gates["cx"], 0, 1)
	u, _ := c.Unitary(nil)
	// The first column is the Bell state (|00> + |11>)/sqrt(2).
	for i := 0; i < 4; i++ {
		fmt.Printf("%s: %.4f\n", FormatBits(uint64(i), 2), real(u.At(i, 0)))
	}
	// Output:
	// 00: 0.7071
	// 01: 0.0000
	// 10: 0.0000
	// 11: 0.7071
}

func ExampleDeriv() {
	c := New(1, 0)
	theta := c.Symbol("theta")
	e := Add(Mul(Const(2), theta), Const(1))
	fmt.Println(e, "->", Deriv(e, theta.Index))
	// Output: 2*theta+1 -> 2
}
