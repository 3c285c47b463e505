// Package dataset holds the data every generative model in born is trained
// and judged on, and the losses and metrics on them.
//
// A Dataset is a distribution over n-bit strings: bars and stripes
// (bas:RxC), a discretised Gaussian (gauss:N), the built-in handwritten
// digits (digits: DigitImages), binarized images of an MNIST-format IDX
// file (idx:PATH: ReadIDX) or a file of bitstrings (file:PATH);
// ParseDataset and Load read these specifications. Bit q of a state is
// qubit q; pixel (i,j) of an R x C image is bit i*C+j. Images are data
// points (Images) before they become a distribution; ParseMask names the
// pixels an image completion hides.
//
// Losses on a model's full distribution (2^n probabilities, n <=
// MaxExactBits) are the squared MMD with Liu and Wang's mixture of Gaussian
// kernels (Kernel, applied in O(n 2^n) through its tensor-product structure,
// or by FFT for the integer metric), KL(data || model) and the negative
// log-likelihood; each gives its gradient with respect to the
// probabilities. KLDivergence, NLL and ValidMass are the metrics on a dense
// distribution.
//
// The package imports no model: the QCBM (bornmachine), the MPS Born
// machine (bornmachine/mpsbm) and the classical baselines (classical) all
// build on it.
package dataset
