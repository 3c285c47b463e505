package sim_test

import (
	"math"

	"born/circuit"
	"born/sim"
	"born/statevector"
)

var (
	qe  = circuit.QELib1Gates
	std = circuit.StdGates
)

// The statevector engine is the runner's reference engine.
var _ sim.State[*statevector.State] = (*statevector.State)(nil)

// when makes the last op of c conditional on the classical bits bits
// reading value.
func when(c *circuit.Circuit, bits []int, value uint64) *circuit.Circuit {
	c.Ops[len(c.Ops)-1].Cond = []circuit.Condition{{Clbits: bits, Value: value}}
	return c
}

func measure(c *circuit.Circuit, q, b int) *circuit.Circuit {
	return c.Measure([]int{q}, []int{b})
}

func lower(t interface {
	Helper()
	Fatal(...any)
}, c *circuit.Circuit) *circuit.Lowered {
	t.Helper()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	l, err := c.Lower()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// chiSquare returns Pearson's statistic of observed counts against
// expected probabilities over shots, merging bins expected below 5 shots
// into one, and its degrees of freedom.
func chiSquare(obs map[uint64]int, probs map[uint64]float64, shots int) (chi2 float64, df int) {
	var restObs, restExp float64
	bins := 0
	for k, p := range probs {
		e := p * float64(shots)
		o := float64(obs[k])
		if e < 5 {
			restObs += o
			restExp += e
			continue
		}
		chi2 += (o - e) * (o - e) / e
		bins++
	}
	for k, o := range obs {
		if _, ok := probs[k]; !ok {
			restObs += float64(o)
		}
	}
	if restExp > 0 {
		chi2 += (restObs - restExp) * (restObs - restExp) / restExp
		bins++
	} else if restObs > 0 {
		return math.Inf(1), bins
	}
	return chi2, bins - 1
}

// chiSquareOK accepts chi2 below df + 5 sqrt(2 df) + 5 (about 5 sigma).
func chiSquareOK(chi2 float64, df int) bool {
	return chi2 <= float64(df)+5*math.Sqrt(2*float64(df))+5
}
