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
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"born/circuit"
	"born/internal/bitgather"
	"born/internal/multinomial"
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
		sub := &circuit.Lowered{NumQubits: pr.l.NumQubits, NumSymbols: pr.l.NumSymbols}
		if len(pr.unitaries) == to {
			// All unitary (a circuit measured at its end): run them in
			// place; a copy of 2^22 instructions took 4 s and 700 MB.
			sub.Instrs = pr.l.Instrs[:to:to]
		} else {
			sub.Instrs = make([]circuit.Instr, len(pr.unitaries))
			for j, i := range pr.unitaries {
				sub.Instrs[j] = pr.l.Instrs[i]
			}
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

// MaxShots is the largest number of shots Counts and Shots take: counts are
// drawn as binomial variates, exact up to 2^53.
const MaxShots = multinomial.MaxCount

// MaxOutcomes bounds the number of distinct outcomes Counts and Shots
// return (every outcome of 24 measured bits, a histogram of about 1 GB):
// one with more could hardly be held, let alone printed.
var MaxOutcomes = 1 << 24

// MaxShotByShot is the largest number of shots run one at a time, on a
// circuit whose mid-circuit measurements have too many outcomes to be
// enumerated (see Counts).
const MaxShotByShot = 1 << 30

// exactMinShots is the number of shots from which Counts enumerates the
// outcomes of mid-circuit measurements instead of running shot by shot,
// when the circuit has at most exactMaxQubits qubits and at most
// exactBranches of them.
const (
	exactMinShots  = 1 << 16
	exactMaxQubits = 16
)

// exactBranches is the number of branches Counts enumerates on n qubits
// before it falls back to running shot by shot: at most 2^20 amplitudes in
// all, so that a failed attempt costs little.
func exactBranches(n int) int { return 1 << uint(max(0, 20-n)) }

// Counts runs shots shots of l with symbol values vals on states made by
// newState and returns how often each value of the classical register
// occurred (bit b of a key is classical bit b; bits no measurement writes
// are 0). It needs at most 64 classical bits.
//
// No shot is stored: the result is a histogram drawn as such. When every
// measurement is terminal (see TerminalMeasurements) it simulates once and
// draws the counts of the measured qubits as one multinomial variate over
// their final distribution (an engine that can do so draws them without
// that distribution: the MPS engine walks the tree of outcome prefixes).
// Otherwise, with many shots and few mid-circuit outcomes it enumerates
// them (as Exact does) and draws one multinomial variate over the exact
// distribution of the classical bits; else it simulates the deterministic
// prefix of the circuit once and runs the rest shot by shot, shot i drawing
// from PCG(seed, mix(i)), on up to GOMAXPROCS goroutines for circuits of at
// most ParallelMaxQubits qubits, each holding a copy of the prefix state.
// The result depends only on the arguments, not on the number of
// goroutines. It returns an error for more than MaxShots shots, more than
// MaxShotByShot shots run one at a time, or more than MaxOutcomes distinct
// outcomes.
func Counts[S State[S]](newState func(n int) (S, error), l *circuit.Lowered, vals []float64, shots int, seed uint64) (map[uint64]int, error) {
	if l.NumClbits > 64 {
		return nil, fmt.Errorf("sim: %d classical bits; Counts handles at most 64 (use Shots)", l.NumClbits)
	}
	return shots0(newState, l, vals, shots, seed, nil, pack)
}

// WideSampler is implemented by states of more than 64 qubits that can be
// sampled: bit q of a sample is bit q%64 of word q/64.
type WideSampler interface {
	SampleWords(shots int, rng *rand.Rand) [][]uint64
}

// Counter is implemented by states that draw the histogram of many exact
// samples without storing them (the MPS engine does): visit(x, count) for
// every distinct outcome, x holding qubit q in bit q%64 of word q/64.
type Counter interface {
	SampleCounts(shots int64, rng *rand.Rand, visit func(x []uint64, count int64))
}

// marginaler is implemented by states that return the distribution of a
// few qubits (statevector and mps do): entry x is the probability that
// qubits[i] reads bit i of x.
type marginaler interface {
	Marginal(qubits []int) []float64
}

// Options adjusts Shots.
type Options[S any] struct {
	// Observe, if set, is called with every final state: once when the
	// circuit is sampled from one final state, once per branch when the
	// outcomes of mid-circuit measurements are enumerated, and after every
	// shot when it runs shot by shot (calls are serialized, in no
	// particular order). An engine that truncates can report its
	// accounting from here.
	Observe func(S)
}

// Shots is Counts for classical registers of any width. A key is the
// classical bits as a string of '0' and '1', most significant first:
// bit m-1 leftmost, bit 0 rightmost. Sampling a final state of more than 64
// qubits needs a state that implements Counter or WideSampler.
func Shots[S State[S]](newState func(n int) (S, error), l *circuit.Lowered, vals []float64, shots int, seed uint64, opts *Options[S]) (map[string]int, error) {
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
	var observe func(S)
	if opts != nil {
		observe = opts.Observe
	}
	return shots0(newState, l, vals, shots, seed, observe, key)
}

// outcomeError reports a histogram of more than MaxOutcomes outcomes.
func outcomeError() error {
	return fmt.Errorf("sim: the counts have more than %d distinct outcomes; take fewer shots, or compute the exact distribution", MaxOutcomes)
}

// tally adds count to counts[key(cbits)], refusing a new key past
// MaxOutcomes.
func tally[K comparable](counts map[K]int, key func([]bool) K, cbits []bool, count int64) error {
	k := key(cbits)
	if _, ok := counts[k]; !ok && len(counts) >= MaxOutcomes {
		return outcomeError()
	}
	counts[k] += int(count)
	return nil
}

// drawFinal draws the classical bits of shots samples of the final state
// st, whose deferred measurements pr.final reads, and tallies them. It
// takes the cheapest exact way the state offers: a multinomial variate
// over the marginal of the measured qubits (unless storing the shots costs
// less memory), a Counter's tree walk, or stored samples.
func drawFinal[S State[S], K comparable](st S, pr *program, shots int, rng *rand.Rand, key func([]bool) K) (map[K]int, error) {
	counts := map[K]int{}
	nq := pr.l.NumQubits
	cbits := make([]bool, pr.l.NumClbits)
	// The measured qubits, in order of first use, and each bit's place
	// among them.
	var qs []int
	place := make([]int, len(pr.final))
	at := map[int]int{}
	for c, q := range pr.final {
		place[c] = -1
		if q < 0 {
			continue
		}
		j, ok := at[q]
		if !ok {
			j = len(qs)
			at[q] = j
			qs = append(qs, q)
		}
		place[c] = j
	}
	if ctr, ok := any(st).(Counter); ok {
		var err error
		ctr.SampleCounts(int64(shots), rng, func(x []uint64, count int64) {
			if err != nil {
				return
			}
			for c, q := range pr.final {
				cbits[c] = q >= 0 && x[q/64]>>uint(q%64)&1 == 1
			}
			err = tally(counts, key, cbits, count)
		})
		return counts, err
	}
	const maxMarginal = 30
	mg, canMarginal := any(st).(marginaler)
	if len(qs) <= maxMarginal && (canMarginal || nq <= maxMarginal) && uint64(shots)*2 > uint64(1)<<uint(len(qs)) {
		var w []float64
		if canMarginal {
			w = mg.Marginal(qs)
		} else {
			g := bitgather.New(nq, qs)
			w = make([]float64, 1<<uint(len(qs)))
			for i, p := range st.Probabilities() {
				w[g.Of(uint64(i))] += p
			}
		}
		nonzero := 0
		for _, p := range w {
			if p > 0 {
				nonzero++
			}
		}
		counts = make(map[K]int, min(nonzero, shots, MaxOutcomes))
		var err error
		derr := multinomial.Draw(rng, int64(shots), w, func(x int, count int64) {
			if err != nil {
				return
			}
			for c, j := range place {
				cbits[c] = j >= 0 && x>>uint(j)&1 == 1
			}
			err = tally(counts, key, cbits, count)
		})
		if derr != nil {
			return nil, fmt.Errorf("sim: %v", derr)
		}
		return counts, err
	}
	if shots > maxStoredShots {
		return nil, fmt.Errorf("sim: %d shots of %d measured qubits: this engine stores each shot and takes at most %d", shots, len(qs), maxStoredShots)
	}
	if nq <= 64 {
		for _, x := range st.Sample(shots, rng) {
			for c, q := range pr.final {
				cbits[c] = q >= 0 && x>>uint(q)&1 == 1
			}
			if err := tally(counts, key, cbits, 1); err != nil {
				return nil, err
			}
		}
		return counts, nil
	}
	ws, ok := any(st).(WideSampler)
	if !ok {
		return nil, fmt.Errorf("sim: this engine cannot sample %d qubits", nq)
	}
	for _, x := range ws.SampleWords(shots, rng) {
		for c, q := range pr.final {
			cbits[c] = q >= 0 && x[q/64]>>uint(q%64)&1 == 1
		}
		if err := tally(counts, key, cbits, 1); err != nil {
			return nil, err
		}
	}
	return counts, nil
}

// maxStoredShots is the most shots drawn one by one from a final state of
// an engine that offers no other way.
const maxStoredShots = 1 << 24

// shots0 is the common part of Counts and Shots: it compiles l, builds the
// state, and either evolves it once and draws from its final state,
// enumerates the outcomes of its mid-circuit measurements, or runs shot by
// shot, tallying key(cbits) into counts.
func shots0[S State[S], K comparable](newState func(n int) (S, error), l *circuit.Lowered, vals []float64, shots int, seed uint64,
	observe func(S), key func([]bool) K) (map[K]int, error) {
	if shots < 0 {
		return nil, fmt.Errorf("sim: negative number of shots %d", shots)
	}
	if shots > MaxShots {
		return nil, fmt.Errorf("sim: %d shots; at most 2^53 = %d", shots, MaxShots)
	}
	pr, err := compile(l, vals)
	if err != nil {
		return nil, err
	}
	if !pr.sampled && shots >= exactMinShots && l.NumQubits <= exactMaxQubits && l.NumClbits <= 64 {
		counts, ok, err := exactCounts(newState, pr, vals, shots, seed, observe, key)
		if ok || err != nil {
			return counts, err
		}
	}
	st, err := newState(l.NumQubits)
	if err != nil {
		return nil, err
	}
	if err := checkQubits(st.NumQubits(), l); err != nil {
		return nil, err
	}
	counts := map[K]int{}
	if shots == 0 {
		return counts, nil
	}
	if pr.sampled {
		// Only unitaries remain once terminal measurements are deferred.
		if err := runUnitaries(pr, st, vals, len(l.Instrs)); err != nil {
			return nil, err
		}
		if observe != nil {
			observe(st)
		}
		return drawFinal(st, pr, shots, rand.New(rand.NewPCG(seed, sampleSeedStream)), key)
	}
	if shots > MaxShotByShot {
		return nil, fmt.Errorf("sim: %d shots: this circuit's mid-circuit measurements have too many outcomes to enumerate, so its shots run one at a time; at most %d", shots, MaxShotByShot)
	}
	if err := runUnitaries(pr, st, vals, pr.prefix); err != nil { // the deterministic prefix
		return nil, err
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
		return counts, nil
	}
	workers := 1
	if st.NumQubits() <= ParallelMaxQubits {
		workers = min(runtime.GOMAXPROCS(0), max(1, shots/64))
	}
	shotByShot(pr, st, shots, seed, workers, key, observe, counts)
	if len(counts) > MaxOutcomes {
		return nil, outcomeError()
	}
	return counts, nil
}

// exactStream is the PCG stream of the multinomial draw over an exact
// distribution of the classical bits.
const exactStream = 0x4558414354 // "EXACT"

// exactCounts enumerates the outcomes of the mid-circuit measurements of
// pr (at most exactBranches final branches) and draws the shots' counts
// as one multinomial variate over the exact distribution of the classical
// bits. It reports false, with nothing drawn, when there are more branches.
func exactCounts[S State[S], K comparable](newState func(n int) (S, error), pr *program, vals []float64, shots int, seed uint64,
	observe func(S), key func([]bool) K) (map[K]int, bool, error) {
	dist, _, err := ExactObserve(newState, pr.l, vals, exactBranches(pr.l.NumQubits), observe)
	var be *BranchError
	if errors.As(err, &be) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	counts := make(map[K]int, min(len(dist), MaxOutcomes))
	keys := make([]uint64, 0, len(dist))
	for k := range dist {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w := make([]float64, len(keys))
	for i, k := range keys {
		w[i] = dist[k]
	}
	cbits := make([]bool, pr.l.NumClbits)
	var terr error
	rng := rand.New(rand.NewPCG(seed, exactStream))
	if err := multinomial.Draw(rng, int64(shots), w, func(i int, count int64) {
		if terr != nil {
			return
		}
		for c := range cbits {
			cbits[c] = keys[i]>>uint(c)&1 == 1
		}
		terr = tally(counts, key, cbits, count)
	}); err != nil {
		return nil, true, fmt.Errorf("sim: %v", err)
	}
	return counts, true, terr
}

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
