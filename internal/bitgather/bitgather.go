// Package bitgather extracts chosen bits of a basis-state index into a
// compact value (a classical register, a marginal's index) with one table
// lookup per byte of the index.
package bitgather

// Gather maps n-bit indices to values whose bit i is bit src[i] of the
// index (0 where src[i] < 0).
type Gather struct {
	tab [][256]uint64
}

// New returns the gatherer for n-bit indices and the source bits src.
func New(n int, src []int) *Gather {
	g := &Gather{tab: make([][256]uint64, (n+7)/8)}
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

// Of returns the gathered value of index x.
func (g *Gather) Of(x uint64) uint64 {
	var v uint64
	for j := range g.tab {
		v |= g.tab[j][x>>uint(8*j)&255]
	}
	return v
}
