package bornmachine_test

import (
	"context"
	"fmt"
	"math"

	"born/bornmachine"
	"born/circuit"
	"born/dataset"
	"born/model"
)

func ExampleParseDataset() {
	d, err := dataset.ParseDataset("bas:2x2")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d bits, %d patterns, entropy ln %.0f\n", d.Bits, len(d.States), math.Exp(d.Entropy()))
	for i, x := range d.States {
		fmt.Println(d.Format(x), d.Probs[i])
	}
	// Output:
	// 4 bits, 6 patterns, entropy ln 6
	// 0000 0.16666666666666666
	// 0011 0.16666666666666666
	// 0101 0.16666666666666666
	// 1010 0.16666666666666666
	// 1100 0.16666666666666666
	// 1111 0.16666666666666666
}

func ExampleKernel_Apply() {
	// K(x, y) = exp(-Hamming(x, y)/2) on 2 bits, applied to the point mass
	// on 00: the kernel's first column, without building the matrix.
	k, _ := dataset.NewKernel(2, dataset.Hamming, []float64{1})
	col := k.Apply(nil, []float64{1, 0, 0, 0})
	fmt.Printf("%.4f\n", col)
	// Output:
	// [1.0000 0.6065 0.6065 0.3679]
}

func ExampleParseAnsatz() {
	// The paper's BAS 3x3 circuit: depth 10 with Chow-Liu entanglers.
	d, _ := dataset.ParseDataset("bas:3x3")
	a, err := bornmachine.ParseAnsatz("qcbm:10", d.Bits, d)
	if err != nil {
		panic(err)
	}
	fmt.Println(a.NumParams(), "parameters")
	fmt.Println(a)
	// Output:
	// 279 parameters
	// qcbm:10:0-1,0-2,0-3,0-6,1-4,1-7,2-5,2-8
}

func ExampleNewQCBM() {
	// A Born machine on any circuit whose symbols are its parameters: here
	// rx(t) then a CNOT, so p(00) = cos^2(t/2) and p(11) = sin^2(t/2).
	c := circuit.New(2, 0)
	t := c.Symbol("t")
	c.Apply(circuit.StdGates["rx"], []circuit.Expr{t}, 0)
	c.G(circuit.StdGates["cx"], 0, 1)
	m, err := bornmachine.NewQCBM(c, nil)
	if err != nil {
		panic(err)
	}
	m.SetParams([]float64{math.Pi / 3})
	p, _ := m.Probabilities()
	fmt.Printf("p(00)=%.2f p(01)=%.2f p(10)=%.2f p(11)=%.2f\n", p[0], p[1], p[2], p[3])
	// Output:
	// p(00)=0.75 p(01)=0.00 p(10)=0.00 p(11)=0.25
}

func ExampleTrainer() {
	data, _ := dataset.ParseDataset("bas:2x2")
	a, _ := bornmachine.ParseAnsatz("qcbm:4", data.Bits, data)
	m, _ := bornmachine.NewAnsatzQCBM(a, nil)
	m.RandomizeParams(1)
	tr := &bornmachine.Trainer{Model: m, Data: data, Config: bornmachine.TrainConfig{
		ObjectiveConfig: model.ObjectiveConfig{Loss: "mmd", Sigmas: []float64{0.5, 1, 2, 4}, Grad: "adjoint"},
		Optimizer:       "adam", LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Steps: 300, CheckpointEvery: 100,
	}}
	if err := tr.Run(context.Background()); err != nil {
		panic(err)
	}
	first, last := tr.History[0], tr.History[len(tr.History)-1]
	fmt.Printf("%d steps; KL fell from above 0.5: %v; to below 0.05: %v\n", last.Step, first.KL > 0.5, last.KL < 0.05)
	// Output:
	// 300 steps; KL fell from above 0.5: true; to below 0.05: true
}
