package bitgather

import (
	"math/rand/v2"
	"testing"
)

// Against a bit-by-bit loop on random sources and indices.
func TestGather(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		n := 1 + rng.IntN(40)
		src := make([]int, rng.IntN(12))
		for i := range src {
			src[i] = rng.IntN(n+1) - 1 // -1 means a zero bit
		}
		g := New(n, src)
		for k := 0; k < 50; k++ {
			x := rng.Uint64() & (1<<uint(n) - 1)
			var want uint64
			for i, q := range src {
				if q >= 0 && x>>uint(q)&1 == 1 {
					want |= 1 << uint(i)
				}
			}
			if got := g.Of(x); got != want {
				t.Fatalf("n=%d src=%v x=%b: got %b want %b", n, src, x, got, want)
			}
		}
	}
}
