// Package sim runs lowered circuits (circuit.Lowered) on any engine that
// implements State: single shots, histograms of many shots, and exact
// outcome distributions. Gates are applied one at a time, except that a
// state that can run a whole pure circuit at once (statevector, which fuses
// it into a Program) runs the deterministic unitary part that way: the
// whole circuit when its measurements are terminal, else the gates before
// the first measurement.
//
// Randomness comes from math/rand/v2's PCG seeded by the caller. Counts
// derives each shot's random stream from (seed, shot index), so its result
// depends only on the seed, never on how shots are scheduled on cores.
package sim

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"

	"born/circuit"
	"born/internal/bitgather"
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

// programRunner is implemented by states that apply a whole pure circuit
// faster than gate by gate: statevector compiles it into a fused Program.
// The runner uses it for the unitary stretches it knows to be
// deterministic (the prefix before the first measurement, or the whole
// circuit when its measurements are read off the final state); other
// engines take the gate-by-gate path.
type programRunner interface {
	RunLowered(l *circuit.Lowered, vals []float64) error
}

// runUnitaries applies the unitaries among instructions [0, to) of pr to
// st: every other instruction there must be one that the caller skips (a
// skipped reset, or a measurement read off the final state), and none may
// be conditioned. A state that implements programRunner runs them as one
// circuit; any other state runs them gate by gate.
func runUnitaries[S State[S]](pr *program, st S, vals []float64, to int) error {
	pr.unitaries = pr.unitaries[:0]
	for i := range to {
		if pr.l.Instrs[i].Kind == circuit.IUnitary {
			pr.unitaries = append(pr.unitaries, i)
		}
	}
	if r, ok := any(st).(programRunner); ok && len(pr.unitaries) > 1 {
		sub := &circuit.Lowered{NumQubits: pr.l.NumQubits, NumSymbols: pr.l.NumSymbols,
			Instrs: make([]circuit.Instr, len(pr.unitaries))}
		for j, i := range pr.unitaries {
			sub.Instrs[j] = pr.l.Instrs[i]
		}
		return r.RunLowered(sub, vals)
	}
	for _, i := range pr.unitaries {
		in := &pr.l.Instrs[i]
		st.Apply(pr.mats[i], in.Targets, in.Controls, in.CtrlState)
	}
	return nil
}

var matX = circuit.Matrix{0, 1, 1, 0}

// program is a lowered circuit with its matrices evaluated.
type program struct {
	*plan
	mats      []circuit.Matrix
	unitaries []int // scratch for runUnitaries
}

func compile(l *circuit.Lowered, vals []float64) (*program, error) {
	if len(vals) != l.NumSymbols {
		return nil, fmt.Errorf("sim: the circuit has %d parameters, %d values given", l.NumSymbols, len(vals))
	}
	pr := &program{plan: analyze(l), mats: make([]circuit.Matrix, len(l.Instrs))}
	for i := range l.Instrs {
		in := &l.Instrs[i]
		if in.Kind != circuit.IUnitary {
			continue
		}
		m := in.Matrix(vals)
		if !circuit.IsFinite(m) {
			return nil, fmt.Errorf("sim: instruction %d (op %d): matrix is not finite for these parameter values", i, in.Op)
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
// are skipped.
func run[S State[S]](pr *program, st S, from, to int, cbits []bool, rng *rand.Rand) {
	for i := from; i < to; i++ {
		in := &pr.l.Instrs[i]
		if pr.skip[i] && in.Kind == circuit.IReset {
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
	if err := runUnitaries(pr, st, vals, pr.prefix); err != nil {
		return nil, err
	}
	run(pr, st, pr.prefix, len(l.Instrs), cbits, rng)
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
// are 0). It needs at most 64 classical bits; Shots has no limit.
//
// When every measurement is terminal (see TerminalMeasurements) it
// simulates once and samples the final state. Otherwise it simulates the
// deterministic prefix of the circuit once and runs the rest shot by shot,
// shot i drawing from PCG(seed, mix(i)); shots run on up to GOMAXPROCS
// goroutines for circuits of at most ParallelMaxQubits qubits, each
// holding a copy of the prefix state. The result depends only on the
// arguments, not on the number of goroutines.
func Counts[S State[S]](newState func(n int) (S, error), l *circuit.Lowered, vals []float64, shots int, seed uint64) (map[uint64]int, error) {
	if l.NumClbits > 64 {
		return nil, fmt.Errorf("sim: %d classical bits; Counts handles at most 64 (use Shots)", l.NumClbits)
	}
	counts := map[uint64]int{}
	sampled := func(st S, pr *program, rng *rand.Rand) error {
		if l.NumQubits > 64 {
			return fmt.Errorf("sim: sampling %d qubits needs Shots", l.NumQubits)
		}
		g := bitgather.New(l.NumQubits, pr.final)
		samples := st.Sample(shots, rng)
		if l.NumClbits <= denseClbits {
			dense := make([]int, 1<<uint(l.NumClbits))
			for _, x := range samples {
				dense[g.Of(x)]++
			}
			for k, v := range dense {
				if v > 0 {
					counts[uint64(k)] = v
				}
			}
		} else {
			for _, x := range samples {
				counts[g.Of(x)]++
			}
		}
		return nil
	}
	err := shots0(newState, l, vals, shots, seed, nil, sampled, pack, counts)
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// WideSampler is implemented by states of more than 64 qubits that can be
// sampled: bit q of a sample is bit q%64 of word q/64.
type WideSampler interface {
	SampleWords(shots int, rng *rand.Rand) [][]uint64
}

// Options adjusts Shots.
type Options[S any] struct {
	// Observe, if set, is called with every final state: once when the
	// circuit is sampled from one final state, and after every shot when it
	// runs shot by shot (calls are serialized, in no particular order). An
	// engine that truncates can report its accounting from here.
	Observe func(S)
}

// Shots is Counts for classical registers of any width. A key is the
// classical bits as a string of '0' and '1', most significant first:
// bit m-1 leftmost, bit 0 rightmost. Sampling a final state of more than 64
// qubits needs a state that implements WideSampler.
func Shots[S State[S]](newState func(n int) (S, error), l *circuit.Lowered, vals []float64, shots int, seed uint64, opts *Options[S]) (map[string]int, error) {
	counts := map[string]int{}
	m := l.NumClbits
	key := func(cbits []bool) string {
		b := make([]byte, m)
		for i, v := range cbits {
			b[m-1-i] = '0'
			if v {
				b[m-1-i] = '1'
			}
		}
		return string(b)
	}
	sampled := func(st S, pr *program, rng *rand.Rand) error {
		cbits := make([]bool, m)
		if l.NumQubits <= 64 {
			for _, x := range st.Sample(shots, rng) {
				for c, q := range pr.final {
					cbits[c] = q >= 0 && x>>uint(q)&1 == 1
				}
				counts[key(cbits)]++
			}
			return nil
		}
		ws, ok := any(st).(WideSampler)
		if !ok {
			return fmt.Errorf("sim: this engine cannot sample %d qubits", l.NumQubits)
		}
		for _, x := range ws.SampleWords(shots, rng) {
			for c, q := range pr.final {
				cbits[c] = q >= 0 && x[q/64]>>uint(q%64)&1 == 1
			}
			counts[key(cbits)]++
		}
		return nil
	}
	var observe func(S)
	if opts != nil {
		observe = opts.Observe
	}
	if err := shots0(newState, l, vals, shots, seed, observe, sampled, key, counts); err != nil {
		return nil, err
	}
	return counts, nil
}

// shots0 is the common part of Counts and Shots: it compiles l, builds the
// state, and either evolves it once and calls sampled, or runs shot by shot
// tallying key(cbits) into counts.
func shots0[S State[S], K comparable](newState func(n int) (S, error), l *circuit.Lowered, vals []float64, shots int, seed uint64,
	observe func(S), sampled func(S, *program, *rand.Rand) error, key func([]bool) K, counts map[K]int) error {
	if shots < 0 {
		return fmt.Errorf("sim: negative number of shots %d", shots)
	}
	pr, err := compile(l, vals)
	if err != nil {
		return err
	}
	st, err := newState(l.NumQubits)
	if err != nil {
		return err
	}
	if err := checkQubits(st.NumQubits(), l); err != nil {
		return err
	}
	if shots == 0 {
		return nil
	}
	if pr.sampled {
		// Only unitaries remain once terminal measurements are deferred.
		if err := runUnitaries(pr, st, vals, len(l.Instrs)); err != nil {
			return err
		}
		if observe != nil {
			observe(st)
		}
		return sampled(st, pr, rand.New(rand.NewPCG(seed, sampleSeedStream)))
	}
	if err := runUnitaries(pr, st, vals, pr.prefix); err != nil { // the deterministic prefix
		return err
	}
	if shots == 1 {
		// Run in place: no copy of the prefix state needed.
		cbits := make([]bool, l.NumClbits)
		rng := rand.New(rand.NewPCG(seed, shotStream(0)))
		run(pr, st, pr.prefix, len(l.Instrs), cbits, rng)
		if observe != nil {
			observe(st)
		}
		counts[key(cbits)] = 1
		return nil
	}
	workers := 1
	if st.NumQubits() <= ParallelMaxQubits {
		workers = min(runtime.GOMAXPROCS(0), max(1, shots/64))
	}
	shotByShot(pr, st, shots, seed, workers, key, observe, counts)
	return nil
}

// denseClbits is the largest register Counts tallies in a slice.
const denseClbits = 20

// shotByShot runs shots from the prefix state pre (instructions before
// pr.prefix already applied) on workers goroutines and adds key(cbits) of
// every shot to counts; shot i always draws from PCG(seed, shotStream(i)),
// so the result does not depend on workers.
func shotByShot[S State[S], K comparable](pr *program, pre S, shots int, seed uint64, workers int, key func([]bool) K, observe func(S), counts map[K]int) {
	partial := make([]map[K]int, workers)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			part := map[K]int{}
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
				run(pr, work, pr.prefix, len(pr.l.Instrs), cbits, rng)
				if observe != nil {
					mu.Lock()
					observe(work)
					mu.Unlock()
				}
				part[key(cbits)]++
			}
			partial[w] = part
		}()
	}
	wg.Wait()
	for _, m := range partial {
		for k, v := range m {
			counts[k] += v
		}
	}
}
