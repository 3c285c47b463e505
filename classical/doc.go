// Package classical names and builds the classical baselines of born, a
// restricted Boltzmann machine (package rbm) and a MADE autoregressive flow
// (package flow), which model the same data (package dataset) behind the
// same interface (package model) as the quantum circuit and tensor-network
// Born machines. It does not import bornmachine.
//
// A Spec names a baseline as on the command line, rbm:H or flow:H with H
// hidden units. NewModel builds it and initialises it from a seed;
// DefaultSettings gives the training settings of the baseline anchors
// (Adam; rbm: exact log-likelihood gradient, lr 0.05, 5000 steps; flow:
// maximum likelihood, lr 0.01, 500 steps). compare.TrainClassical trains a
// baseline with them through bornmachine.Trainer.
package classical
