// Package bornmachine provides Born machines, generative models that give a
// bitstring x the probability p(x) = |<x|psi(theta)>|^2, and everything
// needed to train them: gradients, optimizers and checkpointed training
// runs.
//
// # Models
//
// model.Model is the interface every Born machine implements:
// log-probabilities, exact probabilities for small n, seeded sampling, a
// training Objective and JSON for model files. QCBM is the quantum circuit Born machine of Liu
// and Wang (PRA 98, 062324, 2018) on any parameterised circuit, usually one
// built by an Ansatz (the paper's qcbm:DEPTH circuit with Chow-Liu
// entanglers, or a hardware-efficient hea:DEPTH). Its circuit runs on an
// Engine: StateVector, exact, or MPSEngine, matrix product states (package
// mps) with a bond cap, for shift gradients; EngineByName reads both. The
// MPS Born machine of Han et al. is in package mpsbm.
//
// # Data, losses and metrics
//
// Datasets (bars and stripes, discretised Gaussians, data files), the MMD
// kernel, the losses (MMD, KL, NLL) and the metrics on them are in package
// dataset; the Model interface, its registry and Evaluate in package model.
// Both serve every family: the QCBM here, the MPS Born machine (mpsbm) and
// the classical baselines. This package keeps model files (ModelFile) and
// training runs.
//
// # Gradients
//
// A QCBM's gradient is exact either way it is computed:
//
//   - shift: the parameter-shift rule per gate occurrence (two terms for
//     gates with two generator eigenvalues, four for controlled rotations),
//     chained through parameter expressions to the symbols. Every shifted
//     circuit's probabilities are computed (and, with shots, sampled, as
//     on hardware, from the circuit's own seeded stream). The shifted
//     circuits share their common prefix (the state before the shifted
//     gate, kept from one forward pass) and, on the state vector, their
//     common suffix by linearity: the shifted matrices of a gate block
//     span a few directions, so a fused Rz Rx Rz block needs three runs
//     of the rest of the circuit for its six shifted circuits, whose final
//     states are combinations of those runs and of the circuit's own.
//     Work is spread over all cores, with results independent of the
//     number of cores.
//   - adjoint: one forward and one backward sweep of the state vector with
//     exact matrix derivatives of every gate.
//
// Both use that every loss depends on theta only through p: dL/dtheta =
// sum_x g(x) dp(x)/dtheta with g = dL/dp computed once per step.
//
// # Training
//
// Trainer runs Adam or L-BFGS (gonum/optimize) on any Model, or a
// Sweeper's own steps (OptSweep: the MPS Born machine's sweeps), with a
// history of loss, KL and valid mass per step; Run keeps a training run in a
// directory (model.json, history.csv), checkpointed atomically, and resumes
// it bit for bit (Adam, sweeps).
//
// Conventions: qubit q is bit q of a state, and bitstrings print
// q[n-1]...q[0]. Everything random takes a seed.
package bornmachine
