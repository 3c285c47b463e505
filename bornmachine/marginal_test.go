package bornmachine

import (
	"math"
	"strings"
	"testing"

	"born/dataset"
)

// TestMarginalParams: at the marginal initialisation the circuit's
// distribution is, up to the small random angles, the product of the
// data's one-bit marginals: its exact probabilities on 7-bit data whose
// marginals run from 0.27 to 0.93 (qcbm:2 with Chow-Liu entanglers, qcbm:0
// and hea:2) match the product state's to 0.02 in total variation.
func TestMarginalParams(t *testing.T) {
	data, err := dataset.ParseData("m", strings.NewReader("0000001,1\n0000011,2\n1001111,3\n0110001,1\n1111110,0.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	n := data.Bits
	m := make([]float64, n)
	for i := range data.Len() {
		for q := range n {
			m[q] += data.Probs[i] * float64(data.Bit(i, q))
		}
	}
	for _, spec := range []string{"qcbm:2", "qcbm:0", "hea:2"} {
		a, err := ParseAnsatz(spec, n, data)
		if err != nil {
			t.Fatal(err)
		}
		q, err := NewAnsatzQCBM(a, StateVector)
		if err != nil {
			t.Fatal(err)
		}
		theta, err := a.MarginalParams(data, 3)
		if err != nil {
			t.Fatal(err)
		}
		if err := q.SetParams(theta); err != nil {
			t.Fatal(err)
		}
		p, err := q.Probabilities()
		if err != nil {
			t.Fatal(err)
		}
		var tv float64
		for x, px := range p {
			want := 1.0
			for b := range n {
				if x>>b&1 == 1 {
					want *= m[b]
				} else {
					want *= 1 - m[b]
				}
			}
			tv += math.Abs(px-want) / 2
		}
		if tv > 0.02 {
			t.Errorf("%s: total variation %v from the product of the marginals", spec, tv)
		}
	}
}
