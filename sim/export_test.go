package sim

import "born/circuit"

// CountBranches exposes the static branch count to the external tests.
func CountBranches(l *circuit.Lowered, vals []float64) (proven, possible int, err error) {
	pr, err := compile(l, vals)
	if err != nil {
		return 0, 0, err
	}
	proven, possible = countBranches(pr)
	return proven, possible, nil
}
