package transpile

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"born/circuit"
)

// Device gates: closed forms against independent definitions and against
// their bodies.
func TestDeviceGates(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	x, y, z := circuit.Matrix{0, 1, 1, 0}, circuit.Matrix{0, -1i, 1i, 0}, circuit.Matrix{1, 0, 0, -1}
	// ECR = (IX - XY)/sqrt(2) in Qiskit's labels (qubit 1 first): X on a,
	// and X on b times Y on a.
	ecr := circuit.Scale(complex(1/math.Sqrt2, 0), sub(circuit.Kron(circuit.Identity(2), x), circuit.Kron(x, y)))
	if d := circuit.MaxDiff(MatECR(), ecr); d > 1e-15 {
		t.Errorf("ECR differs from (IX - XY)/sqrt(2) by %g", d)
	}
	sigma := func(p float64) circuit.Matrix {
		return add(circuit.Scale(complex(math.Cos(p), 0), x), circuit.Scale(complex(math.Sin(p), 0), y))
	}
	for i := 0; i < 20; i++ {
		p0, p1, th := rng.Float64()*7-3.5, rng.Float64()*7-3.5, rng.Float64()*7-3.5
		// GPI = sigma(phi); GPI2 = (I - i sigma(phi))/sqrt(2);
		// MS = cos(th/2) I - i sin(th/2) sigma(p1) (x) sigma(p0) (b high).
		if d := circuit.MaxDiff(MatGPI(p0), sigma(p0)); d > 1e-15 {
			t.Errorf("GPI(%v): %g", p0, d)
		}
		g2 := circuit.Scale(complex(1/math.Sqrt2, 0), sub(circuit.Identity(2), circuit.Scale(1i, sigma(p0))))
		if d := circuit.MaxDiff(MatGPI2(p0), g2); d > 1e-15 {
			t.Errorf("GPI2(%v): %g", p0, d)
		}
		ms := sub(circuit.Scale(complex(math.Cos(th/2), 0), circuit.Identity(4)),
			circuit.Scale(complex(0, math.Sin(th/2)), circuit.Kron(sigma(p1), sigma(p0))))
		if d := circuit.MaxDiff(MatMS(p0, p1, th), ms); d > 1e-15 {
			t.Errorf("MS(%v, %v, %v): %g", p0, p1, th, d)
		}
		for _, g := range []*circuit.GateDef{ECR, GPI, GPI2, MS} {
			p := []float64{p0, p1, th}[:len(g.Params)]
			body, err := circuit.BodyMatrix(g, p)
			if err != nil {
				t.Fatal(err)
			}
			if d := circuit.MaxDiff(body, g.Matrix(p)); d > 1e-14 {
				t.Errorf("%s%v: body differs from the matrix by %g", g.Name, p, d)
			}
		}
	}
	_ = z
	// Renamed vendor gates keep their matrices, and their bodies agree.
	for _, cat := range []circuit.Catalog{BraketGates, IonQGates, QuilGates} {
		for _, name := range cat.Names() {
			g := cat[name]
			p := make([]float64, len(g.Params))
			for i := range p {
				p[i] = rng.Float64()*6 - 3
			}
			body, err := circuit.BodyMatrix(g, p)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if d := circuit.MaxDiff(body, g.Matrix(p)); d > 1e-14 {
				t.Errorf("%s: body differs from the matrix by %g", name, d)
			}
		}
	}
	// Braket's vi and si are V^dagger and S^dagger.
	if d := circuit.MaxDiff(BraketGates["vi"].Matrix(nil), circuit.Dagger(circuit.StdGates["sx"].Matrix(nil))); d > 1e-15 {
		t.Errorf("vi: %g", d)
	}
}

func add(a, b circuit.Matrix) circuit.Matrix {
	out := make(circuit.Matrix, len(a))
	for i := range a {
		out[i] = a[i] + b[i]
	}
	return out
}

func sub(a, b circuit.Matrix) circuit.Matrix { return add(a, circuit.Scale(-1, b)) }

// The CX translations used for each entangling gate.
func TestTranslateCX(t *testing.T) {
	cx := nodesUnitary(t, []node{{kind: kCX, q: []int{0, 1}}}, 2)
	for _, name := range []string{"cx", "cz", "ecr", "ms"} {
		lw := &lowering{t: &Target{TwoQubit: name}}
		nodes := lw.translate([]node{{kind: kCX, q: []int{0, 1}}})
		got := circuit.Scale(circuit.Expi(lw.phase), nodesUnitary(t, nodes, 2))
		if d := circuit.MaxDiff(got, cx); d > 1e-14 {
			t.Errorf("CX via %s differs by %g", name, d)
		}
	}
}

// decomposeGate decomposes one gate op on n qubits and returns the
// difference between its unitary and e^{i phase} times the decomposition's.
func decomposeGate(t *testing.T, op circuit.Op, n int) (float64, *decomposer) {
	t.Helper()
	c := &circuit.Circuit{NumQubits: n, QRegs: []circuit.Register{{Name: "q", Size: n}}, Ops: []circuit.Op{op}}
	want, err := c.Unitary(nil)
	if err != nil {
		t.Fatalf("%s: %v", describe(c, &op), err)
	}
	d, err := decompose(c)
	if err != nil {
		t.Fatalf("%s: %v", describe(c, &op), err)
	}
	for _, nd := range d.nodes {
		if nd.kind != k1 && nd.kind != kCX {
			t.Fatalf("%s: node kind %d", describe(c, &op), nd.kind)
		}
	}
	got := circuit.Scale(circuit.Expi(d.phase), nodesUnitary(t, d.nodes, n))
	return circuit.MaxDiff(got, want), d
}

// Every gate of qelib1.inc and stdgates.inc, plain and under ctrl, negctrl,
// inv and pow modifiers, decomposes exactly (global phase included) into
// 1-qubit gates and CX.
func TestDecomposeLibraries(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	mods := [][]circuit.Modifier{
		nil,
		{{Kind: circuit.Ctrl, N: 1}},
		{{Kind: circuit.NegCtrl, N: 1}},
		{{Kind: circuit.Inv}},
		{{Kind: circuit.Pow, Exp: 2}},
		{{Kind: circuit.Ctrl, N: 2}, {Kind: circuit.Inv}},
		{{Kind: circuit.NegCtrl, N: 1}, {Kind: circuit.Ctrl, N: 1}, {Kind: circuit.Pow, Exp: -3}},
	}
	for _, lib := range []struct {
		name  string
		cat   circuit.Catalog
		order []string
	}{{"qelib1", circuit.QELib1Gates, circuit.QELib1Order}, {"stdgates", circuit.StdGates, circuit.StdGatesOrder}} {
		for _, name := range lib.order {
			g := lib.cat[name]
			for _, ms := range mods {
				nc := 0
				for _, m := range ms {
					if m.Kind == circuit.Ctrl || m.Kind == circuit.NegCtrl {
						nc += m.N
					}
				}
				k := g.NumQubits() + nc
				if k > 6 {
					continue
				}
				n := k + 1
				qs := rng.Perm(n)[:k]
				ps := make([]circuit.Expr, len(g.Params))
				for i := range ps {
					ps[i] = circuit.Const(rng.Float64()*8 - 4)
				}
				op := circuit.Op{Kind: circuit.GateOp, Gate: g, Params: ps, Mods: ms, Qubits: qs}
				if diff, _ := decomposeGate(t, op, n); diff > 1e-12 {
					t.Errorf("%s %s with %v: differs by %g", lib.name, name, ms, diff)
				}
			}
		}
	}
}

// CX counts of the standard decompositions.
func TestDecomposeCounts(t *testing.T) {
	q := circuit.QELib1Gates
	cases := []struct {
		g   *circuit.GateDef
		p   []float64
		cxs int
	}{
		{q["cx"], nil, 1}, {q["cz"], nil, 1}, {q["cy"], nil, 1}, {q["ch"], nil, 1},
		{q["cp"], []float64{0.3}, 2}, {q["crz"], []float64{0.3}, 2}, {q["cry"], []float64{0.3}, 2},
		{q["cu3"], []float64{0.1, 0.2, 0.3}, 2}, {q["rzz"], []float64{0.7}, 2}, {q["swap"], nil, 3},
		{q["ccx"], nil, 6}, {q["c3x"], nil, 14}, {q["c4x"], nil, 30}, {q["cswap"], nil, 8},
	}
	for _, c := range cases {
		n := c.g.NumQubits()
		qs := make([]int, n)
		for i := range qs {
			qs[i] = i
		}
		ps := make([]circuit.Expr, len(c.p))
		for i, v := range c.p {
			ps[i] = circuit.Const(v)
		}
		diff, d := decomposeGate(t, circuit.Op{Kind: circuit.GateOp, Gate: c.g, Params: ps, Qubits: qs}, n)
		if diff > 1e-12 {
			t.Errorf("%s differs by %g", c.g.Name, diff)
		}
		cxs := 0
		for _, nd := range d.nodes {
			if nd.kind == kCX {
				cxs++
			}
		}
		if cxs != c.cxs {
			t.Errorf("%s: %d CX, want %d", c.g.Name, cxs, c.cxs)
		}
	}
}

// A random controlled unitary with up to 5 controls in random states.
func TestDecomposeMultiControlled(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for i := 0; i < 40; i++ {
		nc := 1 + rng.IntN(5)
		n := nc + 1
		var mods []circuit.Modifier
		for j := 0; j < nc; j++ {
			k := circuit.Ctrl
			if rng.IntN(2) == 0 {
				k = circuit.NegCtrl
			}
			mods = append(mods, circuit.Modifier{Kind: k, N: 1})
		}
		ps := []circuit.Expr{circuit.Const(rng.Float64() * 3), circuit.Const(rng.Float64() * 6), circuit.Const(rng.Float64() * 6)}
		op := circuit.Op{Kind: circuit.GateOp, Gate: circuit.QELib1Gates["u3"], Params: ps, Mods: mods, Qubits: rng.Perm(n)}
		if diff, _ := decomposeGate(t, op, n); diff > 1e-12 {
			t.Errorf("%v @ u3: differs by %g", mods, diff)
		}
	}
}

// Gates with no decomposition and gates too large are refused with errors
// that say why.
func TestDecomposeRefused(t *testing.T) {
	dense := &circuit.GateDef{Name: "mystery", QubitNames: []string{"a", "b"}, Lib: circuit.LibUser,
		MatrixFunc: func([]float64) circuit.Matrix {
			m := circuit.Kron(circuit.MatRX(0.3), circuit.MatRY(0.4))
			return circuit.MatMul(m, circuit.Controlled(circuit.MatRX(1.1), 1, 1))
		}}
	opaque := &circuit.GateDef{Name: "blackbox", QubitNames: []string{"a"}, Lib: circuit.LibUser, Opaque: true}
	many := []circuit.Modifier{{Kind: circuit.Ctrl, N: MaxDiagonalQubits}}
	cases := []struct {
		name string
		op   circuit.Op
		n    int
		want string
	}{
		{"dense 2-qubit unitary", circuit.Op{Kind: circuit.GateOp, Gate: dense, Qubits: []int{0, 1}}, 2, "no known exact decomposition"},
		{"opaque gate", circuit.Op{Kind: circuit.GateOp, Gate: opaque, Qubits: []int{0}}, 1, "opaque"},
		{"too many controls", circuit.Op{Kind: circuit.GateOp, Gate: circuit.QELib1Gates["x"], Mods: many, Qubits: seq(MaxDiagonalQubits + 1)}, MaxDiagonalQubits + 1, "limited to"},
	}
	for _, c := range cases {
		circ := &circuit.Circuit{NumQubits: c.n, QRegs: []circuit.Register{{Name: "q", Size: c.n}}, Ops: []circuit.Op{c.op}}
		_, err := decompose(circ)
		var te *Error
		if err == nil || !errors.As(err, &te) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// Symbolic parameters: rotations, U and singly controlled rotations stay
// symbolic; the decomposition is exact at any parameter value.
func TestDecomposeSymbolic(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	c := circuit.New(3, 0)
	a, b, g := c.Symbol("a"), c.Symbol("b"), c.Symbol("g")
	q, s := circuit.QELib1Gates, circuit.StdGates
	two := circuit.Mul(circuit.Const(2), a)
	c.Apply(q["rz"], []circuit.Expr{a}, 0)
	c.Apply(s["rz"], []circuit.Expr{two}, 1)
	c.Apply(s["rx"], []circuit.Expr{b}, 2)
	c.Apply(q["ry"], []circuit.Expr{circuit.Add(a, b)}, 0)
	c.Apply(q["u3"], []circuit.Expr{a, b, g}, 1)
	c.Apply(s["u3"], []circuit.Expr{a, circuit.Const(0.3), g}, 2)
	c.Apply(q["u2"], []circuit.Expr{a, b}, 0)
	c.Apply(q["crz"], []circuit.Expr{b}, 0, 1)
	c.Apply(s["cp"], []circuit.Expr{g}, 1, 2)
	c.Apply(q["cu3"], []circuit.Expr{a, b, g}, 2, 0)
	c.Apply(q["rzz"], []circuit.Expr{g}, 0, 2)
	c.Apply(q["rxx"], []circuit.Expr{a}, 1, 2)
	c.Ops = append(c.Ops,
		circuit.Op{Kind: circuit.GateOp, Gate: s["rx"], Params: []circuit.Expr{g}, Mods: []circuit.Modifier{{Kind: circuit.NegCtrl, N: 1}}, Qubits: []int{2, 0}},
		circuit.Op{Kind: circuit.GateOp, Gate: s["ry"], Params: []circuit.Expr{a}, Mods: []circuit.Modifier{{Kind: circuit.Inv}}, Qubits: []int{1}},
		circuit.Op{Kind: circuit.GateOp, Gate: s["p"], Params: []circuit.Expr{b}, Mods: []circuit.Modifier{{Kind: circuit.Pow, Exp: 3}}, Qubits: []int{1}},
		circuit.Op{Kind: circuit.GateOp, Gate: s["u3"], Params: []circuit.Expr{a, b, g}, Mods: []circuit.Modifier{{Kind: circuit.Ctrl, N: 1}, {Kind: circuit.Inv}}, Qubits: []int{0, 2}},
		circuit.Op{Kind: circuit.GateOp, Gate: circuit.GPhase, Params: []circuit.Expr{b}, Mods: []circuit.Modifier{{Kind: circuit.Ctrl, N: 1}}, Qubits: []int{1}},
	)
	d, err := decompose(c)
	if err != nil {
		t.Fatal(err)
	}
	syms := 0
	for _, nd := range d.nodes {
		if nd.kind == kRot {
			syms++
		}
	}
	if syms == 0 {
		t.Fatal("no symbolic rotations")
	}
	for trial := 0; trial < 5; trial++ {
		vals := []float64{rng.Float64()*8 - 4, rng.Float64()*8 - 4, rng.Float64()*8 - 4}
		want, err := c.Unitary(vals)
		if err != nil {
			t.Fatal(err)
		}
		var nodes []node
		for _, nd := range d.nodes {
			if nd.kind == kRot {
				v := nd.angle.Eval(vals)
				switch nd.axis {
				case 'x':
					nd.m = circuit.MatRX(v)
				case 'y':
					nd.m = circuit.MatRY(v)
				default:
					nd.m = circuit.MatRZ(v)
				}
				nd.kind = k1
			}
			nodes = append(nodes, nd)
		}
		ph := d.phase
		if d.phaseSym != nil {
			ph += d.phaseSym.Eval(vals)
		}
		got := circuit.Scale(circuit.Expi(ph), nodesUnitary(t, nodes, 3))
		if diff := circuit.MaxDiff(got, want); diff > 1e-12 {
			t.Fatalf("values %v: differs by %g", vals, diff)
		}
	}
	// Two symbolic controls are refused.
	c2 := circuit.New(3, 0)
	th := c2.Symbol("t")
	c2.Ops = append(c2.Ops, circuit.Op{Kind: circuit.GateOp, Gate: s["rz"], Params: []circuit.Expr{th},
		Mods: []circuit.Modifier{{Kind: circuit.Ctrl, N: 2}}, Qubits: []int{0, 1, 2}})
	if _, err := decompose(c2); err == nil || !strings.Contains(err.Error(), "bind") {
		t.Errorf("ctrl(2) @ rz(t): error %v", err)
	}
}

func ExampleError() {
	c := circuit.New(2, 0)
	mystery := &circuit.GateDef{Name: "mystery", QubitNames: []string{"a", "b"}, Lib: circuit.LibUser,
		MatrixFunc: func([]float64) circuit.Matrix { return circuit.Kron(circuit.MatRX(1), circuit.MatRX(1)) }}
	c.G(mystery, 0, 1)
	_, err := Transpile(c, mustTarget("ibm-heron"), nil)
	fmt.Println(err)
	// Output:
	// op 0 (mystery q[0], q[1]): gate mystery on 2 qubits has no known exact decomposition: born decomposes controlled 1-qubit gates, diagonal gates, swap and gates defined by a body, but does not synthesise arbitrary 2-qubit unitaries (no KAK or Shannon decomposition); define the gate with a body of standard gates
}

func mustTarget(name string) *Target {
	t, err := LookupTarget(name)
	if err != nil {
		panic(err)
	}
	return t
}
