package transpile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"born/circuit"
)

// randomCircuit returns a seeded random circuit on n qubits using every
// gate of qelib1.inc, some stdgates gates under modifiers, barriers and,
// with dynamic set, mid-circuit measurement, reset and conditions.
func randomCircuit(rng *rand.Rand, n, gates int, dynamic bool) *circuit.Circuit {
	c := circuit.New(n, 0)
	if dynamic {
		c.AddCReg("m", 2)
	}
	q := circuit.QELib1Gates
	names := circuit.QELib1Order
	for len(c.Ops) < gates {
		r := rng.IntN(20)
		switch {
		case r == 0:
			c.Barrier(rng.Perm(n)[:1+rng.IntN(n)]...)
			continue
		case dynamic && r == 1:
			c.Measure([]int{rng.IntN(n)}, []int{rng.IntN(2)})
			continue
		case dynamic && r == 2:
			c.Reset(rng.IntN(n))
			continue
		case r <= 4: // a stdgates gate under modifiers
			s := circuit.StdGates
			g := s[[]string{"rx", "ry", "rz", "u3", "p", "h", "sx", "x", "cx", "swap"}[rng.IntN(10)]]
			var mods []circuit.Modifier
			nc := rng.IntN(3)
			if g.NumQubits()+nc > n {
				nc = n - g.NumQubits()
			}
			for i := 0; i < nc; i++ {
				k := circuit.Ctrl
				if rng.IntN(3) == 0 {
					k = circuit.NegCtrl
				}
				mods = append(mods, circuit.Modifier{Kind: k, N: 1})
			}
			switch rng.IntN(3) {
			case 0:
				mods = append(mods, circuit.Modifier{Kind: circuit.Inv})
			case 1:
				mods = append(mods, circuit.Modifier{Kind: circuit.Pow, Exp: float64(rng.IntN(3) + 1)})
			}
			c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: g, Params: randParams(rng, len(g.Params)),
				Mods: mods, Qubits: rng.Perm(n)[:g.NumQubits()+nc]})
		default:
			g := q[names[rng.IntN(len(names))]]
			if g.NumQubits() > n {
				continue
			}
			c.Apply(g, randParams(rng, len(g.Params)), rng.Perm(n)[:g.NumQubits()]...)
		}
		if dynamic && rng.IntN(8) == 0 {
			c.Ops[len(c.Ops)-1].Cond = []circuit.Condition{{Clbits: []int{0, 1}, Value: uint64(rng.IntN(4))}}
		}
	}
	return c
}

func randParams(rng *rand.Rand, k int) []circuit.Expr {
	ps := make([]circuit.Expr, k)
	for i := range ps {
		ps[i] = circuit.Const(rng.Float64()*4*math.Pi - 2*math.Pi)
	}
	return ps
}

// Round trips at the circuit level: for every target, with and without a
// coupling map, the transpiled circuit's distribution equals the source's
// to 1e-10 up to the final layout. The text formats are checked on top of
// this in export_test.go.
func TestRoundTripCircuits(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	directedLine := mustParse(t, "directed-line", `[[0,1],[2,1],[2,3],[4,3],[4,5],[5,6]]`)
	maps := []*CouplingMap{nil, Line(7), mustHeavyHex(t, 2, 8), directedLine}
	trials := 6
	if testing.Short() {
		trials = 3
	}
	for _, tg := range Targets() {
		for mi, cm := range maps {
			for trial := 0; trial < trials; trial++ {
				n := 2 + rng.IntN(4)
				src := randomCircuit(rng, n, 10+rng.IntN(20), tg.Dynamic && trial%2 == 1)
				opts := &Options{Coupling: cm, AllToAll: cm == nil, Route: RouteOptions{Seed: uint64(trial), LayoutTrials: 4}}
				if tg.AsWritten && cm != nil {
					continue
				}
				res, err := Transpile(src, tg, opts)
				if err != nil {
					t.Fatalf("%s map %d trial %d: %v", tg.Name, mi, trial, err)
				}
				if !tg.AsWritten {
					checkBasis(t, tg, res, cm)
				}
				chk, err := Verify(res.Source, res.Circuit, res.Layout.Final, nil)
				if err != nil {
					t.Fatalf("%s map %d trial %d: %v", tg.Name, mi, trial, err)
				}
				if chk.MaxDiff > 1e-10 {
					t.Fatalf("%s: %+v", tg.Name, chk)
				}
			}
		}
	}
}

func mustParse(t *testing.T, name, js string) *CouplingMap {
	t.Helper()
	m, err := ParseCouplingMap(name, []byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// checkBasis checks that a result uses only the target's gates, on
// coupled qubits in allowed directions.
func checkBasis(t *testing.T, tg *Target, res *Result, cm *CouplingMap) {
	t.Helper()
	for _, op := range res.Circuit.Ops {
		if op.Kind != circuit.GateOp {
			continue
		}
		if tg.Gates[op.Gate.Name] != op.Gate {
			t.Fatalf("%s: gate %s is not in the basis %v", tg.Name, op.Gate.Name, tg.Basis())
		}
		if len(op.Qubits) == 2 && cm != nil {
			a, b := op.Qubits[0], op.Qubits[1]
			ok := cm.Adjacent(a, b)
			if op.Gate.Name == "ecr" || op.Gate.Name == "cnot" || op.Gate.Name == "cx" {
				ok = cm.Allowed(a, b)
			}
			if !ok {
				t.Fatalf("%s: %s on %d, %d is not allowed by %s", tg.Name, op.Gate.Name, a, b, cm.Name)
			}
		}
		if tg.Name == "quil" && op.Gate.Name == "RX" {
			v := op.Params[0].Eval(nil)
			if v != math.Pi && math.Abs(v) != math.Pi/2 {
				t.Fatalf("quil: RX(%v)", v)
			}
		}
	}
}

// The global phase is tracked exactly: for a pure circuit without routing,
// U_source = e^{i phase} U_export; with routing on a map of as many qubits,
// U_export P_initial = e^{-i phase} P_final U_source.
func TestGlobalPhase(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	for _, tg := range Targets() {
		if tg.AsWritten || tg.OneQubit == FormGPI {
			continue // GPI targets drop final z rotations: exact up to a diagonal
		}
		for trial := 0; trial < 4; trial++ {
			n := 3 + rng.IntN(2)
			src := randomCircuit(rng, n, 25, false)
			var cm *CouplingMap
			if trial%2 == 1 {
				cm = Line(n)
			}
			res, err := Transpile(src, tg, &Options{Coupling: cm, AllToAll: cm == nil, Route: RouteOptions{Seed: 3}})
			if err != nil {
				t.Fatal(err)
			}
			us, err := withoutMeasure(res.Source).Unitary(nil)
			if err != nil {
				t.Fatal(err)
			}
			ue, err := withoutMeasure(res.Circuit).Unitary(nil)
			if err != nil {
				t.Fatal(err)
			}
			d := 1 << n
			perm := func(l []int, x int) int {
				y := 0
				for i, p := range l {
					if x>>uint(i)&1 == 1 {
						y |= 1 << uint(p)
					}
				}
				return y
			}
			ph := circuit.Expi(-res.GlobalPhase)
			var worst float64
			for x := 0; x < d; x++ {
				for y := 0; y < d; y++ {
					got := ue[perm(res.Layout.Final, y)*d+perm(res.Layout.Initial, x)]
					want := ph * us[y*d+x]
					worst = max(worst, cabs(got-want))
				}
			}
			if worst > 1e-11 {
				t.Errorf("%s trial %d: unitary differs by %g (phase %v)", tg.Name, trial, worst, res.GlobalPhase)
			}
		}
	}
}

func withoutMeasure(c *circuit.Circuit) *circuit.Circuit {
	out := *c
	out.Ops = nil
	for _, op := range c.Ops {
		if op.Kind != circuit.Measure {
			out.Ops = append(out.Ops, op)
		}
	}
	return &out
}

// Bad input: every error says what is wrong and how to fix it.
func TestTranspileBadInput(t *testing.T) {
	sym := circuit.New(2, 0)
	th := sym.Symbol("theta")
	sym.Apply(circuit.QELib1Gates["rx"], []circuit.Expr{th}, 0).G(circuit.QELib1Gates["cx"], 0, 1)
	dyn := circuit.New(2, 2)
	dyn.G(circuit.QELib1Gates["h"], 0).Measure([]int{0}, []int{0}).G(circuit.QELib1Gates["x"], 0)
	reset := circuit.New(1, 0)
	reset.Reset(0)
	big := circuit.New(200, 0)
	big.G(circuit.QELib1Gates["cx"], 0, 199)
	cases := []struct {
		name   string
		c      *circuit.Circuit
		target string
		opts   Options
		want   string
	}{
		{"unbound for hardware", sym, "ibm-heron", Options{}, `parameter "theta" unbound: target ibm-heron needs numbers`},
		{"unbound, symbolic possible", sym, "braket", Options{}, "give values, or keep them as inputs with symbolic"},
		{"symbolic not accepted", sym, "quil", Options{Symbolic: true, Values: map[string]float64{"theta": 1}}, "cannot keep parameters symbolic"},
		{"unknown parameter", sym, "quil", Options{Values: map[string]float64{"theta": 1, "phi": 2}}, `no parameter "phi" in the circuit (its parameters are theta)`},
		{"non-finite value", sym, "quil", Options{Values: map[string]float64{"theta": math.Inf(1)}}, "must be finite"},
		{"mid-circuit measure", dyn, "ionq", Options{}, "used after it is measured"},
		{"reset", reset, "braket", Options{}, "cannot reset"},
		{"map too small", big, "ibm-eagle", Options{}, "has 127 qubits but the circuit needs 200"},
		{"bad layout", sym, "quil", Options{Values: map[string]float64{"theta": 1}, Coupling: Line(3), Route: RouteOptions{InitialLayout: []int{2, 2}}}, "physical qubit 2 used twice"},
		{"disconnected map", sym, "quil", Options{Values: map[string]float64{"theta": 1}, Coupling: mustParse(t, "two-islands", `[[0,1],[2,3]]`)}, "disconnected"},
	}
	for _, c := range cases {
		_, err := Transpile(c.c, mustTarget(c.target), &c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	if _, err := LookupTarget("ibm-osprey"); err == nil || !strings.Contains(err.Error(), "ibm-heron") {
		t.Errorf("unknown target: %v", err)
	}
}

// Parameters kept symbolic for braket: the export has input parameters and
// verifies at any values.
func TestSymbolicBraket(t *testing.T) {
	c := circuit.New(3, 0)
	a, b := c.Symbol("a"), c.Symbol("b")
	q := circuit.QELib1Gates
	c.Apply(q["rx"], []circuit.Expr{a}, 0).Apply(q["rz"], []circuit.Expr{circuit.Mul(circuit.Const(2), b)}, 1).
		G(q["cx"], 0, 1).Apply(q["cry"], []circuit.Expr{b}, 1, 2).G(q["h"], 2).G(q["cx"], 2, 0)
	res, err := Transpile(c, mustTarget("braket"), &Options{Symbolic: true, Values: map[string]float64{"a": 0.25}})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.Circuit.Symbols) != "[b]" {
		t.Fatalf("symbols %v, want [b]", res.Circuit.Symbols)
	}
	for seed := uint64(1); seed <= 3; seed++ {
		vals := SymbolicValues(res.Circuit.Symbols, seed)
		if _, err := Verify(res.Source, res.Circuit, res.Layout.Final, vals); err != nil {
			t.Fatal(err)
		}
	}
}

func ExampleTranspile() {
	c := circuit.New(3, 0)
	q := circuit.QELib1Gates
	c.G(q["h"], 0).G(q["cx"], 0, 1).G(q["cx"], 1, 2)
	res, err := Transpile(c, mustTarget("ibm-heron"), &Options{Coupling: Line(3)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, op := range res.Circuit.Ops {
		if op.Kind == circuit.GateOp {
			fmt.Println(op.Gate.Name, circuit.ExprList(op.Params), op.Qubits)
		} else {
			fmt.Println(op.Kind, op.Qubits, op.Clbits)
		}
	}
	fmt.Println("layout", res.Layout.Initial, "->", res.Layout.Final, "swaps", res.Layout.Swaps)
	// Output:
	// rz 1.5707963267948966 [0]
	// sx  [0]
	// rz 1.5707963267948966 [0]
	// rz 1.5707963267948966 [1]
	// sx  [1]
	// rz 1.5707963267948966 [1]
	// cz  [0 1]
	// rz 1.5707963267948966 [1]
	// sx  [1]
	// rz 1.5707963267948966 [1]
	// rz 1.5707963267948966 [2]
	// sx  [2]
	// rz 1.5707963267948966 [2]
	// cz  [1 2]
	// measure [0] [0]
	// measure [1] [1]
	// rz 1.5707963267948966 [2]
	// sx  [2]
	// rz 1.5707963267948966 [2]
	// measure [2] [2]
	// layout [0 1 2] -> [0 1 2] swaps 0
}
