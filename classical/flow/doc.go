// Package flow provides an autoregressive model of binary data, MADE
// (Germain et al., ICML 2015): the discrete counterpart of a normalizing
// flow with a triangular Jacobian, with exact likelihood and exact
// ancestral sampling. It is a classical baseline for Born machines.
//
// The model factorises p(x) = prod_d p(x_d | x_0 ... x_{d-1}) over the bits
// in the order 0, 1, ..., n-1 (bit 0 is the least significant bit of a
// state; bitstrings print x[n-1]...x[0]). One masked hidden layer of H tanh
// units computes every conditional at once:
//
//	h_k     = tanh(c_k + sum_{e < m_k} U_ke x_e)
//	logit_d = b_d + sum_{k: m_k <= d} W_dk h_k + sum_{e < d} V_de x_e
//	p(x_d = 1 | x_<d) = sigmoid(logit_d)
//
// Hidden unit k has the degree m_k = 1 + (k mod (n-1)) in 1..n-1: it sees
// the first m_k bits and feeds the outputs of the bits after them, so
// output d depends on bits before d only. V holds MADE's direct
// input-to-output connections.
//
// # Parameters
//
// The free (unmasked) parameters number, whatever the degrees,
//
//	sum_k m_k + H + sum_k (n - m_k) + n + n(n-1)/2 = nH + H + n + n(n-1)/2
//
// (205 for n = 9, H = 16), in this order: U row by row (unit k's m_k
// entries), c, W row by row (output d's entries for the units with m_k <=
// d), b, and V row by row (output d's d entries).
//
// Training minimises the negative log-likelihood (or the MMD) with
// gradients from hand-written backpropagation over gonum matrices.
package flow
