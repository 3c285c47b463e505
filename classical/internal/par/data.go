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
	if len(d.States) == 0 || len(d.States) != len(d.Probs) {
		return fmt.Errorf("%s: the data have %d states and %d probabilities; need as many of each, at least one", who, len(d.States), len(d.Probs))
	}
	var sum float64
	for i, x := range d.States {
		p := d.Probs[i]
		if !(p >= 0) || math.IsInf(p, 0) {
			return fmt.Errorf("%s: data probability %d is %v; probabilities must be finite and >= 0", who, i, p)
		}
		if n < 64 && x>>uint(n) != 0 {
			return fmt.Errorf("%s: data state %d does not fit in %d bits", who, x, n)
		}
		sum += p
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("%s: the data probabilities sum to %v, not 1", who, sum)
	}
	return nil
}
