package compare_test

import (
	"context"
	"fmt"

	"born/classical"
	"born/compare"
	"born/dataset"
)

// Training the MADE baseline with the anchor settings on bars and stripes
// 3x3 and reading its history.
func ExampleTrainClassical() {
	data, _ := dataset.ParseDataset("bas:3x3")
	r, err := compare.TrainClassical(context.Background(), "flow:16", data, nil, classical.DefaultSettings("flow"))
	if err != nil {
		fmt.Println(err)
		return
	}
	h := r.History
	fmt.Println(r.Spec, r.Model.NumParams(), "parameters,", len(h)-1, "steps, gradient", r.Method)
	fmt.Printf("KL %.2f at step 0, %.3f at step %d\n", h[0].KL, h[len(h)-1].KL, h[len(h)-1].Step)
	// Output:
	// flow:16 205 parameters, 500 steps, gradient exact
	// KL 3.66 at step 0, 0.017 at step 500
}
