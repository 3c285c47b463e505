package mps_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"

	"born/circuit"
	"born/mps"
)

// A 1000-qubit GHZ state: bond dimension 2, and every sample is all zeros or
// all ones.
func Example() {
	const n = 1000
	c := circuit.New(n, 0)
	c.G(circuit.QELib1Gates["h"], 0)
	for q := 0; q+1 < n; q++ {
		c.G(circuit.QELib1Gates["cx"], q, q+1)
	}
	l, err := c.Lower()
	if err != nil {
		panic(err)
	}
	s, err := mps.New(n, mps.Options{MaxBond: 64})
	if err != nil {
		panic(err)
	}
	for _, in := range l.Instrs {
		s.Apply(in.Matrix(nil), in.Targets, in.Controls, in.CtrlState)
	}
	fmt.Println("max bond:", s.MaxBond())
	uniform := 0
	for _, x := range s.SampleBits(100, rand.New(rand.NewPCG(1, 2))) {
		f := x.Format(n)
		if f == strings.Repeat("0", n) || f == strings.Repeat("1", n) {
			uniform++
		}
	}
	fmt.Println("all-equal samples:", uniform, "of 100")
	// Output:
	// max bond: 2
	// all-equal samples: 100 of 100
}

// Truncation accounting under a bond cap, as the CLI prints it.
func ExampleState_Stats() {
	s, _ := mps.New(12, mps.Options{MaxBond: 2})
	r := rand.New(rand.NewPCG(7, 7))
	for layer := 0; layer < 3; layer++ {
		for q := 0; q+1 < 12; q++ {
			s.Apply(circuit.MatU(r.Float64()*3, r.Float64()*3, r.Float64()*3), []int{q}, nil, 0)
			s.Apply(circuit.QELib1Gates["cx"].Matrix(nil), []int{q, q + 1}, nil, 0)
		}
	}
	st := s.Stats()
	b, _ := json.Marshal(struct {
		MaxBond int  `json:"max_bond"`
		Lossy   bool `json:"lossy"`
	}{st.MaxBond, st.DiscardedWeight > 0 && st.FidelityEstimate < 1})
	fmt.Println(string(b))
	// Output: {"max_bond":2,"lossy":true}
}

// The complex SVD of a 2×3 matrix.
func ExampleSVD() {
	a := []complex128{
		3, 0, 0,
		0, 0, 2i,
	}
	_, s, _ := mps.SVD(2, 3, a)
	fmt.Printf("%.3f\n", s)
	// Output: [3.000 2.000]
}
