package sim_test

import (
	"maps"
	"math"
	"math/rand/v2"
	"testing"

	"born/circuit"
	"born/sim"
	"born/statevector"
)

// gateByGate is a state vector without RunLowered: the runner applies its
// gates one at a time, as it does on engines that cannot fuse.
type gateByGate struct{ s *statevector.State }

func newGateByGate(n int) (gateByGate, error) {
	s, err := statevector.New(n)
	return gateByGate{s}, err
}

func (g gateByGate) NumQubits() int { return g.s.NumQubits() }
func (g gateByGate) Apply(m circuit.Matrix, targets, controls []int, cs uint64) {
	g.s.Apply(m, targets, controls, cs)
}
func (g gateByGate) Measure(q int, u float64) int              { return g.s.Measure(q, u) }
func (g gateByGate) Project(q, outcome int) float64            { return g.s.Project(q, outcome) }
func (g gateByGate) Clone() gateByGate                         { return gateByGate{g.s.Clone()} }
func (g gateByGate) Probabilities() []float64                  { return g.s.Probabilities() }
func (g gateByGate) Sample(shots int, rng *rand.Rand) []uint64 { return g.s.Sample(shots, rng) }

// counting is a state vector that counts its RunLowered calls.
type counting struct {
	*statevector.State
	calls *int
}

func (c counting) Clone() counting { return counting{c.State.Clone(), c.calls} }
func (c counting) RunLowered(l *circuit.Lowered, vals []float64) error {
	*c.calls++
	return c.State.RunLowered(l, vals)
}

// fusedCircuit is a random 7-qubit circuit with parameters, a global
// phase, a controlled gate, a reset of a fresh qubit (skipped), then a
// mid-circuit measurement, a conditioned gate and terminal measurements.
func fusedCircuit(mid bool) *circuit.Circuit {
	rng := rand.New(rand.NewPCG(5, 6))
	c := circuit.New(7, 7)
	x := c.Symbol("x")
	c.Reset(6)
	for layer := range 4 {
		for q := range 7 {
			c.GP(qe["u3"], []float64{rng.Float64() * 3, rng.Float64() * 6, rng.Float64() * 6}, q)
		}
		for q := layer % 2; q+1 < 7; q += 2 {
			c.G(qe["cx"], q, q+1)
		}
	}
	c.Apply(std["crx"], []circuit.Expr{circuit.Mul(circuit.Const(2), x)}, 2, 5)
	c.Apply(circuit.GPhase, []circuit.Expr{x})
	if mid {
		c.Measure([]int{3}, []int{3})
		c.G(qe["h"], 3)
		when(c.G(qe["x"], 0), []int{3}, 1)
	}
	c.Measure([]int{0, 1, 2, 4, 5, 6}, []int{0, 1, 2, 4, 5, 6})
	return c
}

// TestFusedRunnerMatchesGateByGate: on the state vector, the runner applies
// the deterministic unitary stretches as one fused program (RunLowered);
// Exact, Counts, Shots, Run and Evolve give what the gate-by-gate path
// gives, to rounding for probabilities and exactly for seeded counts.
func TestFusedRunnerMatchesGateByGate(t *testing.T) {
	vals := []float64{0.7}
	for _, mid := range []bool{false, true} {
		l := lower(t, fusedCircuit(mid))
		calls := 0
		newCounting := func(n int) (counting, error) {
			s, err := statevector.New(n)
			return counting{s, &calls}, err
		}
		cf, pf, err := sim.Exact(newCounting, l, vals, 64)
		if err != nil {
			t.Fatal(err)
		}
		if calls != 1 {
			t.Errorf("mid=%v: Exact made %d RunLowered calls, want 1", mid, calls)
		}
		cg, pg, err := sim.Exact(newGateByGate, l, vals, 64)
		if err != nil {
			t.Fatal(err)
		}
		for i := range pf {
			if math.Abs(pf[i]-pg[i]) > 1e-13 {
				t.Fatalf("mid=%v: P(%d) fused %v, gate by gate %v", mid, i, pf[i], pg[i])
			}
		}
		if len(cf) != len(cg) {
			t.Fatalf("mid=%v: %d classical outcomes fused, %d gate by gate", mid, len(cf), len(cg))
		}
		for k, v := range cg {
			if math.Abs(cf[k]-v) > 1e-13 {
				t.Fatalf("mid=%v: P(c=%b) fused %v, gate by gate %v", mid, k, cf[k], v)
			}
		}
		calls = 0
		kf, err := sim.Counts(newCounting, l, vals, 3000, 9)
		if err != nil {
			t.Fatal(err)
		}
		if calls != 1 {
			t.Errorf("mid=%v: Counts made %d RunLowered calls, want 1", mid, calls)
		}
		kg, err := sim.Counts(newGateByGate, l, vals, 3000, 9)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(kf, kg) {
			t.Errorf("mid=%v: counts differ:\nfused %v\ngate by gate %v", mid, kf, kg)
		}
		sf, err := sim.Shots(statevector.New, l, vals, 500, 4, nil)
		if err != nil {
			t.Fatal(err)
		}
		sg, err := sim.Shots(newGateByGate, l, vals, 500, 4, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(sf, sg) {
			t.Errorf("mid=%v: shots differ", mid)
		}
		for seed := range uint64(5) {
			a, _ := statevector.New(7)
			b, _ := newGateByGate(7)
			ra, err := sim.Run(a, l, vals, rand.New(rand.NewPCG(seed, 1)))
			if err != nil {
				t.Fatal(err)
			}
			rb, err := sim.Run(b, l, vals, rand.New(rand.NewPCG(seed, 1)))
			if err != nil {
				t.Fatal(err)
			}
			for i := range ra {
				if ra[i] != rb[i] {
					t.Fatalf("mid=%v seed %d: Run bits differ: %v vs %v", mid, seed, ra, rb)
				}
			}
		}
	}
	// Evolve of a pure circuit: one fused run.
	c := randomPure(8, 0, 4)
	l := lower(t, c)
	a, _ := statevector.New(8)
	b, _ := newGateByGate(8)
	if err := sim.Evolve(a, l, nil); err != nil {
		t.Fatal(err)
	}
	if err := sim.Evolve(b, l, nil); err != nil {
		t.Fatal(err)
	}
	av, bv := a.Amplitudes(), b.s.Amplitudes()
	for i := range av {
		if d := av[i] - bv[i]; math.Hypot(real(d), imag(d)) > 1e-13 {
			t.Fatalf("Evolve: amplitude %d fused %v, gate by gate %v", i, av[i], bv[i])
		}
	}
}
