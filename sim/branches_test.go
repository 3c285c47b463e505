package sim_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"born/circuit"
	"born/sim"
	"born/statevector"
)

// gateCounter wraps a state vector and counts the gates applied to it and
// the states made, to show that Exact refuses before simulating.
type gateCounter struct {
	*statevector.State
	applied *int
}

func (c gateCounter) Apply(m circuit.Matrix, targets, controls []int, ctrlState uint64) {
	*c.applied++
	c.State.Apply(m, targets, controls, ctrlState)
}

func (c gateCounter) Clone() gateCounter { return gateCounter{c.State.Clone(), c.applied} }

func gateCountingStates(applied, made *int) func(int) (gateCounter, error) {
	return func(n int) (gateCounter, error) {
		*made++
		st, err := statevector.New(n)
		return gateCounter{st, applied}, err
	}
}

// randomDynamic returns a random circuit with mid-circuit measurements,
// resets and conditioned gates, including gates that undo each other (h h)
// and entangle, so that the static count meets every kind of qubit.
func randomDynamic(rng *rand.Rand, n, ops int) *circuit.Circuit {
	c := circuit.New(n, 2)
	for len(c.Ops) < ops {
		q := rng.IntN(n)
		switch r := rng.IntN(14); {
		case r == 0:
			measure(c, q, rng.IntN(2))
		case r == 1:
			c.Reset(q)
		case r == 2:
			c.G(qe["h"], q).G(qe["h"], q)
		case r <= 4:
			c.G(qe["h"], q)
		case r == 5:
			c.G(qe["x"], q)
		case r == 6:
			c.Apply(qe["rx"], []circuit.Expr{circuit.Const(rng.Float64() * 3)}, q)
		case r == 7:
			c.Apply(qe["u3"], []circuit.Expr{circuit.Const(rng.Float64()), circuit.Const(1), circuit.Const(2)}, q)
		case n >= 2 && r <= 9:
			p := rng.Perm(n)
			c.G(qe[[]string{"cx", "cz", "swap"}[rng.IntN(3)]], p[0], p[1])
		case n >= 3 && r == 10:
			p := rng.Perm(n)
			c.G(qe["ccx"], p[0], p[1], p[2])
		case n >= 2 && r == 11:
			p := rng.Perm(n)
			c.Apply(qe["cp"], []circuit.Expr{circuit.Const(1.1)}, p[0], p[1])
		default:
			c.G(qe["x"], q)
			when(c, []int{rng.IntN(2)}, uint64(rng.IntN(2)))
		}
	}
	return c
}

// The static count brackets the true number of branches, found by walking
// the tree: 2^proven <= leaves <= 2^possible, on random dynamic circuits.
func TestCountBranchesBracketsTheTree(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 5))
	exactHits := 0
	for trial := range 300 {
		c := randomDynamic(rng, 1+rng.IntN(4), 4+rng.IntN(20))
		l := lower(t, c)
		proven, possible, err := sim.CountBranches(l, nil)
		if err != nil {
			t.Fatal(err)
		}
		leaves := 0
		if _, _, err := sim.ExactObserve(statevector.New, l, nil, 1<<20, func(*statevector.State) { leaves++ }); err != nil {
			t.Fatal(err)
		}
		if float64(leaves) < math.Exp2(float64(proven)) || float64(leaves) > math.Exp2(float64(possible)) {
			t.Fatalf("trial %d: %d leaves, bounds 2^%d..2^%d\n%v", trial, leaves, proven, possible, c.Ops)
		}
		if proven == possible {
			exactHits++
		}
	}
	t.Logf("%d of 300 circuits counted exactly without simulating", exactHits)
	if exactHits < 100 {
		t.Errorf("only %d of 300 circuits counted exactly", exactHits)
	}
}

// Qubits measured and reset while in a known superposition prove the
// branches: Exact refuses before it makes a state or applies a gate.
func TestExactRefusesProvenBranchesAtOnce(t *testing.T) {
	c := circuit.New(2, 2)
	for range 17 { // 2^17 > 65536
		c.G(qe["h"], 0)
		measure(c, 0, 0)
		c.Reset(0)
		c.G(qe["cx"], 1, 0) // qubit 1 stays |0>: the control never fires
	}
	var applied, made int
	_, _, err := sim.Exact(gateCountingStates(&applied, &made), lower(t, c), nil, 1<<16)
	var be *sim.BranchError
	if !errors.As(err, &be) || be.Lower != 1<<17 || !strings.Contains(err.Error(), "at least 131072 branches") {
		t.Fatalf("%v", err)
	}
	if applied != 0 || made != 0 {
		t.Errorf("%d gates applied, %d states made before refusing", applied, made)
	}
}

// Entangled qubits measured mid-circuit cannot be counted statically: a
// few random paths estimate the tree, and Exact refuses after simulating a
// handful of paths, not the 65536 branches it used to walk first.
func TestExactRefusesEstimatedBranchesFast(t *testing.T) {
	const n = 8
	c := circuit.New(n, n)
	for range 3 {
		for q := range n {
			c.G(qe["h"], q)
		}
		for q := 0; q+1 < n; q++ {
			c.G(qe["cx"], q, q+1)
		}
		for q := range n {
			measure(c, q, q)
		}
	}
	for q := range n {
		c.G(qe["h"], q) // so the last measurements are not terminal
	}
	l := lower(t, c)
	proven, possible, _ := sim.CountBranches(l, nil)
	if proven > 16 || possible != 3*n {
		t.Fatalf("static count %d..%d", proven, possible)
	}
	var applied, made int
	_, _, err := sim.Exact(gateCountingStates(&applied, &made), l, nil, 1<<16)
	var be *sim.BranchError
	if !errors.As(err, &be) || !(be.Estimate > 1<<17) || !strings.Contains(err.Error(), "estimated from 8 random paths") {
		t.Fatalf("%v", err)
	}
	// The walk the old code did first: more than 65536 leaves, each at least
	// one gate. The probes take a few hundred.
	gates := len(l.Instrs)
	if applied > 8*gates {
		t.Errorf("%d gates applied before refusing (8 paths of at most %d)", applied, gates)
	}
	t.Logf("estimate %.3g branches (bounds 2^%d..2^%d) after %d gate applications", be.Estimate, proven, possible, applied)
}

// Mid-circuit measurements of a GHZ state branch only on the first qubit:
// the static bound is 2^8, the probes find 2, and Exact runs (no false
// refusal) with the right distribution.
func TestExactGHZMidCircuitNotRefused(t *testing.T) {
	const n = 8
	c := circuit.New(n, n)
	c.G(qe["h"], 0)
	for q := 0; q+1 < n; q++ {
		c.G(qe["cx"], q, q+1)
	}
	for q := range n {
		measure(c, q, q)
		c.G(qe["h"], q)
	}
	classical, _, err := sim.Exact(statevector.New, lower(t, c), nil, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(classical) != 2 || math.Abs(classical[0]-0.5) > 1e-12 || math.Abs(classical[1<<n-1]-0.5) > 1e-12 {
		t.Errorf("%v", classical)
	}
}
