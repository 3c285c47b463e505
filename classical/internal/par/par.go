// Package par runs fixed chunks of work on a bounded number of goroutines,
// so that results combined in chunk order do not depend on the number of
// threads, and derives independent random streams.
package par

import (
	"math"
	"runtime"
	"sync"
)

// Workers returns w, or GOMAXPROCS when w <= 0.
func Workers(w int) int {
	if w <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return w
}

// Chunks returns the number of chunks of size size that cover [0, total).
func Chunks(total, size int) int { return (total + size - 1) / size }

// Run calls fn(c, lo, hi) for every chunk c = [lo, hi) of [0, total) cut
// into pieces of size size, on at most workers goroutines (0: GOMAXPROCS).
// The chunks depend on total and size only, so a caller that stores a
// result per chunk and combines them in chunk order gets the same answer
// for every worker count.
func Run(total, size, workers int, fn func(c, lo, hi int)) {
	nc := Chunks(total, size)
	w := min(Workers(workers), nc)
	if w <= 1 {
		for c := range nc {
			fn(c, c*size, min(total, (c+1)*size))
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int, nc)
	for c := range nc {
		next <- c
	}
	close(next)
	for range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				fn(c, c*size, min(total, (c+1)*size))
			}
		}()
	}
	wg.Wait()
}

// Stream returns a PCG stream number derived from parts (splitmix64
// folds), so that every chain, step or sample block has its own stream
// whatever the scheduling.
func Stream(parts ...uint64) uint64 {
	h := uint64(0x243f6a8885a308d3)
	for _, p := range parts {
		z := (h ^ p) + 0x9e3779b97f4a7c15
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		h = z ^ z>>31
	}
	return h
}

// Softplus returns ln(1 + e^x) without overflow or loss of precision.
func Softplus(x float64) float64 {
	if x > 0 {
		return x + log1pExp(-x)
	}
	return log1pExp(x)
}

func log1pExp(x float64) float64 { // x <= 0
	if x < -37 {
		return math.Exp(x)
	}
	return math.Log1p(math.Exp(x))
}

// Sigmoid returns 1/(1+e^-x) without overflow.
func Sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// SoftplusSigmoid returns softplus(x) and sigmoid(x) from one exponential
// and one logarithm; the softplus has an absolute error of about 1e-16.
func SoftplusSigmoid(x float64) (sp, sig float64) {
	e := math.Exp(-math.Abs(x))
	l := math.Log(1 + e)
	if x >= 0 {
		return x + l, 1 / (1 + e)
	}
	return l, e / (1 + e)
}
