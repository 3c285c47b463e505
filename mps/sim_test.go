package mps_test

import (
	"math"
	"testing"

	"born/circuit"
	"born/mps"
	"born/sim"
)

// *mps.State is an engine for the runner in package sim.
var _ sim.State[*mps.State] = (*mps.State)(nil)

// sim.Counts with mid-circuit measurement and reset on the MPS engine: a
// teleportation-like circuit whose result is known analytically.
func TestSimCounts(t *testing.T) {
	c := circuit.New(3, 3)
	g := circuit.QELib1Gates
	// qubit 0 in RY(theta)|0>, measured after a swap through 1 and 2 (long-range cx)
	theta := 1.1
	c.GP(g["ry"], []float64{theta}, 0)
	c.G(g["cx"], 0, 2)
	c.G(g["cx"], 2, 0)
	c.G(g["cx"], 0, 2) // swap 0 <-> 2 by distant CNOTs
	c.Measure([]int{2}, []int{0})
	c.Reset(2)
	c.G(g["x"], 1)
	c.Measure([]int{1, 2}, []int{1, 2})
	l, err := c.Lower()
	if err != nil {
		t.Fatal(err)
	}
	newState := func(n int) (*mps.State, error) { return mps.New(n, mps.Options{MaxBond: 8}) }
	const shots = 20000
	counts, err := sim.Counts(newState, l, nil, shots, 42)
	if err != nil {
		t.Fatal(err)
	}
	p1 := math.Pow(math.Sin(theta/2), 2)
	// bit 1 is always 1, bit 2 always 0 (reset), bit 0 is 1 with probability p1
	if counts[0b010]+counts[0b011] != shots {
		t.Fatalf("counts %v", counts)
	}
	if sd := math.Sqrt(shots * p1 * (1 - p1)); math.Abs(float64(counts[0b011])-shots*p1) > 5*sd {
		t.Fatalf("P(bit0=1) ~ %v, want %v", float64(counts[0b011])/shots, p1)
	}
}
