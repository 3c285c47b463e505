package transpile

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"born/circuit"
)

// bas33Pairs are the CNOT pairs (control, target) of the BAS 3x3 QCBM: the
// Chow-Liu tree of the 3x3 bars-and-stripes data.
var bas33Pairs = [][2]int{{0, 1}, {3, 5}, {3, 6}, {4, 1}, {4, 5}, {4, 7}, {5, 2}, {8, 6}}

// qcbmCircuit builds Liu and Wang's QCBM: depth+1 layers of Rz Rx Rz on
// every qubit (the first without its leading Rz, the last without its
// trailing Rz) with a CNOT layer on pairs between consecutive layers; the
// angles are symbols t0, t1, ...
func qcbmCircuit(n, depth int, pairs [][2]int) *circuit.Circuit {
	c := circuit.New(n, 0)
	q := circuit.QELib1Gates
	k := 0
	rot := func(g *circuit.GateDef, qb int) {
		c.Apply(g, []circuit.Expr{c.Symbol(fmt.Sprintf("t%d", k))}, qb)
		k++
	}
	for layer := 0; layer <= depth; layer++ {
		for qb := 0; qb < n; qb++ {
			if layer > 0 {
				rot(q["rz"], qb)
			}
			rot(q["rx"], qb)
			if layer < depth {
				rot(q["rz"], qb)
			}
		}
		if layer < depth {
			for _, p := range pairs {
				c.G(q["cx"], p[0], p[1])
			}
		}
	}
	return c
}

func randomValues(c *circuit.Circuit, seed uint64) map[string]float64 {
	rng := rand.New(rand.NewPCG(seed, seed))
	vals := map[string]float64{}
	for _, s := range c.Symbols {
		vals[s] = rng.Float64()*6.3 - 3.15
	}
	return vals
}

// The BAS 3x3 depth-10 QCBM on heavy-hex: gate counts before and after
// routing, against the trivial layout. The tree of CNOT pairs has two
// adjacent qubits of degree 3 (4 and 5), which a heavy-hex lattice cannot
// hold (its degree-3 qubits are never adjacent), so some SWAPs are
// unavoidable; SABRE's layout search should need few per CNOT layer, the
// trivial layout many more.
func TestQCBMHeavyHex(t *testing.T) {
	c := qcbmCircuit(9, 10, bas33Pairs)
	if len(c.Symbols) != 279 {
		t.Fatalf("%d parameters, want 279", len(c.Symbols))
	}
	vals := randomValues(c, 1)
	t.Logf("%-10s %-8s %6s %6s %6s %6s %6s", "target", "layout", "2q", "depth", "2qdep", "1q", "swaps")
	for _, name := range []string{"ibm-heron", "ibm-eagle"} {
		tg := mustTarget(name)
		sabreRes, err := Transpile(c, tg, &Options{Values: vals, Route: RouteOptions{Seed: 1}})
		if err != nil {
			t.Fatal(err)
		}
		triv, err := Transpile(c, tg, &Options{Values: vals, Route: RouteOptions{Seed: 1, InitialLayout: seq(9)}})
		if err != nil {
			t.Fatal(err)
		}
		b, a, tr := sabreRes.Before, sabreRes.After, triv.After
		t.Logf("%-10s %-8s %6d %6d %6d %6d %6s", name, "none", b.TwoQubit, b.Depth, b.TwoQubitDepth, b.OneQubit, "-")
		t.Logf("%-10s %-8s %6d %6d %6d %6d %6d", name, "sabre", a.TwoQubit, a.Depth, a.TwoQubitDepth, a.OneQubit, sabreRes.Layout.Swaps)
		t.Logf("%-10s %-8s %6d %6d %6d %6d %6d", name, "trivial", tr.TwoQubit, tr.Depth, tr.TwoQubitDepth, tr.OneQubit, triv.Layout.Swaps)
		if b.TwoQubit != 80 {
			t.Errorf("%s: %d 2-qubit gates before routing, want 80", name, b.TwoQubit)
		}
		// Each SWAP costs three 2-qubit gates, less any that cancel.
		if a.TwoQubit > b.TwoQubit+3*sabreRes.Layout.Swaps || a.TwoQubit < b.TwoQubit {
			t.Errorf("%s: %d 2-qubit gates after %d swaps", name, a.TwoQubit, sabreRes.Layout.Swaps)
		}
		if s := sabreRes.Layout.Swaps; s < 1 || s > 20 {
			t.Errorf("%s: SABRE inserted %d SWAPs; want between 1 and 20 (2 per CNOT layer)", name, s)
		}
		if triv.Layout.Swaps < 2*sabreRes.Layout.Swaps {
			t.Errorf("%s: trivial layout needs %d SWAPs, SABRE %d: the layout search should halve them at least", name, triv.Layout.Swaps, sabreRes.Layout.Swaps)
		}
		if _, err := Verify(sabreRes.Source, sabreRes.Circuit, sabreRes.Layout.Final, nil); err != nil {
			t.Error(err)
		}
		if _, err := Verify(triv.Source, triv.Circuit, triv.Layout.Final, nil); err != nil {
			t.Error(err)
		}
	}
}

// Layout and routing are deterministic for a seed.
func TestRoutingDeterministic(t *testing.T) {
	c := qcbmCircuit(9, 4, bas33Pairs)
	vals := randomValues(c, 2)
	var first string
	for i := 0; i < 3; i++ {
		res, err := Transpile(c, mustTarget("ibm-heron"), &Options{Values: vals, Route: RouteOptions{Seed: 42}})
		if err != nil {
			t.Fatal(err)
		}
		s := fmt.Sprint(res.Layout, res.Circuit.Ops)
		if i == 0 {
			first = s
		} else if s != first {
			t.Fatal("two runs with the same seed differ")
		}
	}
}

func BenchmarkQCBMHeron(b *testing.B) {
	c := qcbmCircuit(9, 10, bas33Pairs)
	vals := randomValues(c, 1)
	tg := mustTarget("ibm-heron")
	for b.Loop() {
		if _, err := Transpile(c, tg, &Options{Values: vals}); err != nil {
			b.Fatal(err)
		}
	}
}
