// Package mpsbm provides the matrix-product-state Born machine of Han,
// Wang, Fan, Wang and Zhang (PRX 8, 031012, 2018): p(x) = |Psi(x)|^2 / Z
// with Psi(x) = A_0[x_0] A_1[x_1] ... A_{n-1}[x_{n-1}] an open-boundary MPS
// over the data bits (site q holds bit q; physical dimension 2).
//
// Model keeps its tensors as an mps.State in mixed-canonical form,
// normalised, so Z = 1 exactly: LogProb, Probabilities and the NLL are exact
// contractions, and Sample draws exact samples by sequential conditional
// sampling (no Markov chain). All the linear algebra (SVD, QR,
// canonicalisation, contraction, sampling) is package mps's.
//
// # Training
//
// A training step is one sweep of two-site updates, left to right and back
// (Sweep, the bornmachine.OptSweep optimizer). For each pair of
// neighbouring sites, with the canonical center in the pair, the two
// tensors are merged into Theta, the exact NLL and its gradient
//
//	dNLL/dconj(Theta) = Theta/Z - sum_x pi(x) conj(dPsi(x)/dTheta) / conj(Psi(x)),  Z = |Theta|^2,
//
// are computed from cached left and right environment vectors of the data,
// Theta takes gradient steps (with backtracking, so that the NLL of the
// merged tensor never rises), and it is split again by a truncated SVD
// under the bond cap and the relative cutoff, moving the center on. Bonds
// grow where the data need them, up to the cap.
//
// Objective is the exact NLL (or KL) as a function of all tensor entries at
// fixed bond dimensions, with its exact gradient, for bornmachine's other
// optimizers and for checks. Train trains a model named like mps:16 with a
// per-sweep history, as compare.TrainClassical does for the classical baselines;
// `born train --model mps:CHI` runs the same through bornmachine.Run.
//
// # Bridges
//
// FromQCBM turns a quantum circuit Born machine into an MPS model by running
// its circuit on the MPS engine. Compile turns an MPS model into a circuit of
// 2-qubit unitaries (a sequential staircase; Ran, PRA 101, 032310, 2020),
// exact for bond dimension 2 and, for larger ones, approximate with its
// fidelity |<mps|circuit>|^2 reported; ModelQASM writes it as OpenQASM.
package mpsbm
