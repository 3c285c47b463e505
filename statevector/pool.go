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

type task struct {
	j        rangeJob
	from, to int
	wg       *sync.WaitGroup
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
				t.j.runRange(t.from, t.to)
				t.wg.Done()
			}
		}()
		pool.started.Add(1)
	}
}

// parallel runs j over [0, n) in parts contiguous ranges, the first on the
// calling goroutine. The split only decides who computes what: every group
// is computed the same way, so results do not depend on parts.
func parallel(j rangeJob, n, parts int, wg *sync.WaitGroup) {
	parts = min(parts, n)
	if parts <= 1 {
		j.runRange(0, n)
		return
	}
	if pool.started.Load() < int64(parts-1) {
		ensureWorkers(parts - 1)
	}
	wg.Add(parts - 1)
	for i := 1; i < parts; i++ {
		pool.tasks <- task{j, i * n / parts, (i + 1) * n / parts, wg}
	}
	j.runRange(0, n/parts)
	wg.Wait()
}

// executor runs prepared ops on a state's storage, splitting them over
// workers. It lives in the state so that running a gate does not allocate.
type executor[T Float] struct {
	wg  sync.WaitGroup
	one opJob[T]
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
	parallel(&e.one, p.groups, min(workers, p.groups/minGroupsPerWorker), &e.wg)
	e.one = opJob[T]{}
}

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
