package bench

import (
	"math"
	"runtime"
	"sync"
	"time"
)

// Bandwidth measures the memory bandwidth of a plain copy stream: workers
// goroutines (0: GOMAXPROCS) each copy their share of a buffer of 8*2^(n-1)
// bytes into a second one of the same size, with the built-in copy (the
// runtime's memmove, which streams large copies with non-temporal stores),
// best of reps passes. It returns bytes per second, counting each pass as
// one read and one write of 8*2^(n-1) bytes: the traffic of an in-place
// pass over a single-precision state of 2^(n-1) amplitudes. None of born's
// kernels run here, so the fraction of it a kernel reaches is a fair
// measure of how close to memory speed it gets.
func Bandwidth(n, workers, reps int) (float64, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	size := 8 << uint(max(0, n-1))
	src, dst := make([]byte, size), make([]byte, size)
	for i := 0; i < size; i += 4096 { // touch every page
		src[i], dst[i] = 1, 1
	}
	pass := func() {
		var wg sync.WaitGroup
		for w := range workers {
			lo, hi := w*size/workers, (w+1)*size/workers
			wg.Add(1)
			go func() {
				defer wg.Done()
				copy(dst[lo:hi], src[lo:hi])
			}()
		}
		wg.Wait()
	}
	pass()
	best := math.Inf(1)
	for range max(1, reps) {
		t0 := time.Now()
		pass()
		best = min(best, time.Since(t0).Seconds())
	}
	runtime.KeepAlive(src)
	return 2 * float64(size) / best, nil
}
