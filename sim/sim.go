// Package sim runs lowered circuits (circuit.Lowered) on any engine that
// implements State: single shots, histograms of many shots, and exact
// outcome distributions.
//
// Randomness comes from math/rand/v2's PCG seeded by the caller. Counts
// derives each shot's random stream from (seed, shot index), so its result
// depends only on the seed, never on how shots are scheduled on cores.
package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"born/circuit"
)

// State is what the runner needs from an engine's quantum state. S is the
// engine's own state type, so that Clone returns it without conversion;
// *statevector.State implements State[*statevector.State].
type State[S any] interface {
	NumQubits() int
	// Apply applies matrix m (circuit's convention, bit j of its index is
	// targets[j]) where controls have the values in ctrlState; with no
	// targets m is a 1x1 phase.
	Apply(m circuit.Matrix, targets, controls []int, ctrlState uint64)
	// Measure measures qubit q, collapses the state and returns the
	// outcome; u, uniform in [0, 1), picks it (0 when u < P(0)).
	Measure(q int, u float64) int
	// Project projects qubit q onto outcome, renormalises, and returns the
	// probability the outcome had (leaving the state as is if it is 0).
	Project(q, outcome int) float64
	Clone() S
	// Probabilities returns the probability of every basis state.
	Probabilities() []float64
	// Sample draws shots basis states (bit q of a result is qubit q).
	Sample(shots int, rng *rand.Rand) []uint64
}

// copier is implemented by states that can overwrite themselves with
// another state's contents, reusing their memory (statevector does).
type copier[S any] interface{ CopyFrom(S) }

var matX = circuit.Matrix{0, 1, 1, 0}

// program is a lowered circuit with its matrices evaluated.
type program struct {
	*plan
	mats []circuit.Matrix
}

func compile(l *circuit.Lowered, vals []float64) (*program, error) {
	if len(vals) != l.NumSymbols {
		return nil, fmt.Errorf("sim: the circuit has %d parameters, %d values given", l.NumSymbols, len(vals))
	}
	if l.NumClbits > 64 {
		return nil, fmt.Errorf("sim: %d classical bits; at most 64 are supported", l.NumClbits)
	}
	pr := &program{plan: analyze(l), mats: make([]circuit.Matrix, len(l.Instrs))}
	for i := range l.Instrs {
		in := &l.Instrs[i]
		if in.Kind != circuit.IUnitary {
			continue
		}
		m := in.Matrix(vals)
		for _, z := range m {
			if math.IsNaN(real(z)) || math.IsNaN(imag(z)) || math.IsInf(real(z), 0) || math.IsInf(imag(z), 0) {
				return nil, fmt.Errorf("sim: instruction %d (op %d): matrix is not finite for these parameter values", i, in.Op)
			}
		}
		pr.mats[i] = m
	}
	return pr, nil
}

func holds(conds []circuit.Condition, cbits []bool) bool {
	for _, c := range conds {
		if !c.Holds(cbits) {
			return false
		}
	}
	return true
}

func pack(cbits []bool) uint64 {
	var v uint64
	for i, b := range cbits {
		if b {
			v |= 1 << uint(i)
		}
	}
	return v
}

// run executes instructions [from, to) of pr on st, drawing measurement
// outcomes from rng and recording them in cbits. Resets of qubits in |0>
// are skipped; so are deferred and skipped measurements when deferMeasure
// is set (the caller then reads them off the final state).
func run[S State[S]](pr *program, st S, from, to int, cbits []bool, rng *rand.Rand, deferMeasure bool) {
	for i := from; i < to; i++ {
		in := &pr.l.Instrs[i]
		if pr.skip[i] && in.Kind == circuit.IReset {
			continue
		}
		if deferMeasure && in.Kind == circuit.IMeasure && (pr.skip[i] || pr.deferred[i]) {
			continue
		}
		if !holds(in.Cond, cbits) {
			continue
		}
		switch in.Kind {
		case circuit.IUnitary:
			st.Apply(pr.mats[i], in.Targets, in.Controls, in.CtrlState)
		case circuit.IMeasure:
			cbits[in.Clbit] = st.Measure(in.Targets[0], rng.Float64()) == 1
		case circuit.IReset:
			if st.Measure(in.Targets[0], rng.Float64()) == 1 {
				st.Apply(matX, in.Targets[:1], nil, 0)
			}
		}
	}
}

func checkQubits(n int, l *circuit.Lowered) error {
	if n != l.NumQubits {
		return fmt.Errorf("sim: state has %d qubits, circuit has %d", n, l.NumQubits)
	}
	return nil
}

// Run executes one shot of l with symbol values vals on st, in place, and
// returns the classical bits (bit b is the circuit's classical bit b).
// Measurements and resets draw one rng.Float64 each, in circuit order (rng
// may be nil for a circuit without them).
func Run[S State[S]](st S, l *circuit.Lowered, vals []float64, rng *rand.Rand) ([]bool, error) {
	if err := checkQubits(st.NumQubits(), l); err != nil {
		return nil, err
	}
	pr, err := compile(l, vals)
	if err != nil {
		return nil, err
	}
	cbits := make([]bool, l.NumClbits)
	run(pr, st, 0, len(l.Instrs), cbits, rng, false)
	return cbits, nil
}

// Evolve applies the pure circuit l to st. It returns an error if l
// measures, resets or has classically conditioned operations.
func Evolve[S State[S]](st S, l *circuit.Lowered, vals []float64) error {
	if !l.IsPure() {
		return fmt.Errorf("sim: the circuit measures, resets or branches; it has no single final state")
	}
	_, err := Run(st, l, vals, nil)
	return err
}

// sampleSeedStream is the PCG stream Counts uses when it samples one final
// state instead of running shots.
const sampleSeedStream = 0x5a4d504c45 // "SMPLE"

// shotStream returns the second PCG seed word of shot i (a splitmix64 mix of
// i, so that neighbouring shots get unrelated streams).
func shotStream(i uint64) uint64 {
	z := i + 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// ParallelMaxQubits is the largest circuit whose shots Counts runs on
// several goroutines (each holds its own copy of the state).
var ParallelMaxQubits = 22

// Counts runs shots shots of l with symbol values vals on states made by
// newState and returns how often each value of the classical register
// occurred (bit b of a key is classical bit b; bits no measurement writes
// are 0).
//
// When every measurement is terminal (see TerminalMeasurements) it
// simulates once and samples the final state. Otherwise it simulates the
// deterministic prefix of the circuit once and runs the rest shot by shot,
// shot i drawing from PCG(seed, mix(i)); shots run on up to GOMAXPROCS
// goroutines for circuits of at most ParallelMaxQubits qubits, each
// holding a copy of the prefix state. The result depends only on the
// arguments, not on the number of goroutines.
func Counts[S State[S]](newState func(n int) (S, error), l *circuit.Lowered, vals []float64, shots int, seed uint64) (map[uint64]int, error) {
	if shots < 0 {
		return nil, fmt.Errorf("sim: negative number of shots %d", shots)
	}
	pr, err := compile(l, vals)
	if err != nil {
		return nil, err
	}
	st, err := newState(l.NumQubits)
	if err != nil {
		return nil, err
	}
	if err := checkQubits(st.NumQubits(), l); err != nil {
		return nil, err
	}
	counts := map[uint64]int{}
	if shots == 0 {
		return counts, nil
	}
	if pr.sampled {
		// Only unitaries remain once terminal measurements are deferred.
		run(pr, st, 0, len(l.Instrs), nil, nil, true)
		rng := rand.New(rand.NewPCG(seed, sampleSeedStream))
		g := newGather(l.NumQubits, pr.final)
		samples := st.Sample(shots, rng)
		if l.NumClbits <= denseClbits {
			dense := make([]int, 1<<uint(l.NumClbits))
			for _, x := range samples {
				dense[g.gather(x)]++
			}
			for k, v := range dense {
				if v > 0 {
					counts[uint64(k)] = v
				}
			}
		} else {
			for _, x := range samples {
				counts[g.gather(x)]++
			}
		}
		return counts, nil
	}
	run(pr, st, 0, pr.prefix, nil, nil, false) // the deterministic prefix
	if shots == 1 {
		// Run in place: no copy of the prefix state needed.
		cbits := make([]bool, l.NumClbits)
		rng := rand.New(rand.NewPCG(seed, shotStream(0)))
		run(pr, st, pr.prefix, len(l.Instrs), cbits, rng, false)
		counts[pack(cbits)] = 1
		return counts, nil
	}
	workers := 1
	if st.NumQubits() <= ParallelMaxQubits {
		workers = min(runtime.GOMAXPROCS(0), max(1, shots/64))
	}
	return shotByShot(pr, st, shots, seed, workers), nil
}

// denseClbits is the largest register Counts tallies in a slice.
const denseClbits = 20

// shotByShot runs shots from the prefix state pre (instructions before
// pr.prefix already applied) on workers goroutines; shot i always draws
// from PCG(seed, shotStream(i)), so the result does not depend on workers.
func shotByShot[S State[S]](pr *program, pre S, shots int, seed uint64, workers int) map[uint64]int {
	partial := make([]map[uint64]int, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts := map[uint64]int{}
			cbits := make([]bool, pr.l.NumClbits)
			pcg := rand.NewPCG(0, 0)
			rng := rand.New(pcg)
			work := pre.Clone()
			cp, canCopy := any(work).(copier[S])
			for shot := w; shot < shots; shot += workers {
				if shot != w {
					if canCopy {
						cp.CopyFrom(pre)
					} else {
						work = pre.Clone()
					}
				}
				clear(cbits)
				pcg.Seed(seed, shotStream(uint64(shot)))
				run(pr, work, pr.prefix, len(pr.l.Instrs), cbits, rng, false)
				counts[pack(cbits)]++
			}
			partial[w] = counts
		}()
	}
	wg.Wait()
	out := partial[0]
	for _, m := range partial[1:] {
		for k, v := range m {
			out[k] += v
		}
	}
	return out
}
