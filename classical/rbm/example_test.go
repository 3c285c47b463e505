package rbm_test

import (
	"context"
	"fmt"
	"math"

	"born/bornmachine"
	"born/classical/rbm"
	"born/dataset"
	"born/model"
)

// An RBM on 9 bits with 16 hidden units has 9*16 + 9 + 16 parameters, and
// its exact probabilities sum to 1.
func ExampleRBM_Probabilities() {
	m, err := rbm.New(9, 16)
	if err != nil {
		fmt.Println(err)
		return
	}
	data, _ := dataset.ParseDataset("bas:3x3")
	if err := m.Init(1, 0.5, data); err != nil {
		fmt.Println(err)
		return
	}
	p, _ := m.Probabilities()
	var sum float64
	for _, v := range p {
		sum += v
	}
	lz, _ := m.LogZ()
	fmt.Println(m.NumParams(), "parameters")
	fmt.Printf("sum of p: %.12f\n", sum)
	fmt.Println("ln Z exact:", lz.Exact)
	// Output:
	// 169 parameters
	// sum of p: 1.000000000000
	// ln Z exact: true
}

// Too large for the exact partition function, ln Z is estimated by
// annealed importance sampling, with an error bar.
func ExampleRBM_EstimateLogZ() {
	m, _ := rbm.New(30, 30)
	est, err := m.EstimateLogZ(rbm.AISConfig{Chains: 50, Temps: 100, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	// With all parameters 0, Z = 2^(n+H).
	fmt.Printf("%s: %.4f +- %.4f (exact %.4f)\n", est.Method, est.Value, est.StdErr, 60*math.Ln2)
	// Output:
	// ais: 41.5888 +- 0.0000 (exact 41.5888)
}

// Training and checking an RBM on bars and stripes 2x2 with the
// exact-likelihood objective and bornmachine's Adam trainer.
func ExampleRBM_Objective() {
	data, _ := dataset.ParseDataset("bas:2x2")
	m, _ := rbm.New(4, 4)
	_ = m.Init(1, 0.01, data)
	tr := &bornmachine.Trainer{Model: m, Data: data, Config: bornmachine.TrainConfig{
		ObjectiveConfig: model.ObjectiveConfig{Loss: dataset.LossNLL},
		Optimizer:       bornmachine.OptAdam, LR: 0.05, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8,
		Steps: 1000, CheckpointEvery: 1000,
	}}
	if err := tr.Run(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	met, _ := model.Evaluate(m, data, nil)
	fmt.Printf("KL below 0.01: %v, valid mass above 0.99: %v\n", met.KL < 0.01, met.ValidMass > 0.99)
	// Output:
	// KL below 0.01: true, valid mass above 0.99: true
}
