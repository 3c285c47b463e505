package bench

import (
	"math"
	"time"

	"born/circuit"
	"born/statevector"
)

// Bandwidth measures the memory bandwidth of an in-place read+write
// stream: a lane-wise complex multiply (a global phase) over a
// single-precision state of 2^n amplitudes, with the engine's kernels and
// workers workers (0: the default), best of reps passes. It returns bytes
// per second counting each pass as one read and one write of the buffer.
func Bandwidth(n, workers, reps int) (float64, error) {
	st, err := statevector.New32(n)
	if err != nil {
		return 0, err
	}
	st.SetWorkers(workers)
	ph := circuit.Matrix{circuit.Expi(1e-3)}
	st.Apply(ph, nil, nil, 0) // touch every page
	best := math.Inf(1)
	for range max(1, reps) {
		t0 := time.Now()
		st.Apply(ph, nil, nil, 0)
		best = min(best, time.Since(t0).Seconds())
	}
	return 2 * float64(statevector.Single.Bytes(n)) / best, nil
}
