package mps

import (
	"slices"
	"sync"
)

// scratch is a bump allocator of float64 workspace for one SVD (or one
// goroutine of it). Scratch objects are recycled through a free list, so
// that the MPS engine's stream of SVDs of similar sizes reuses the same
// buffers instead of allocating (and page-faulting, zeroing and collecting)
// tens of megabytes per call. Unlike a sync.Pool, the free list survives
// garbage collections: a fresh buffer costs more than the SVD's arithmetic
// at side 512.
type scratch struct {
	buf  []float64
	off  int
	need int // floats requested since the last reset: the next buffer's size
}

const (
	// maxPooledScratch is the largest buffer (in float64s, 64 MiB) kept.
	maxPooledScratch = 8 << 20
	// maxFreeScratch is the most buffers the free list keeps, and
	// maxFreeFloats the most float64s they hold in all (128 MiB).
	maxFreeScratch = 16
	maxFreeFloats  = 16 << 20
)

// scratchFree holds idle scratch objects, smallest buffer first.
var scratchFree struct {
	sync.Mutex
	list []*scratch
}

// getScratch returns the idle scratch with the largest buffer (the first
// caller of an SVD, which needs the most, gets the biggest), or a new one.
func getScratch() *scratch {
	scratchFree.Lock()
	defer scratchFree.Unlock()
	if n := len(scratchFree.list); n > 0 {
		s := scratchFree.list[n-1]
		scratchFree.list = scratchFree.list[:n-1]
		return s
	}
	return new(scratch)
}

// putScratch returns s to the free list, its buffer enlarged to what this
// use requested. Nothing taken from s may be used afterwards.
func putScratch(s *scratch) {
	if s.need > len(s.buf) {
		if s.need > maxPooledScratch {
			return
		}
		s.buf = make([]float64, s.need)
	}
	s.off, s.need = 0, 0
	scratchFree.Lock()
	defer scratchFree.Unlock()
	l := append(scratchFree.list, s)
	slices.SortFunc(l, func(a, b *scratch) int { return len(a.buf) - len(b.buf) })
	total := 0
	for _, x := range l {
		total += len(x.buf)
	}
	for len(l) > maxFreeScratch || total > maxFreeFloats {
		total -= len(l[0].buf)
		l[0] = nil
		l = l[1:]
	}
	scratchFree.list = l
}

// floats returns n zeroed float64s. When the buffer is exhausted it falls
// back to the heap; the buffer is then enlarged when s is put back.
func (s *scratch) floats(n int) []float64 {
	p := s.floatsDirty(n)
	clear(p)
	return p
}

// floatsDirty returns n float64s of unspecified content, for workspace that
// the caller overwrites entirely before reading.
func (s *scratch) floatsDirty(n int) []float64 {
	s.need += n
	if s.off+n <= len(s.buf) {
		p := s.buf[s.off : s.off+n : s.off+n]
		s.off += n
		return p
	}
	return make([]float64, n)
}
