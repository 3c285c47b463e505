// Bell builds a Bell-state circuit with the circuit package, runs it on the
// exact state-vector engine and prints its probabilities and 1000 sampled
// shots.
package main

import (
	"fmt"
	"log"

	"born/circuit"
	"born/sim"
	"born/statevector"
)

func main() {
	c := circuit.New(2, 2)
	h, cx := circuit.QELib1Gates["h"], circuit.QELib1Gates["cx"]
	c.G(h, 0).G(cx, 0, 1)

	l, err := c.Lower()
	if err != nil {
		log.Fatal(err)
	}
	st, err := statevector.New(c.NumQubits)
	if err != nil {
		log.Fatal(err)
	}
	if err := sim.Evolve(st, l, nil); err != nil {
		log.Fatal(err)
	}
	for i, p := range st.Probabilities() {
		fmt.Printf("P(%s) = %.3f\n", circuit.FormatBits(uint64(i), c.NumQubits), p)
	}

	c.Measure([]int{0, 1}, []int{0, 1})
	l, err = c.Lower()
	if err != nil {
		log.Fatal(err)
	}
	counts, err := sim.Counts(statevector.New, l, nil, 1000, 7)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("counts: 00=%d 11=%d (total %d)\n", counts[0], counts[3], counts[0]+counts[3])
}
