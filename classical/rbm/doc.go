// Package rbm provides a binary restricted Boltzmann machine, a classical
// baseline for Born machines: p(v) proportional to sum_h exp(-E(v, h)) with
//
//	E(v, h) = -a.v - b.h - v^T W h,  v in {0,1}^n, h in {0,1}^H.
//
// Visible unit i is bit i of a state (bit 0 least significant; bitstrings
// print v[n-1]...v[0]). Summing the hidden units out gives the free energy
// F(v) = -a.v - sum_j softplus(b_j + sum_i v_i W_ij), so p(v) =
// exp(-F(v))/Z for any n and H; only the partition function Z is hard.
//
// # Exact and approximate paths
//
// When the smaller layer has at most MaxExactLayer (20) units, ln Z is
// exact: the package enumerates the smaller layer's 2^min(n,H) states and
// sums the other layer analytically, in log space. Then training uses the
// exact log-likelihood gradient, probabilities are exactly normalised and
// sampling is exact (the smaller layer is drawn from its exact marginal,
// the other layer from its factorised conditional). Probabilities of all
// 2^n states are exact whenever n <= dataset.MaxExactBits, since they
// enumerate the visible layer anyway.
//
// Otherwise training uses persistent contrastive divergence (PCD-k),
// sampling uses block Gibbs chains with burn-in, and ln Z (and so LogProb)
// is an annealed importance sampling estimate with an error bar (LogZ
// says which).
//
// # Parameters
//
// The NumParams() = nH + n + H parameters are, in order: W row by row
// (W[i*H+j] joins visible i and hidden j), the visible biases a, and the
// hidden biases b.
//
// Everything random takes a seed, and gives the same result for any number
// of threads.
package rbm
