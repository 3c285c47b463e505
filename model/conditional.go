package model

// Conditional is implemented by models that sample exactly from a
// conditional distribution (the MPS Born machine, MADE): completions of
// states of which some bits are known, as Han et al. (PRX 8, 031012, 2018)
// complete MNIST images whose lower half is hidden.
type Conditional interface {
	// SampleConditional draws shots states from p(x | x_q = known_q for
	// every bit q set in mask), one after another, dataset.Words(n) words
	// each; known and mask are dataset.Words(n) words, and the bits of
	// known outside mask are ignored. Every returned state agrees with
	// known on mask. The same seed gives the same samples. It fails when
	// the known bits have probability 0 under the model.
	SampleConditional(known, mask []uint64, shots int, seed uint64) ([]uint64, error)
}
