package par

import (
	"fmt"
	"math"

	"born/dataset"
)

// CheckData returns an error naming who (rbm, flow) unless d is a valid
// distribution over n-bit states.
func CheckData(d *dataset.Dataset, n int, who string) error {
	if d == nil {
		return fmt.Errorf("%s: no data", who)
	}
	if d.Bits != n {
		return fmt.Errorf("%s: the data have %d bits but the model has %d; build the model with %d visible bits", who, d.Bits, n, d.Bits)
	}
	W := d.Words()
	if len(d.Probs) == 0 || len(d.States) != W*len(d.Probs) {
		return fmt.Errorf("%s: the data have %d states (%d words each) and %d probabilities; need as many of each, at least one", who, len(d.States)/W, W, len(d.Probs))
	}
	var sum float64
	for i, p := range d.Probs {
		if !(p >= 0) || math.IsInf(p, 0) {
			return fmt.Errorf("%s: data probability %d is %v; probabilities must be finite and >= 0", who, i, p)
		}
		if r := n % 64; r != 0 && d.States[(i+1)*W-1]>>uint(r) != 0 {
			return fmt.Errorf("%s: data state %s does not fit in %d bits", who, dataset.FormatWords(d.State(i), 64*W), n)
		}
		sum += p
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("%s: the data probabilities sum to %v, not 1", who, sum)
	}
	return nil
}
