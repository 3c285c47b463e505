// Package classical trains the classical baselines of born, a restricted
// Boltzmann machine (package rbm) and a MADE autoregressive flow (package
// flow), on the same data and with the same metrics as a quantum circuit
// Born machine.
//
// A Spec names a baseline as on the command line, rbm:H or flow:H with H
// hidden units. Train builds it, initialises it from a seed and trains it
// with the settings of the baseline anchors (Adam; rbm: exact
// log-likelihood gradient, lr 0.05, 5000 steps; flow: maximum likelihood,
// lr 0.01, 500 steps) through bornmachine.Trainer, returning the trained
// model, its per-step history (NLL, KL, valid mass) and final metrics.
package classical
