package statevector_test

import (
	"fmt"
	"math/rand/v2"

	"born/circuit"
	"born/statevector"
)

// A Bell pair: H on qubit 0, then CX with control 0 and target 1.
func ExampleState_bell() {
	st, err := statevector.New(2)
	if err != nil {
		panic(err)
	}
	st.Apply(circuit.QELib1Gates["h"].Matrix(nil), []int{0}, nil, 0)
	st.Apply(circuit.QELib1Gates["x"].Matrix(nil), []int{1}, []int{0}, 1) // X on 1 where qubit 0 is 1
	for i, p := range st.Probabilities() {
		fmt.Printf("%s %.2f\n", circuit.FormatBits(uint64(i), 2), p)
	}
	// Output:
	// 00 0.50
	// 01 0.00
	// 10 0.00
	// 11 0.50
}

// Measuring one qubit of a Bell pair collapses the other.
func ExampleState_Measure() {
	st, _ := statevector.New(2)
	st.Apply(circuit.QELib1Gates["h"].Matrix(nil), []int{0}, nil, 0)
	st.Apply(circuit.QELib1Gates["x"].Matrix(nil), []int{1}, []int{0}, 1)
	out := st.Measure(0, 0.8) // u = 0.8 >= P(0) = 0.5: outcome 1
	fmt.Println("outcome", out)
	fmt.Printf("%.2f\n", st.Probabilities())
	// Output:
	// outcome 1
	// [0.00 0.00 0.00 1.00]
}

// Marginal gives the distribution of some qubits; entry x has bit i equal
// to the value of qubits[i]. Here qubit 0 is always 1 and qubit 2 is 1 with
// probability 1/4, so entry 0b10 has 3/4 and entry 0b11 has 1/4.
func ExampleState_Marginal() {
	st, _ := statevector.New(3)
	st.Apply(circuit.MatRY(2.0*0.5235987755982988), []int{2}, nil, 0) // P(q2 = 1) = sin^2(pi/6) = 1/4
	st.Apply(circuit.QELib1Gates["x"].Matrix(nil), []int{0}, nil, 0)
	fmt.Printf("%.2f\n", st.Marginal([]int{2, 0}))
	// Output:
	// [0.00 0.00 0.75 0.25]
}

// Sample draws many shots in one pass over the state.
func ExampleState_Sample() {
	st, _ := statevector.New(3)
	st.Apply(circuit.QELib1Gates["h"].Matrix(nil), []int{0}, nil, 0)
	st.Apply(circuit.QELib1Gates["x"].Matrix(nil), []int{1}, []int{0}, 1)
	st.Apply(circuit.QELib1Gates["x"].Matrix(nil), []int{2}, []int{1}, 1)
	counts := map[string]int{}
	for _, x := range st.Sample(1000, rand.New(rand.NewPCG(1, 2))) {
		counts[circuit.FormatBits(x, 3)]++
	}
	fmt.Println(len(counts), counts["000"]+counts["111"])
	// Output:
	// 2 1000
}

// New refuses states that do not fit in memory before allocating them.
func ExampleCheckMemory() {
	err := statevector.CheckMemory(36, 64<<30)
	fmt.Println(err)
	// Output:
	// a 36-qubit state vector needs 1 TiB (16*2^36 bytes); this machine allows 64 GiB
}
