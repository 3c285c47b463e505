package statevector_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"born/circuit"
	"born/statevector"
)

// randomParamCircuit builds a circuit over n qubits of random library gates
// (qelib1 and stdgates, so controlled, multi-controlled, diagonal and
// global-phase-carrying gates all occur), with some parameters symbolic,
// plus runs of diagonal gates and layers of 1-qubit gates.
func randomParamCircuit(n, gates int, seed uint64) *circuit.Circuit {
	rng := rand.New(rand.NewPCG(seed, 99))
	c := circuit.New(n, 0)
	syms := []circuit.Sym{c.Symbol("a"), c.Symbol("b"), c.Symbol("c")}
	type lib struct {
		cat   circuit.Catalog
		order []string
	}
	libs := []lib{{circuit.QELib1Gates, circuit.QELib1Order}, {circuit.StdGates, circuit.StdGatesOrder}}
	for i := 0; i < gates; i++ {
		switch rng.IntN(6) {
		case 0: // a layer of rotations
			for q := 0; q < n; q++ {
				c.Apply(qe["ry"], []circuit.Expr{circuit.Mul(circuit.Const(rng.Float64()+0.5), syms[q%3])}, q)
			}
		case 1: // a diagonal run
			for j := 0; j < 3 && n >= 2; j++ {
				q := rng.Perm(n)
				c.Apply(qe["rzz"], []circuit.Expr{syms[j]}, q[0], q[1])
				c.GP(qe["t"], nil, q[0])
			}
		default:
			lb := libs[rng.IntN(2)]
			g := lb.cat[lb.order[rng.IntN(len(lb.order))]]
			if g.NumQubits() > n || g.Opaque {
				continue
			}
			ps := make([]circuit.Expr, len(g.Params))
			for j := range ps {
				if rng.IntN(2) == 0 {
					ps[j] = syms[rng.IntN(3)]
				} else {
					ps[j] = circuit.Const((rng.Float64() - 0.5) * 8)
				}
			}
			c.Apply(g, ps, rng.Perm(n)[:g.NumQubits()]...)
		}
	}
	return c
}

// gateByGate runs l with vals by applying its instructions one at a time.
func gateByGate[T statevector.Float](t testing.TB, l *circuit.Lowered, vals []float64) *statevector.Vector[T] {
	t.Helper()
	st, err := statevector.NewVector[T](l.NumQubits)
	if err != nil {
		t.Fatal(err)
	}
	for i := range l.Instrs {
		in := &l.Instrs[i]
		st.Apply(in.Matrix(vals), in.Targets, in.Controls, in.CtrlState)
	}
	return st
}

func runProgram[T statevector.Float](t testing.TB, p *statevector.Program, vals []float64, workers int) *statevector.Vector[T] {
	t.Helper()
	if err := p.Bind(vals); err != nil {
		t.Fatal(err)
	}
	st, err := statevector.NewVector[T](p.NumQubits())
	if err != nil {
		t.Fatal(err)
	}
	st.SetWorkers(workers)
	if err := st.Run(p); err != nil {
		t.Fatal(err)
	}
	return st
}

// withChunkBytes sets statevector.ChunkBytes for a test, and segments of
// an eighth of a chunk, so that qubit-set stages have room for high qubits.
func withChunkBytes(t *testing.T, b int) {
	old := statevector.ChunkBytes
	statevector.ChunkBytes = b
	restore := statevector.SetSegmentBytes(max(128, b/8))
	t.Cleanup(func() { statevector.ChunkBytes = old; restore() })
}

// TestProgramMatchesGateByGate: a fused program (every limit, with and
// without cache blocking) gives the state of applying the gates one by
// one, to 1e-12 in double precision and 1e-5 in single.
func TestProgramMatchesGateByGate(t *testing.T) { forEachKernelSet(t, testProgramMatchesGateByGate) }

func testProgramMatchesGateByGate(t *testing.T) {
	for _, chunk := range []int{0, 2048} {
		withChunkBytes(t, chunk)
		for _, n := range []int{1, 3, 6, 11} {
			for seed := uint64(1); seed <= 3; seed++ {
				c := randomParamCircuit(n, 60, seed*17+uint64(n))
				l, err := c.Lower()
				if err != nil {
					t.Fatal(err)
				}
				vals := []float64{0.3 * float64(seed), -1.1, 2.5}
				want := gateByGate[float64](t, l, vals).Amplitudes()
				wantS := gateByGate[float32](t, l, vals).Amplitudes()
				for k := 0; k <= statevector.MaxFuse; k++ {
					p, err := statevector.Compile(l, k)
					if err != nil {
						t.Fatal(err)
					}
					name := fmt.Sprintf("chunk=%d/n=%d/seed=%d/fuse=%d", chunk, n, seed, k)
					got := runProgram[float64](t, p, vals, 0).Amplitudes()
					if testing.Verbose() && seed == 1 {
						st, ch := statevector.NumStages[float64](p)
						t.Logf("%s: %d gates, %d ops, %d stages (%d chunked)", name, p.NumGates(), p.NumOps(), st, ch)
					}
					if d := maxDiff(got, want); d > 1e-12 {
						t.Errorf("%s: double max diff %g (%d gates in %d ops)", name, d, p.NumGates(), p.NumOps())
					}
					gotS := runProgram[float32](t, p, vals, 0).Amplitudes()
					if d := maxDiff(gotS, want); d > 1e-5 {
						t.Errorf("%s: single vs double max diff %g", name, d)
					}
					if d := maxDiff(gotS, wantS); d > 1e-5 {
						t.Errorf("%s: single fused vs unfused max diff %g", name, d)
					}
				}
			}
		}
	}
}

// TestProgramChunks checks that cache blocking is exercised, with every
// kernel set: with small chunks, a random circuit that ends in a run of
// gates on the low qubits runs in chunked stages and still matches.
func TestProgramChunks(t *testing.T) { forEachKernelSet(t, testProgramChunks) }

func testProgramChunks(t *testing.T) {
	withChunkBytes(t, 2048) // 2^7 double amplitudes, 2^8 single
	c := randomParamCircuit(12, 80, 5)
	// The portable kernels chunk runs of blocks on qubits below the
	// chunk's 7: the random part's blocks rarely stay that low.
	for rep := range 3 {
		for q := range 6 {
			c.Apply(qe["ry"], []circuit.Expr{circuit.Const(0.3 + 0.1*float64(q+rep))}, q)
		}
		for q := 0; q+1 < 6; q++ {
			c.G(qe["cx"], q, q+1)
		}
	}
	l, _ := c.Lower()
	p, err := statevector.Compile(l, 3)
	if err != nil {
		t.Fatal(err)
	}
	vals := []float64{0.1, 0.2, 0.3}
	want := gateByGate[float64](t, l, vals).Amplitudes()
	if d := maxDiff(runProgram[float64](t, p, vals, 0).Amplitudes(), want); d > 1e-12 {
		t.Errorf("max diff %g", d)
	}
	stages, chunked := statevector.NumStages[float64](p)
	if chunked == 0 {
		t.Errorf("no chunked stage among %d", stages)
	}
	if statevector.KernelSet() != "portable" {
		// Qubit-set stages: some chunk takes a qubit above the contiguous
		// low ones.
		high := false
		for _, set := range statevector.StageSets[float64](p) {
			high = high || set&^(set+1) != set // not of the form 2^k - 1
		}
		if !high {
			t.Errorf("no stage takes a high qubit: %b", statevector.StageSets[float64](p))
		}
	}
}

// TestProgramRebind: binding new values recomputes exactly what changed.
// Shifting one parameter at a time (as a parameter-shift gradient does)
// gives the same state as a freshly compiled program.
func TestProgramRebind(t *testing.T) {
	c := randomParamCircuit(7, 50, 3)
	l, _ := c.Lower()
	p, _ := statevector.Compile(l, 4)
	base := []float64{0.4, -0.7, 1.9}
	for trial := 0; trial < 8; trial++ {
		vals := slices.Clone(base)
		vals[trial%3] += math.Pi / 2 * float64(trial-3)
		got := runProgram[float64](t, p, vals, 0).Amplitudes()
		fresh, _ := statevector.Compile(l, 4)
		want := runProgram[float64](t, fresh, vals, 0).Amplitudes()
		if d := maxDiff(got, want); d != 0 {
			t.Fatalf("trial %d: rebound program differs from a fresh one by %g", trial, d)
		}
		ref := gateByGate[float64](t, l, vals).Amplitudes()
		if d := maxDiff(got, ref); d > 1e-12 {
			t.Fatalf("trial %d: max diff %g", trial, d)
		}
	}
	if err := p.Bind([]float64{1, 2}); err == nil {
		t.Error("Bind with too few values succeeded")
	}
	if err := p.Bind([]float64{math.NaN(), 0, 0}); err == nil {
		t.Error("Bind with NaN succeeded")
	}
	st, _ := statevector.New(7)
	if err := st.Run(p); err == nil {
		t.Error("Run of a program whose last Bind failed succeeded")
	}
}

// TestWorkersBitIdentical: the number of workers (1 to 7) never changes a
// result, for single gates and for programs, with and without chunks, with
// every kernel set.
func TestWorkersBitIdentical(t *testing.T) { forEachKernelSet(t, testWorkersBitIdentical) }

func testWorkersBitIdentical(t *testing.T) {
	old := statevector.ParallelMinQubits
	statevector.ParallelMinQubits = 1
	t.Cleanup(func() { statevector.ParallelMinQubits = old })
	for _, chunk := range []int{0, 4096} {
		withChunkBytes(t, chunk)
		c := randomParamCircuit(14, 40, 11)
		l, _ := c.Lower()
		vals := []float64{0.3, 0.5, -2}
		var ref, refS, refG []complex128
		for _, w := range []int{1, 2, 3, 4, 5, 6, 7} {
			p, _ := statevector.Compile(l, 4)
			got := runProgram[float64](t, p, vals, w).Amplitudes()
			gotS := runProgram[float32](t, p, vals, w).Amplitudes()
			st, _ := statevector.New(14)
			st.SetWorkers(w)
			for i := range l.Instrs {
				in := &l.Instrs[i]
				st.Apply(in.Matrix(vals), in.Targets, in.Controls, in.CtrlState)
			}
			gotG := st.Amplitudes()
			if ref == nil {
				ref, refS, refG = got, gotS, gotG
				continue
			}
			if !slices.Equal(got, ref) || !slices.Equal(gotS, refS) || !slices.Equal(gotG, refG) {
				t.Errorf("chunk=%d: %d workers give different amplitudes than 1", chunk, w)
			}
		}
	}
}

// TestConcurrentStatesShareThePool: states on different goroutines split
// their gates over the one worker pool at the same time, each getting what
// a serial run gives (run with -race: starting workers must not race with
// another state's use of the pool). The worker count is larger than any
// other test asks for, so that this test starts workers.
func TestConcurrentStatesShareThePool(t *testing.T) {
	const n = 16
	rng := rand.New(rand.NewPCG(4, 4))
	psi := randVec(rng, n)
	gates := []gateCase{randGate(rng, n, 1, 0, false), randGate(rng, n, 2, 1, false), randGate(rng, n, 1, 1, true)}
	gates[0].targets = []int{n - 1} // a high target: many groups to split
	serial := mustState(t, psi)
	serial.SetWorkers(1)
	for _, g := range gates {
		serial.Apply(g.m, g.targets, g.controls, g.ctrlState)
	}
	want := serial.Amplitudes()
	got := make([][]complex128, 2)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, _ := statevector.FromAmplitudes(psi)
			st.SetWorkers(64)
			for _, g := range gates {
				st.Apply(g.m, g.targets, g.controls, g.ctrlState)
			}
			got[i] = st.Amplitudes()
		}()
	}
	wg.Wait()
	for i := range got {
		if !slices.Equal(got[i], want) {
			t.Errorf("goroutine %d: amplitudes differ from a serial run", i)
		}
	}
}

// TestRunMany: running many parameter vectors concurrently gives, bit for
// bit, what running them one after another gives.
func TestRunMany(t *testing.T) {
	c := randomParamCircuit(9, 40, 8)
	l, _ := c.Lower()
	p, _ := statevector.Compile(l, 4)
	var vals [][]float64
	for i := 0; i < 13; i++ {
		vals = append(vals, []float64{0.1 * float64(i), 1, -float64(i)})
	}
	got := make([][]float64, len(vals))
	err := statevector.RunMany(p, vals, 3, func(i int, s *statevector.State32) {
		got[i] = s.Probabilities()
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vals {
		want := runProgram[float32](t, p, v, 1).Probabilities()
		if !slices.Equal(got[i], want) {
			t.Errorf("run %d differs", i)
		}
	}
}

func TestCompileRefusesImpure(t *testing.T) {
	c := circuit.New(2, 1)
	c.G(qe["h"], 0).Measure([]int{0}, []int{0})
	l, _ := c.Lower()
	if _, err := statevector.Compile(l, 2); err == nil {
		t.Error("Compile of a measuring circuit succeeded")
	}
	c2 := circuit.New(2, 0)
	l2, _ := c2.Lower()
	if _, err := statevector.Compile(l2, statevector.MaxFuse+1); err == nil {
		t.Error("Compile with a too large fusion limit succeeded")
	}
	p, err := statevector.Compile(l2, 2) // the empty circuit
	if err != nil {
		t.Fatal(err)
	}
	if got := runProgram[float64](t, p, nil, 0).Amplitudes(); got[0] != 1 {
		t.Errorf("empty program changed |00>: %v", got)
	}
}

// TestRunDoesNotAllocate: running a bound program (qubit-set stages
// included) allocates nothing once the state exists and the program's ops
// are prepared, with one worker and with several. (Bind allocates: the
// gate matrices come from circuit's MatrixFunc.)
func TestRunDoesNotAllocate(t *testing.T) {
	withChunkBytes(t, 4096)
	old := statevector.ParallelMinQubits
	statevector.ParallelMinQubits = 1
	t.Cleanup(func() { statevector.ParallelMinQubits = old })
	c := randomParamCircuit(13, 60, 4)
	l, _ := c.Lower()
	p, err := statevector.Compile(l, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Bind([]float64{0.1, 0.2, 0.3}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{1, 2} {
		st, _ := statevector.New32(13)
		st.SetWorkers(w)
		if err := st.Run(p); err != nil { // prepares the ops
			t.Fatal(err)
		}
		if _, chunked := statevector.NumStages[float32](p); chunked == 0 {
			t.Fatal("no chunked stage")
		}
		if a := testing.AllocsPerRun(5, func() { _ = st.Run(p) }); a != 0 {
			t.Errorf("workers %d: Run allocates %v times", w, a)
		}
	}
}
