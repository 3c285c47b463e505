package statevector

import (
	"fmt"
	"math"
	"math/bits"
	"math/cmplx"
	"slices"
	"sync/atomic"

	"born/circuit"
)

// Program is a pure lowered circuit compiled for running many times: its
// gates are fused into blocks (see Compile), their matrices are evaluated
// for bound parameter values (Bind), and a state runs the whole program
// with Run. Rebinding recomputes only the blocks whose parameters changed,
// so a training loop that shifts one parameter at a time pays for one
// block.
//
// A Program is not safe for concurrent use; Clone it per goroutine (clones
// share the compiled structure).
type Program struct {
	l      *circuit.Lowered
	n      int
	fuseK  int
	blocks []fblock
	phases []int   // uncontrolled global-phase instructions
	bySym  [][]int // symbol -> blocks whose matrices use it
	phSyms []int   // symbols the global phases use

	vals   []float64
	bound  bool
	mats   [][]complex128 // per block: row-major matrix, or the diagonal
	ident  []bool         // the block's matrix is exactly the identity
	phase  complex128     // product of the global phases
	phaseB int            // block that absorbs the phase, or -1
	gen    uint64
	ver    []uint64 // per block: gen when its matrix was last computed

	p32 *compiled[float32]
	p64 *compiled[float64]

	col, gbuf, buf []complex128 // scratch for building matrices
	off, tb        []int
}

// MaxFuse is the largest fusion limit Compile accepts: the SIMD kernels
// apply dense blocks of up to this many qubits.
const MaxFuse = maxSIMDDense

// DefaultFuse returns the fusion limit that measured fastest on the
// reference machine (2 vCPUs, AMD Zen 5, AVX-512) for precision p: wider
// blocks save passes over memory but cost 2^K multiply-adds per amplitude.
//
// Cache blocking on qubit sets (planSets) runs the random circuit at n = 24
// in about 30 passes over the state whatever the limit, so the limit is
// chosen by the cost of the arithmetic. With the AVX-512 kernels it is 3
// (blocks that touch one of the 4 low qubits stop at 2; see Compile).
// Thread CPU time of one worker (the machine was under load 7-16, so CPU
// time rather than wall time), best of 6-8 runs, random circuit (20
// cycles) at n = 20: 29.1 ms single and 64.2 ms double at 3, 34.2-35.2 and
// 72.2-75.4 ms at 2. At limit 2, before the 3-qubit broadcast kernel:
// 38-41 ms single against 63-69 ms at 3 (every block up to 3 qubits),
// 83-92 against 118-133 ms double; n = 24 0.86-0.89 against 1.27-1.41 s
// single, 1.88-2.07 against 2.72 s double; QFT at n = 20 13.7 against
// 16.1 ms single, 36.1 against 37.0 ms double. With the AVX2 kernels
// (no broadcast kernel: 16 registers) and the portable ones the limit is 2
// (born bench --fuse K, K = 0..6, h, random, qft and qcbm circuits at
// n = 16, 20 and 24, portable kernels: geometric mean 1.21x/1.12x the
// per-circuit best in single and double; K = 3 1.22x/1.15x; K = 0
// 1.47x/1.69x), though QFT alone runs fastest unfused there (its
// controlled phases have a cheap dedicated kernel).
func DefaultFuse(p Precision) int {
	if fast3() {
		return 3
	}
	return 2
}

// Compile fuses the pure circuit l into blocks of at most maxFuse qubits
// (0 or less: no fusion, one block per gate as in Apply; diagonal gates
// fuse into diagonal blocks of up to max(maxFuse, 6) qubits). With the
// AVX-512 kernels at limit 3, a dense block that touches one of the 4
// lowest qubits stops at 2 unless a gate of its own is wider. Call Bind
// before running it.
func Compile(l *circuit.Lowered, maxFuse int) (*Program, error) {
	if !l.IsPure() {
		return nil, fmt.Errorf("statevector: the circuit measures, resets or branches; only pure circuits compile to a Program")
	}
	if l.NumQubits > MaxQubits {
		return nil, fmt.Errorf("statevector: %d qubits; at most %d are supported", l.NumQubits, MaxQubits)
	}
	if maxFuse > MaxFuse {
		return nil, fmt.Errorf("statevector: fusion limit %d exceeds %d qubits", maxFuse, MaxFuse)
	}
	maxDiag := 0
	if maxFuse > 0 {
		maxDiag = max(maxFuse, 6)
	}
	// With the AVX-512 kernels a 3-qubit block is fast only on high
	// qubits (above a single-precision vector's 4 lane bits: the broadcast
	// kernel, denseB in gen_kernels.go); one that touches a low qubit goes
	// to the general kernel at twice the cost. So at limit 3, blocks on a
	// low qubit stop at 2 qubits. The random circuit at n = 20 (20 cycles,
	// thread CPU time of one worker, best of 6-8): 29.1 ms single and 64.2
	// ms double, against 44.9 and 77.1 ms with every block up to 3 qubits
	// and 34.2-35.2 and 75.4 ms at limit 2.
	lowK := maxFuse
	if maxFuse == 3 && fast3() {
		lowK = 2
	}
	blocks, phases := fuse(l, maxFuse, maxDiag, 1<<uint(laneBits[float32]())-1, lowK)
	p := &Program{l: l, n: l.NumQubits, fuseK: max(0, maxFuse), blocks: blocks, phases: phases,
		bySym: make([][]int, l.NumSymbols), phaseB: -1}
	for b := range blocks {
		for _, s := range blocks[b].syms {
			p.bySym[s] = append(p.bySym[s], b)
		}
		if p.phaseB < 0 && !blocks[b].raw {
			p.phaseB = b
		}
	}
	p.phSyms = symbolsOf(l, phases)
	p.mats = make([][]complex128, len(blocks))
	p.ident = make([]bool, len(blocks))
	p.ver = make([]uint64, len(blocks))
	return p, nil
}

// NumQubits returns the number of qubits the program acts on.
func (p *Program) NumQubits() int { return p.n }

// NumGates returns the number of lowered gates in the program.
func (p *Program) NumGates() int { return len(p.l.Instrs) }

// NumOps returns the number of fused blocks a run applies (identity blocks
// included).
func (p *Program) NumOps() int { return len(p.blocks) }

// FuseLimit returns the fusion limit the program was compiled with.
func (p *Program) FuseLimit() int { return p.fuseK }

// Clone returns a copy of p that can be bound and run independently (on
// another goroutine); the compiled structure is shared.
func (p *Program) Clone() *Program {
	q := &Program{l: p.l, n: p.n, fuseK: p.fuseK, blocks: p.blocks, phases: p.phases, bySym: p.bySym,
		phSyms: p.phSyms, bound: p.bound, phase: p.phase, phaseB: p.phaseB, gen: p.gen}
	q.vals = append([]float64(nil), p.vals...)
	q.mats = make([][]complex128, len(p.mats))
	for i, m := range p.mats {
		q.mats[i] = append([]complex128(nil), m...)
	}
	q.ident = append([]bool(nil), p.ident...)
	q.ver = append([]uint64(nil), p.ver...)
	return q
}

// Bind evaluates the program's matrices for the symbol values vals (one per
// symbol of the circuit). Only blocks whose symbols changed since the last
// Bind are recomputed. It returns an error for a wrong number of values or
// a matrix that is not finite.
func (p *Program) Bind(vals []float64) error {
	if len(vals) != p.l.NumSymbols {
		return fmt.Errorf("statevector: the circuit has %d parameters, %d values given", p.l.NumSymbols, len(vals))
	}
	// p.ver[b] = 0 marks block b for rebuilding.
	all := !p.bound
	phaseDirty := all
	if !all {
		for s, v := range vals {
			if math.Float64bits(v) != math.Float64bits(p.vals[s]) {
				for _, b := range p.bySym[s] {
					p.ver[b] = 0
				}
				for _, t := range p.phSyms {
					phaseDirty = phaseDirty || t == s
				}
			}
		}
	}
	p.bound = false // until every matrix is good
	p.vals = append(p.vals[:0], vals...)
	if phaseDirty {
		ph := complex128(1)
		for _, i := range p.phases {
			ph *= p.l.Instrs[i].Matrix(vals)[0]
		}
		if cmplx.IsNaN(ph) || cmplx.IsInf(ph) {
			return fmt.Errorf("statevector: global phase is not finite for these parameter values")
		}
		if ph != p.phase && p.phaseB >= 0 {
			p.ver[p.phaseB] = 0
		}
		p.phase = ph
	}
	p.gen++
	for b := range p.blocks {
		if !all && p.ver[b] != 0 {
			continue
		}
		if err := p.build(b); err != nil {
			return err
		}
		p.ver[b] = p.gen
	}
	p.bound = true
	return nil
}

// build computes block b's matrix.
func (p *Program) build(b int) error {
	fb := &p.blocks[b]
	if fb.raw {
		in := &p.l.Instrs[fb.instrs[0]]
		m := in.Matrix(p.vals)
		if err := checkFinite(m, fb.instrs[0], in); err != nil {
			return err
		}
		k := len(in.Targets)
		if fb.diag || k == 0 {
			d := 1 << uint(k)
			out := grow(p.mats[b], d)
			for i := range d {
				out[i] = m[i*d+i]
			}
			p.mats[b] = out
		} else {
			p.mats[b] = append(p.mats[b][:0], m...)
		}
		p.ident[b] = isIdentity(p.mats[b], fb.diag || k == 0)
		return nil
	}
	d := 1 << uint(len(fb.qubits))
	if fb.diag {
		out := grow(p.mats[b], d)
		for i := range out {
			out[i] = 1
		}
		if err := p.applyBlock(fb, out); err != nil {
			return err
		}
		if b == p.phaseB {
			for x := range out {
				out[x] *= p.phase
			}
		}
		p.mats[b] = out
		p.ident[b] = isIdentity(out, true)
		return nil
	}
	// Dense: the columns of the block's matrix, each evolved from a basis
	// vector by the block's gates in order.
	p.col = grow(p.col, d*d)
	clear(p.col)
	for c := range d {
		p.col[c*d+c] = 1
	}
	if err := p.applyBlock(fb, p.col); err != nil {
		return err
	}
	out := grow(p.mats[b], d*d)
	ph := complex128(1)
	if b == p.phaseB {
		ph = p.phase
	}
	for r := range d {
		for c := range d {
			out[r*d+c] = p.col[c*d+r] * ph
		}
	}
	p.mats[b] = out
	p.ident[b] = isIdentity(out, false)
	return nil
}

// applyBlock applies the gates of block fb in order to v, a vector over the
// block's qubits (bit j is fb.qubits[j]) and possibly more bits above them:
// the diagonal of a diagonal block, or the columns of a dense block stored
// one after another (one vector of 2k qubits whose low k bits are the row),
// so that one call per gate serves all of them.
func (p *Program) applyBlock(fb *fblock, v []complex128) error {
	local := func(q int) int {
		for j, x := range fb.qubits {
			if x == q {
				return j
			}
		}
		panic("statevector: qubit outside its block")
	}
	for _, i := range fb.instrs {
		in := &p.l.Instrs[i]
		m := in.Matrix(p.vals)
		if err := checkFinite(m, i, in); err != nil {
			return err
		}
		t := len(in.Targets)
		dt := 1 << uint(t)
		g := []complex128(m)
		diag := in.Diagonal() || t == 0
		if diag {
			p.gbuf = grow(p.gbuf, dt)
			for s := range dt {
				p.gbuf[s] = m[s*dt+s]
			}
			g = p.gbuf
		}
		p.tb = p.tb[:0]
		for _, q := range in.Targets {
			p.tb = append(p.tb, local(q))
		}
		cm, cv := 0, 0
		for c, q := range in.Controls {
			cm |= 1 << uint(local(q))
			if in.CtrlState>>uint(c)&1 == 1 {
				cv |= 1 << uint(local(q))
			}
		}
		p.buf = grow(p.buf, dt)
		p.off = grow(p.off, dt)
		applyLocal(v, g, diag, p.tb, cm, cv, p.buf, p.off)
	}
	return nil
}

func checkFinite(m circuit.Matrix, i int, in *circuit.Instr) error {
	if !circuit.IsFinite(m) {
		return fmt.Errorf("statevector: instruction %d (op %d): matrix is not finite for these parameter values", i, in.Op)
	}
	return nil
}

func isIdentity(m []complex128, diag bool) bool {
	if diag {
		for _, v := range m {
			if v != 1 {
				return false
			}
		}
		return true
	}
	d := circuit.Matrix(m).Dim()
	for r := range d {
		for c := range d {
			want := complex128(0)
			if r == c {
				want = 1
			}
			if m[r*d+c] != want {
				return false
			}
		}
	}
	return true
}

// ChunkBytes is the size of the state chunks that runs of gates on low
// qubits are applied to one after another (cache blocking): about half of a
// core's L2 cache, so that a chunk stays there while all of the run's
// gates pass over it. 0 turns cache blocking off.
var ChunkBytes = 512 << 10

// compiled is a Program prepared for one storage type: its blocks as
// kernel ops and the stages they run in.
type compiled[T Float] struct {
	ops       []pop[T]
	ver       []uint64 // matrix version each op was prepared from
	stages    []stage
	chunkBits int  // qubits of a chunk, 0 when no stage is chunked
	sets      bool // chunked stages are qubit sets (assembly kernels)
	phaseOp   pop[T]
	phase     [1]complex128 // phaseOp's matrix
	jobs      []stageJob[T] // scratch, one per stage
}

// stage is a run of ops: applied one after another to the whole state, or,
// when chunked, all of them to each chunk of 2^chunkBits amplitudes in turn.
// A chunk is the set of amplitudes whose bits outside the stage's qubits
// (set) have given values; every op of the stage acts on qubits of set
// only. With the portable kernels set is the low chunkBits qubits and a
// chunk is contiguous; the assembly kernels take any set that contains the
// low qubits of a segment (see planSets).
type stage struct {
	ops     []int
	chunked bool
	set     uint64
}

// wantSets reports whether programs for storage type T are planned in
// qubit-set stages: the assembly kernels apply an op to a chunk that is
// not contiguous.
func wantSets[T Float]() bool { return useSIMD && asmFor[T]() != nil }

func compiledFor[T Float](p *Program) *compiled[T] {
	var z T
	var c *compiled[T]
	switch any(z).(type) {
	case float32:
		if p.p32 == nil || p.p32.sets != wantSets[float32]() {
			p.p32 = any(newCompiled[T](p)).(*compiled[float32])
		}
		c = any(p.p32).(*compiled[T])
	default:
		if p.p64 == nil || p.p64.sets != wantSets[float64]() {
			p.p64 = any(newCompiled[T](p)).(*compiled[float64])
		}
		c = any(p.p64).(*compiled[T])
	}
	return c
}

// segmentBytes is the least contiguous run of a chunk in a qubit-set stage
// (its low qubits are always in the set): long enough for the hardware
// prefetchers and DRAM pages. Tests make it small.
var segmentBytes = 8 << 10

func newCompiled[T Float](p *Program) *compiled[T] {
	c := &compiled[T]{ops: make([]pop[T], len(p.blocks)), ver: make([]uint64, len(p.blocks))}
	per := int(PrecisionOf[T]().BytesPerAmplitude())
	cb := 0
	if ChunkBytes > 0 {
		cb = bits.Len(uint(ChunkBytes/per)) - 1
	}
	switch {
	case cb >= laneBits[T]()+1 && p.n > cb && p.fuseK > 0 && wantSets[T]():
		c.chunkBits, c.sets = cb, true
		base := min(cb, max(laneBits[T](), bits.Len(uint(segmentBytes/per))-1))
		c.stages = planSets(p.blocks, p.n, cb, base, func(b int) bool {
			fb := &p.blocks[b]
			return fb.diag || len(fb.qubits) <= maxSIMDDense && (!fb.raw || len(p.l.Instrs[fb.instrs[0]].Targets) <= maxSIMDDense)
		})
	case cb >= laneBits[T]()+1 && p.n > cb && p.fuseK > 0:
		c.chunkBits = cb
		c.stages = planStages(p.blocks, cb)
	default:
		for b := range p.blocks {
			c.stages = append(c.stages, stage{ops: []int{b}})
		}
	}
	c.jobs = make([]stageJob[T], len(c.stages))
	return c
}

// planStages orders the blocks into stages. Scanning the blocks in order,
// it collects the low ones (all qubits below cb) into the current chunked
// stage as long as they commute with the high blocks held back so far
// (share no qubit with them); a low block that does not ends the stage,
// and the held-back high blocks follow it as stages of their own. Every
// block thus keeps its order relative to the blocks it shares qubits with.
func planStages(blocks []fblock, cb int) []stage {
	var out []stage
	var low []int
	var high []int
	var highMask uint64
	flush := func() {
		switch {
		case len(low) == 1:
			out = append(out, stage{ops: low})
		case len(low) > 1:
			out = append(out, stage{ops: low, chunked: true, set: 1<<uint(cb) - 1})
		}
		for _, b := range high {
			out = append(out, stage{ops: []int{b}})
		}
		low, high, highMask = nil, nil, 0
	}
	for b := range blocks {
		m := blocks[b].mask
		if m>>uint(cb) == 0 {
			if m&highMask != 0 {
				flush()
			}
			low = append(low, b)
		} else {
			high = append(high, b)
			highMask |= m
		}
	}
	flush()
	return out
}

// planSets orders the blocks into qubit-set stages: each stage is one pass
// over the state, in chunks of 2^cb amplitudes that share the values of the
// qubits outside the stage's set; the set holds the low base qubits (so a
// chunk is 2^(cb-base) contiguous segments) and up to cb-base others. A
// stage takes, in program order, every remaining block that is ready (no
// earlier remaining block it waits for shares a qubit with it, including
// ones left out of this stage) and whose qubits fit in the set, the set
// growing with them up to cb qubits. Which qubits it grows with decides how
// many blocks fit, so the planner looks ahead: it tries the plain scan and
// scans seeded with each of the first ready blocks' qubits, and keeps the
// stage that takes the most blocks. canChunk says which blocks the kernels
// can apply to a chunk; the others run as stages of their own.
func planSets(blocks []fblock, n, cb, base int, canChunk func(b int) bool) []stage {
	const seeds = 16
	all := uint64(1)<<uint(n) - 1
	baseMask := uint64(1)<<uint(base) - 1
	remaining := make([]int, len(blocks))
	for i := range remaining {
		remaining[i] = i
	}
	var out []stage
	var members, bestM []int
	scan := func(s0 uint64) (uint64, []int) {
		set, blocked := s0, uint64(0)
		members = members[:0]
		for _, b := range remaining {
			m := blocks[b].mask
			if m&blocked != 0 || !canChunk(b) {
				blocked |= m
				continue
			}
			if m&^set != 0 {
				if bits.OnesCount64(set|m) > cb {
					blocked |= m
					continue
				}
				set |= m
			}
			members = append(members, b)
		}
		return set, members
	}
	for len(remaining) > 0 {
		bestSet, bestN := uint64(0), -1
		try := func(s0 uint64) {
			if bits.OnesCount64(s0) > cb {
				return
			}
			set, m := scan(s0)
			if len(m) > bestN {
				bestSet, bestN = set, len(m)
				bestM = append(bestM[:0], m...)
			}
		}
		try(baseMask)
		var blocked uint64
		tried := 0
		for _, b := range remaining {
			m := blocks[b].mask
			if m&blocked == 0 && m&^baseMask != 0 && canChunk(b) {
				try(baseMask | m)
				if tried++; tried == seeds {
					break
				}
			}
			blocked |= m
		}
		if bestN <= 1 {
			// Nothing to share a pass with: the first remaining block runs
			// alone, split over the workers by its own groups.
			out = append(out, stage{ops: []int{remaining[0]}})
			remaining = remaining[1:]
			continue
		}
		// Fill the set up to cb qubits, lowest first: fewer, larger
		// chunks with longer contiguous runs.
		for q := 0; q < n && bits.OnesCount64(bestSet) < cb; q++ {
			bestSet |= 1 << uint(q)
		}
		out = append(out, stage{ops: slices.Clone(bestM), chunked: true, set: bestSet & all})
		in := map[int]bool{}
		for _, b := range bestM {
			in[b] = true
		}
		remaining = slices.DeleteFunc(remaining, func(b int) bool { return in[b] })
	}
	return out
}

// refresh re-prepares the ops whose matrices changed.
func (c *compiled[T]) refresh(p *Program) {
	lg := laneBits[T]()
	blockMask := (1<<uint(max(0, p.n-lg)) - 1)
	for _, st := range c.stages {
		nq, outer := p.n, 0
		if st.chunked && c.sets {
			outer = blockMask &^ int(st.set>>uint(lg))
		} else if st.chunked {
			nq = c.chunkBits
		}
		for _, b := range st.ops {
			if c.ver[b] == p.ver[b] {
				continue
			}
			fb := &p.blocks[b]
			op := &c.ops[b]
			op.outer = outer
			if fb.raw {
				in := &p.l.Instrs[fb.instrs[0]]
				op.prepare(nq, p.mats[b], fb.diag || len(in.Targets) == 0, in.Targets, in.Controls, in.CtrlState)
			} else {
				op.prepare(nq, p.mats[b], fb.diag, fb.qubits, nil, 0)
			}
			c.ver[b] = p.ver[b]
		}
	}
}

// stageJob applies a chunked stage's ops to chunks [from, to).
type stageJob[T Float] struct {
	d     []T
	ops   []*pop[T]
	chunk int // storage length of a contiguous chunk (portable kernels)
	outer int // qubit-set stages: block bits outside the set, spread over by the chunk index
	bs    int // storage length of a block
}

func (j *stageJob[T]) runRange(from, to int) {
	for c := from; c < to; c++ {
		var sub []T
		if j.outer != 0 {
			sub = j.d[deposit(c, ^j.outer)*j.bs:]
		} else {
			sub = j.d[c*j.chunk : (c+1)*j.chunk]
		}
		for _, op := range j.ops {
			op.kern(sub, op, 0, op.groups)
		}
	}
}

// Run applies the bound program p to s. It returns an error if p is not
// bound or acts on a different number of qubits.
func (s *Vector[T]) Run(p *Program) error {
	if !p.bound {
		return fmt.Errorf("statevector: Run of a program that is not bound (call Bind)")
	}
	if p.n != s.n {
		return fmt.Errorf("statevector: a %d-qubit program on a %d-qubit state", p.n, s.n)
	}
	c := compiledFor[T](p)
	c.refresh(p)
	w := s.Workers()
	for si, st := range c.stages {
		if !st.chunked {
			b := st.ops[0]
			if !p.ident[b] {
				s.ex.runOp(s.data, &c.ops[b], w)
			}
			continue
		}
		j := &c.jobs[si]
		j.d, j.chunk, j.bs, j.outer = s.data, storageLen[T](c.chunkBits), 2*lanes[T](), 0
		chunks := 1 << uint(s.n-c.chunkBits)
		if c.sets {
			lg := laneBits[T]()
			j.outer = (1<<uint(s.n-lg) - 1) &^ int(st.set>>uint(lg))
			chunks = 1 << uint(bits.OnesCount(uint(j.outer)))
		}
		j.ops = j.ops[:0]
		for _, b := range st.ops {
			if !p.ident[b] {
				j.ops = append(j.ops, &c.ops[b])
			}
		}
		parallel(j, chunks, w, 1, &s.ex.split)
		j.d = nil
	}
	if p.phaseB < 0 && p.phase != 1 {
		c.phase[0] = p.phase
		c.phaseOp.prepare(s.n, c.phase[:], true, nil, nil, 0)
		s.ex.runOp(s.data, &c.phaseOp, w)
	}
	return nil
}

// RunLowered applies the pure circuit l with symbol values vals to s,
// compiled into a Program fused to DefaultFuse(s.Precision()) qubits: the
// result of applying its gates one at a time with Apply up to rounding
// (fusion reorders the arithmetic), in far fewer passes over the state. It
// returns an error if l measures, resets or branches, acts on another
// number of qubits, or has a matrix that is not finite.
func (s *Vector[T]) RunLowered(l *circuit.Lowered, vals []float64) error {
	if l.NumQubits != s.n {
		return fmt.Errorf("statevector: a %d-qubit circuit on a %d-qubit state", l.NumQubits, s.n)
	}
	p, err := Compile(l, DefaultFuse(s.Precision()))
	if err != nil {
		return err
	}
	if err := p.Bind(vals); err != nil {
		return err
	}
	return s.Run(p)
}

// RunMany runs the pure program p from |0...0> once for each parameter
// vector in vals, on up to workers goroutines (0: GOMAXPROCS), each with its
// own state (run serially: parallelism across circuits) and its own copy of
// p, and calls f(i, s) with the final state of run i on the goroutine that
// ran it; f must copy what it keeps, as s is reused. Which goroutine runs
// which vector does not change any result. This is the shape of a
// parameter-shift gradient: 2P+1 runs of one circuit.
func RunMany[T Float](p *Program, vals [][]float64, workers int, f func(i int, s *Vector[T])) error {
	if workers <= 0 {
		workers = defaultWorkers()
	}
	workers = max(1, min(workers, len(vals)))
	var next atomic.Int64
	errs := make([]error, workers)
	done := make(chan struct{}, workers)
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			prog := p.Clone()
			st, err := NewVector[T](p.n)
			if err != nil {
				errs[w] = err
				return
			}
			st.SetWorkers(1)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(vals) {
					return
				}
				if err := prog.Bind(vals[i]); err != nil {
					errs[w] = fmt.Errorf("run %d: %w", i, err)
					return
				}
				st.Reset0()
				if err := st.Run(prog); err != nil {
					errs[w] = err
					return
				}
				f(i, st)
			}
		}()
	}
	for range workers {
		<-done
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Passes returns how many passes over the state a run of p makes in
// precision prec: one per op, except that the ops of a cache-blocked stage
// share one.
func (p *Program) Passes(prec Precision) int {
	if prec == Single {
		return len(compiledFor[float32](p).stages)
	}
	return len(compiledFor[float64](p).stages)
}
