package mpsbm_test

import (
	"context"
	"fmt"

	"born/bornmachine/mpsbm"
	"born/dataset"
)

// Training an MPS Born machine on bars and stripes 3x3: the bonds grow to
// the data's Schmidt ranks and the NLL reaches the data's entropy, ln 14.
func ExampleTrain() {
	data, _ := dataset.ParseDataset("bas:3x3")
	r, err := mpsbm.Train(context.Background(), "mps:16", data, nil, mpsbm.DefaultSettings())
	if err != nil {
		fmt.Println(err)
		return
	}
	h := r.History
	fmt.Println(r.Spec, r.Model.NumParams(), "parameters, bonds", r.Model.BondDims())
	fmt.Printf("KL %.2f at sweep 0, %.1e at sweep 2, %.4f at sweep %d; NLL %.4f\n", h[0].KL, h[2].KL, max(h[len(h)-1].KL, 0), h[len(h)-1].Step, r.Metrics.NLL)
	// Output:
	// mps:16 504 parameters, bonds [2 4 7 8 8 7 4 2]
	// KL 4.75 at sweep 0, 9.5e-08 at sweep 2, 0.0000 at sweep 40; NLL 2.6391
}

// Exact sampling from a trained model: every sample is a valid pattern.
func ExampleModel_Sample() {
	data, _ := dataset.ParseDataset("bas:2x2")
	r, _ := mpsbm.Train(context.Background(), "mps:4", data, nil, mpsbm.DefaultSettings())
	xs, _ := r.Model.Sample(1000, 7)
	valid := 0
	for _, x := range xs {
		for _, y := range data.States {
			if x == y {
				valid++
			}
		}
	}
	fmt.Println(valid, "of", len(xs), "samples are bars or stripes")
	// Output: 1000 of 1000 samples are bars or stripes
}

// Compiling MPS Born machines into circuits: exact at bond dimension 2,
// approximate with its fidelity above it. The approximate fidelity prints
// to one digit: its later digits follow the rounding of the SVDs in
// training, which differs between the assembly and portable kernels.
func ExampleModel_Compile() {
	data, _ := dataset.ParseDataset("bas:3x3")
	for _, spec := range []string{"mps:2", "mps:8"} {
		r, _ := mpsbm.Train(context.Background(), spec, data, nil, mpsbm.DefaultSettings())
		c, err := r.Model.Compile(mpsbm.CompileOptions{Layers: 2})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: exact %v, %d layer(s), %d two-qubit unitaries, fidelity %.1f\n", spec, c.Exact, c.Layers, c.Unitaries, c.Fidelity)
	}
	// Output:
	// mps:2: exact true, 1 layer(s), 8 two-qubit unitaries, fidelity 1.0
	// mps:8: exact false, 2 layer(s), 16 two-qubit unitaries, fidelity 0.6
}
