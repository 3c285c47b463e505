// Runqasm reads an OpenQASM 2.0 file named on the command line (default:
// testdata/ghz.qasm) and prints the exact probability of every basis state
// with a non-zero probability.
package main

import (
	"fmt"
	"log"
	"os"

	"born/circuit"
	"born/qasm"
	"born/sim"
	"born/statevector"
)

func main() {
	path := "testdata/ghz.qasm"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	c, warnings, err := qasm.ParseFile(path, nil)
	for _, w := range warnings {
		log.Print(w)
	}
	if err != nil {
		log.Fatal(err)
	}
	l, err := c.Lower()
	if err != nil {
		log.Fatal(err)
	}
	_, probs, err := sim.Exact(statevector.New, l, nil, 1<<10)
	if err != nil {
		log.Fatal(err)
	}
	for i, p := range probs {
		if p > 1e-12 {
			fmt.Printf("%s %.6f\n", circuit.FormatBits(uint64(i), c.NumQubits), p)
		}
	}
}
