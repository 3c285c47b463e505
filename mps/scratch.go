package mps

import "sync"

// scratch is a bump allocator of zeroed float64 workspace for one SVD (or
// one goroutine of it). Scratch objects are recycled through a pool, so that
// the MPS engine's stream of SVDs of similar sizes reuses one buffer instead
// of allocating (and zeroing, and collecting) several megabytes per call.
type scratch struct {
	buf  []float64
	off  int
	need int // floats requested since the last reset: the next buffer's size
}

// maxPooledScratch is the largest buffer (in float64s, 64 MiB) kept for reuse.
const maxPooledScratch = 8 << 20

var scratchPool sync.Pool

func getScratch() *scratch {
	if s, ok := scratchPool.Get().(*scratch); ok {
		return s
	}
	return new(scratch)
}

// putScratch returns s to the pool. Nothing taken from s may be used
// afterwards.
func putScratch(s *scratch) {
	if s.need > len(s.buf) {
		if s.need > maxPooledScratch {
			return
		}
		s.buf = make([]float64, s.need)
	}
	s.off, s.need = 0, 0
	scratchPool.Put(s)
}

// floats returns n zeroed float64s. When the buffer is exhausted it falls
// back to the heap; the buffer is then enlarged when s is put back.
func (s *scratch) floats(n int) []float64 {
	s.need += n
	if s.off+n <= len(s.buf) {
		p := s.buf[s.off : s.off+n : s.off+n]
		s.off += n
		clear(p)
		return p
	}
	return make([]float64, n)
}
