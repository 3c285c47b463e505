package flow_test

import (
	"fmt"

	"born/classical/flow"
	"born/dataset"
)

// A MADE on 9 bits with 16 hidden units has 9*16 + 16 + 9 + 36 free
// parameters; its hidden units cycle through the degrees 1..8.
func ExampleNew() {
	m, err := flow.New(9, 16)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.NumParams(), "parameters")
	fmt.Println("degrees", m.Degrees())
	// Output:
	// 205 parameters
	// degrees [1 2 3 4 5 6 7 8 1 2 3 4 5 6 7 8]
}

// Conditionals gives p(x_d = 1 | x_<d); before training, the output biases
// are the log-odds of each bit in the data, so bit 0's conditional is its
// mean in bars and stripes 2x2.
func ExampleMADE_Conditionals() {
	data, _ := dataset.ParseDataset("bas:2x2")
	m, _ := flow.New(4, 4)
	_ = m.Init(1, data)
	c, _ := m.Conditionals(0)
	fmt.Printf("p(x_0 = 1) = %.3f\n", c[0])
	// Output:
	// p(x_0 = 1) = 0.500
}
