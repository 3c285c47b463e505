package sim_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"

	"born/circuit"
	"born/sim"
	"born/statevector"
)

// Counts of a Bell pair measured at the end: only 00 and 11 occur.
func ExampleCounts() {
	qe := circuit.QELib1Gates
	c := circuit.New(2, 2).G(qe["h"], 0).G(qe["cx"], 0, 1).Measure([]int{0, 1}, []int{0, 1})
	l, err := c.Lower()
	if err != nil {
		panic(err)
	}
	counts, err := sim.Counts(statevector.New, l, nil, 1000, 42)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(counts), counts[0b00]+counts[0b11])
	// Output:
	// 2 1000
}

// Exact branches on a mid-circuit measurement: qubit 0 is measured, and if
// it read 1 an X gate resets it, so it always ends in |0>.
func ExampleExact() {
	qe := circuit.QELib1Gates
	c := circuit.New(1, 1).G(qe["h"], 0).Measure([]int{0}, []int{0}).G(qe["x"], 0)
	c.Ops[len(c.Ops)-1].Cond = []circuit.Condition{{Clbits: []int{0}, Value: 1}}
	l, _ := c.Lower()
	classical, probs, err := sim.Exact(statevector.New, l, nil, 16)
	if err != nil {
		panic(err)
	}
	for _, k := range slices.Sorted(maps.Keys(classical)) {
		fmt.Printf("c=%d: %.2f\n", k, classical[k])
	}
	fmt.Printf("final state probabilities: %.2f\n", probs)
	// Output:
	// c=0: 0.50
	// c=1: 0.50
	// final state probabilities: [1.00 0.00]
}

// Run executes one shot; the random stream decides the outcome.
func ExampleRun() {
	qe := circuit.QELib1Gates
	c := circuit.New(3, 3).G(qe["h"], 0).G(qe["cx"], 0, 1).G(qe["cx"], 1, 2)
	c.Measure([]int{0, 1, 2}, []int{0, 1, 2})
	l, _ := c.Lower()
	st, _ := statevector.New(3)
	bits, err := sim.Run(st, l, nil, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	fmt.Println(bits[0] == bits[1] && bits[1] == bits[2])
	// Output:
	// true
}

// TerminalMeasurements tells whether one final state gives the counts.
func ExampleTerminalMeasurements() {
	qe := circuit.QELib1Gates
	c := circuit.New(2, 2).G(qe["h"], 0).Measure([]int{1, 0}, []int{0, 1})
	l, _ := c.Lower()
	fmt.Println(sim.TerminalMeasurements(l))
	c.G(qe["h"], 0) // a gate on a measured qubit: shots must be run one by one
	l, _ = c.Lower()
	fmt.Println(sim.TerminalMeasurements(l))
	// Output:
	// [1 0] true
	// [] false
}
