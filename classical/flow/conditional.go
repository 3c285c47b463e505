package flow

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"sort"

	"born/classical/internal/par"
	"born/dataset"
	"born/model"
)

var _ model.Conditional = (*MADE)(nil)

// tagCondition is the random stream of conditional samples.
const tagCondition = 0x434f4e44 // "COND"

// MaxEnumerated is the most hidden bits before the last known bit that
// SampleConditional sums over.
const MaxEnumerated = 16

// SampleConditional draws shots exact samples from p(x | x_K = known_K), K
// the bits set in mask (model.Conditional), states of dataset.Words(n)
// words. A MADE factorises p in the
// order of its bits, p(x) = prod_d p(x_d | x_<d), so hidden bits after the
// last known bit L are drawn one by one from their conditionals, as Sample
// does. Hidden bits before L (the set B) are drawn first, jointly, from
// p(x_B | known) proportional to prod_{d <= L} p(x_d | x_<d), by
// enumerating their 2^|B| values: at most MaxEnumerated of them. For image
// data (pixel (i,j) is bit i*C+j) a hidden lower half or a hidden bottom
// right corner has B empty.
func (m *MADE) SampleConditional(known, mask []uint64, shots int, seed uint64) ([]uint64, error) {
	W := dataset.Words(m.n)
	if len(known) != W || len(mask) != W {
		return nil, fmt.Errorf("flow: a condition on %d bits takes %d word(s), not %d and %d", m.n, W, len(known), len(mask))
	}
	if shots < 0 {
		return nil, fmt.Errorf("flow: %d shots; need a count >= 0", shots)
	}
	if r := m.n % 64; r != 0 && mask[W-1]>>uint(r) != 0 {
		return nil, fmt.Errorf("flow: the mask has bits beyond the model's %d", m.n)
	}
	isSet := func(x []uint64, d int) bool { return x[d/64]>>uint(d%64)&1 == 1 }
	last := -1 // the last known bit; -1: nothing known
	for k := W - 1; k >= 0 && last < 0; k-- {
		if mask[k] != 0 {
			last = 64*k + 63 - bits.LeadingZeros64(mask[k])
		}
	}
	var before []int // hidden bits below last
	for d := 0; d < last; d++ {
		if !isSet(mask, d) {
			before = append(before, d)
		}
	}
	if len(before) > MaxEnumerated {
		return nil, fmt.Errorf("flow: %d hidden bits come before the last known bit (%d), where a MADE must sum over their values; at most %d can be: hide a suffix of the bits, as the lower part of an image", len(before), last, MaxEnumerated)
	}
	w := m.dense(m.theta)
	// Candidates for the bits 0..last, W words each: known bits fixed, the
	// bits of before from the binary digits of c. logw[c] = ln
	// prod_{d<=last} p(x_d | x_<d).
	nc := 1 << uint(len(before))
	cands := make([]uint64, nc*W)
	logw := make([]float64, nc)
	pre := make([]float64, m.h)
	best := math.Inf(-1)
	for c := range nc {
		x := cands[c*W : (c+1)*W]
		for k := range x {
			x[k] = known[k] & mask[k]
		}
		for i, d := range before {
			if c>>uint(i)&1 == 1 {
				x[d/64] |= 1 << uint(d%64)
			}
		}
		copy(pre, w.c)
		var lw float64
		for d := 0; d <= last; d++ {
			l := m.logitWords(w, pre, x, d)
			if isSet(x, d) {
				lw += logSigmoid(l)
				for k := range pre {
					pre[k] += w.U.At(k, d)
				}
			} else {
				lw += logSigmoid(-l)
			}
		}
		logw[c] = lw
		best = math.Max(best, lw)
	}
	if math.IsInf(best, -1) || math.IsNaN(best) {
		return nil, fmt.Errorf("flow: the known bits have probability 0 under the model: no completion exists")
	}
	cum := make([]float64, nc)
	var total float64
	for c, lw := range logw {
		total += math.Exp(lw - best)
		cum[c] = total
	}
	rng := rand.New(rand.NewPCG(seed, par.Stream(tagCondition)))
	out := make([]uint64, shots*W)
	for s := range shots {
		c := 0
		if nc > 1 {
			u := rng.Float64() * total
			c = min(nc-1, sort.Search(nc, func(i int) bool { return cum[i] > u }))
		}
		x := out[s*W : (s+1)*W]
		copy(x, cands[c*W:(c+1)*W])
		m.draw(w, pre, x, last+1, rng)
	}
	return out, nil
}

// logSigmoid returns ln sigmoid(l) without overflow.
func logSigmoid(l float64) float64 {
	if l >= 0 {
		return -math.Log1p(math.Exp(-l))
	}
	return l - math.Log1p(math.Exp(l))
}
