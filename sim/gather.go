package sim

// bitGather extracts chosen bits of a basis-state index into a classical
// register value, with one table lookup per byte of the index.
type bitGather struct {
	tab [][256]uint64
}

// newGather returns a gatherer over n-bit indices whose result has bit i
// equal to bit src[i] of the index, or 0 where src[i] < 0.
func newGather(n int, src []int) *bitGather {
	g := &bitGather{tab: make([][256]uint64, (n+7)/8)}
	for i, q := range src {
		if q < 0 {
			continue
		}
		t := &g.tab[q/8]
		for b := range 256 {
			if b>>uint(q%8)&1 == 1 {
				t[b] |= 1 << uint(i)
			}
		}
	}
	return g
}

func (g *bitGather) gather(x uint64) uint64 {
	var v uint64
	for j := range g.tab {
		v |= g.tab[j][x>>uint(8*j)&255]
	}
	return v
}
