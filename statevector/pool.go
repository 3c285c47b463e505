package statevector

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// ParallelMinQubits is the smallest state that a gate splits over several
// workers by default; smaller states run serially, since handing work to
// another core costs more than it saves (BenchmarkKernels compares one
// worker, w=1, with the default, w=0).
var ParallelMinQubits = 16

// workersFor returns how many workers an n-qubit state with setting w uses.
func workersFor(w, n int) int {
	if w > 0 {
		return w
	}
	if n < ParallelMinQubits {
		return 1
	}
	return runtime.GOMAXPROCS(0)
}

// rangeJob is work over groups [from, to) that can be split anywhere.
type rangeJob interface{ runRange(from, to int) }

// task asks a pool goroutine to help with a split job, starting with part
// part.
type task struct {
	s    *splitter
	part int
}

// The pool: persistent goroutines that take tasks from one channel. Callers
// do a share of the work themselves and wait for the rest, so a busy pool
// (several states evolving at once) only delays, never deadlocks: tasks
// never submit tasks. States on several goroutines use it at once, so the
// number of workers started is read atomically; mu serializes starting
// them.
var pool = struct {
	mu      sync.Mutex
	tasks   chan task
	started atomic.Int64
}{tasks: make(chan task, 64)}

func ensureWorkers(n int) {
	pool.mu.Lock()
	defer pool.mu.Unlock()
	for pool.started.Load() < int64(n) {
		go func() {
			for t := range pool.tasks {
				t.s.work(t.part)
				t.s.wg.Done()
			}
		}()
		pool.started.Add(1)
	}
}

// splitter hands out the pieces of a job. Each of the parts goroutines
// (the calling one and the pool goroutines helping it) has its own run of
// consecutive pieces, as a static split would give it, so that a core
// keeps working on the same part of the state from one stage to the next
// (and finds it in its own cache); a goroutine that finishes its run takes
// the remaining pieces of the others. That keeps both cores busy when one
// of them is slowed down, by another process or by memory traffic. Which
// goroutine computes a piece does not change its result.
type splitter struct {
	wg     sync.WaitGroup
	j      rangeJob
	n      int
	pieces int
	parts  int
	// next[r] is the next piece of part r. It is made at the first split:
	// most states never split (below ParallelMinQubits), and a fixed array
	// for 64 parts made every state 4 KiB larger (a Clone of 3 qubits
	// allocated 4992 bytes, 832 without it).
	next []paddedCounter
}

// paddedCounter is a counter alone on its cache line.
type paddedCounter struct {
	atomic.Int64
	_ [56]byte
}

// work runs the pieces of part first, then those left in the others.
func (s *splitter) work(first int) {
	for k := range s.parts {
		r := (first + k) % s.parts
		end := int64((r + 1) * s.pieces / s.parts)
		for {
			i := s.next[r].Add(1) - 1
			if i >= end {
				break
			}
			s.j.runRange(int(i)*s.n/s.pieces, int(i+1)*s.n/s.pieces)
		}
	}
}

// piecesPerPart is how many pieces parallel cuts a part into: small enough
// that a late part costs little, large enough that taking a piece (one
// atomic add) is cheap beside computing it.
const piecesPerPart = 8

// parallel runs j over [0, n) on up to parts goroutines, the calling one
// included, in at most piecesPerPart*parts contiguous pieces of at least
// minPiece groups each (see splitter). s is the caller's scratch (it must
// not be shared by concurrent calls). The split only decides who computes
// what: every group is computed the same way, so results do not depend on
// parts.
func parallel(j rangeJob, n, parts, minPiece int, s *splitter) {
	parts = min(parts, n)
	if parts <= 1 {
		j.runRange(0, n)
		return
	}
	if pool.started.Load() < int64(parts-1) {
		ensureWorkers(parts - 1)
	}
	if len(s.next) < parts {
		s.next = make([]paddedCounter, parts)
	}
	s.j, s.n, s.parts = j, n, parts
	s.pieces = max(parts, min(piecesPerPart*parts, n/max(1, minPiece)))
	for r := range parts {
		s.next[r].Store(int64(r * s.pieces / parts))
	}
	s.wg.Add(parts - 1)
	for r := 1; r < parts; r++ {
		pool.tasks <- task{s, r}
	}
	s.work(0)
	s.wg.Wait()
	s.j = nil
}

// executor runs prepared ops on a state's storage, splitting them over
// workers. It lives in the state so that running a gate does not allocate.
type executor[T Float] struct {
	split splitter
	one   opJob[T]
}

type opJob[T Float] struct {
	d []T
	p *pop[T]
}

func (j *opJob[T]) runRange(from, to int) { j.p.kern(j.d, j.p, from, to) }

// minGroupsPerWorker keeps parallel splits coarse enough to pay off.
const minGroupsPerWorker = 64

func (e *executor[T]) runOp(d []T, p *pop[T], workers int) {
	if workers <= 1 || p.groups < 2*minGroupsPerWorker {
		p.kern(d, p, 0, p.groups)
		return
	}
	e.one = opJob[T]{d, p}
	parallel(&e.one, p.groups, min(workers, p.groups/minGroupsPerWorker), minGroupsPerWorker/2, &e.split)
	e.one = opJob[T]{}
}

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
