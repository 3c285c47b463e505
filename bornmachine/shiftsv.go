package bornmachine

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"

	"born/circuit"
	"born/statevector"
)

// The parameter-shift gradient on the state vector.
//
// Every shifted circuit is the circuit with one gate block B replaced by
// B_s (the block with one parameter moved by a shift). Its final state is
// psi_s = S B_s phi, where phi is the state before the block (the common
// prefix, computed once by the forward pass and kept) and S the rest of the
// circuit (the common suffix). The gradient is computed as the shift rule
// says, from each shifted circuit's own probabilities
// p_s(x) = |psi_s(x)|^2: exactly, sum_x g(x) p_s(x), or from shots drawn
// from p_s, as hardware would. Two things are shared:
//
//   - the prefix: the forward pass keeps the state before every
//     parameterised block (or before every chunk of blocks, when the
//     states are large), so no shifted circuit reruns it;
//   - the suffix, by linearity: the shifted matrices of one block span a
//     small space. Uncontrolled, B_s = a_s B + sum_k beta_sk E_k with E_k
//     an orthonormal basis of the span of {B, B_s} beyond B, so
//     psi_s = a_s psi + sum_k beta_sk S E_k phi, with psi the circuit's
//     final state: one suffix run per E_k instead of one per shift term.
//     Controlled (B acts where the controls hold, the identity elsewhere),
//     the shift moves only the controlled part: with E_k an orthonormal
//     basis of the span of {B_s - B} and y_k the final state of the circuit
//     with B replaced by B + E_k, psi_s = psi + sum_k beta_sk (y_k - psi).
//     A rotation block Rz Rx Rz (three parameters, six shift terms) needs
//     three suffix runs, a single rotation one, a controlled rotation (four
//     terms) two. Uncontrolled, a parameter's shifted blocks
//     e^{-isG} B lie in the span of B and one matrix X_j (B with the
//     generator inserted at the parameter's gate), so with one run per
//     parameter, y_j = S X_j phi, psi_s = a_s psi + b_s y_j (planPerOcc).
//     Where sharing saves nothing the shifted circuits run one by one.
//
// Each shifted circuit's probabilities are then computed from its final
// state: sum_x g(x) |psi_s(x)|^2 in one pass over psi and the runs
// (statevector.ExpectDiagCombined), or shots drawn from psi_s formed by
// statevector.Combine. The shifted final states agree with separate runs
// of the shifted circuits to rounding (the tests check 1e-12 against
// running every shifted circuit from |0...0>).
//
// Work is split into chunks of consecutive blocks that workers take in
// order from a shared counter. A block's derivatives are computed by one
// worker with the same operations whichever worker it is, and the prefix
// state every worker rebuilds within a chunk is the forward pass's bit for
// bit, so the result does not depend on the number of workers or on the
// scheduling.

// svCheckpointBudget bounds the memory of the states the forward pass
// keeps: small states are kept before every parameterised block, large
// ones before every chunk of about equal cost (at least one per worker).
// (A variable so that tests can force chunks.)
var svCheckpointBudget = 256 << 20

// svRankBudget bounds the memory of the suffix images the workers hold
// together; beyond it, the shifted circuits run one by one (two states per
// worker).
const svRankBudget = 1 << 30

// spanTol is the relative residual below which a shifted matrix counts as
// lying in the span of the ones before it. Dropping such a residual changes
// a shifted state by at most spanTol times its norm.
const spanTol = 1e-13

// svShift is the workspace of the state-vector shift gradient for one
// program and worker count, reused from step to step.
type svShift struct {
	pr      *program
	workers int
	rank    bool     // share the suffix by linearity
	chunks  [][2]int // block ranges; chunk c starts from ckpts[c]
	ckpts   []*statevector.State
	psi     *statevector.State          // the circuit's final state
	gates   []statevector.Gate[float64] // the blocks, prepared anew at every forward
	ev      *evaluation                 // the evaluation forward ran at
	ws      []*svWorker
}

// svWorker is one worker's states and scratch.
type svWorker struct {
	pre   *statevector.State   // the prefix state, advanced block by block
	ys    []*statevector.State // suffix images (direct: ys[0] runs each shifted circuit)
	comb  *statevector.State   // a shifted circuit's final state, formed to sample it
	vecs  []*statevector.State // the combinations' inputs: psi, ys...
	gate  statevector.Gate[float64]
	plan  blockPlan
	pcg   *rand.PCG
	rng   *rand.Rand
	shots []uint64 // a sampled circuit's shots
	pairC [2]complex128
	pairV [2]*statevector.State
}

// newSVShift returns the workspace for pr with the given worker count (0:
// GOMAXPROCS).
func newSVShift(pr *program, workers int) *svShift {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var param []int // the parameterised blocks
	for b := range pr.blocks {
		if pr.blocks[b].occHi > pr.blocks[b].occLo {
			param = append(param, b)
		}
	}
	stateBytes := float64(statevector.BytesNeeded(pr.n))
	// Suffix runs per block, at most: the shift terms, and no more than
	// the matrices of the block's size (d^2, one less uncontrolled).
	runs := func(b int) int {
		bl := &pr.blocks[b]
		var terms int
		for o := bl.occLo; o < bl.occHi; o++ {
			terms += len(pr.occs[o].rule.terms)
		}
		d := 1 << uint(len(bl.targets))
		return min(terms, d*d)
	}
	rmax := 1
	for _, b := range param {
		rmax = max(rmax, runs(b))
	}
	s := &svShift{pr: pr, workers: workers}
	s.rank = float64(workers)*float64(rmax+2)*stateBytes <= svRankBudget
	nc := len(param)
	if nc > 0 {
		nc = min(nc, max(workers, int(float64(svCheckpointBudget)/stateBytes)))
	}
	// Cut the parameterised blocks into nc chunks of about equal cost
	// (suffix runs times suffix length), each chunk starting at a
	// parameterised block and running to the next chunk's first.
	var total float64
	cost := make([]float64, len(param))
	for i, b := range param {
		cost[i] = float64(runs(b)) * float64(len(pr.blocks)-b)
		total += cost[i]
	}
	var acc float64
	start := 0
	for i := range param {
		acc += cost[i]
		last := i == len(param)-1
		if last || (len(s.chunks) < nc-1 && acc >= total*float64(len(s.chunks)+1)/float64(nc)) || len(param)-i-1 < nc-1-len(s.chunks) {
			hi := len(pr.blocks)
			if !last {
				hi = param[i+1]
			}
			s.chunks = append(s.chunks, [2]int{param[start], hi})
			start = i + 1
		}
	}
	s.workers = min(workers, max(1, len(s.chunks)))
	s.ws = make([]*svWorker, s.workers)
	for w := range s.ws {
		pcg := rand.NewPCG(0, 0)
		s.ws[w] = &svWorker{pcg: pcg, rng: rand.New(pcg)}
	}
	return s
}

// forward runs the circuit at ev from |0...0>, keeping the state at the
// start of every chunk, and returns the final state (the workspace's: it
// is overwritten by the next forward).
func (s *svShift) forward(ev *evaluation) (*statevector.State, error) {
	pr := s.pr
	s.gates = pr.prepareSV(ev, s.gates)
	if s.psi == nil {
		psi, err := statevector.New(pr.n)
		if err != nil {
			return nil, err
		}
		ckpts := make([]*statevector.State, len(s.chunks))
		for c := range ckpts {
			if ckpts[c], err = statevector.New(pr.n); err != nil {
				return nil, err
			}
		}
		s.psi, s.ckpts = psi, ckpts
	}
	st := s.psi
	st.Reset0()
	c := 0
	for b := range pr.blocks {
		for c < len(s.chunks) && s.chunks[c][0] == b {
			s.ckpts[c].CopyFrom(st)
			c++
		}
		st.ApplyGate(&ev.svGates[b])
	}
	s.ev = ev
	return st, nil
}

// grad returns dL/dv for every occurrence at the evaluation forward last
// ran at.
func (s *svShift) grad(g []float64, opt shiftOptions) ([]float64, error) {
	pr := s.pr
	dv := make([]float64, len(pr.occs))
	var next atomic.Int64
	errs := make([]error, len(s.ws))
	var wg sync.WaitGroup
	for w, wk := range s.ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := wk.init(s); err != nil {
				errs[w] = err
				return
			}
			for {
				c := int(next.Add(1)) - 1
				if c >= len(s.chunks) {
					return
				}
				if err := wk.chunk(s, c, g, opt, dv); err != nil {
					errs[w] = err
					next.Store(int64(len(s.chunks))) // stop the others early
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return dv, nil
}

// init makes the worker's prefix state on first use.
func (wk *svWorker) init(s *svShift) error {
	if wk.pre != nil {
		return nil
	}
	var err error
	if wk.pre, err = s.newState(); err != nil {
		return err
	}
	return nil
}

// newState returns a worker's new state: serial gates when several
// workers already keep the cores busy.
func (s *svShift) newState() (*statevector.State, error) {
	st, err := statevector.New(s.pr.n)
	if err != nil {
		return nil, err
	}
	if s.workers > 1 {
		st.SetWorkers(1)
	}
	return st, nil
}

// suffixStates makes the states a plan with r suffix runs needs (and,
// with comb, the state that forms a shifted circuit's final state to
// sample it), if missing.
func (wk *svWorker) suffixStates(s *svShift, r int, comb bool) error {
	for len(wk.ys) < r {
		y, err := s.newState()
		if err != nil {
			return err
		}
		wk.ys = append(wk.ys, y)
	}
	if comb && wk.comb == nil {
		var err error
		if wk.comb, err = s.newState(); err != nil {
			return err
		}
	}
	return nil
}

// chunk computes the derivatives of the occurrences in chunk c.
func (wk *svWorker) chunk(s *svShift, c int, g []float64, opt shiftOptions, dv []float64) error {
	pr, ev := s.pr, s.ev
	lo, hi := s.chunks[c][0], s.chunks[c][1]
	wk.pre.CopyFrom(s.ckpts[c])
	for b := lo; b < hi; b++ {
		if pr.blocks[b].occHi > pr.blocks[b].occLo {
			if err := wk.block(s, b, g, opt, dv); err != nil {
				return err
			}
		}
		if b+1 < hi {
			wk.pre.ApplyGate(&ev.svGates[b])
		}
	}
	return nil
}

// block computes the derivatives of the occurrences of block b, with
// wk.pre the state before it: it plans the block, makes any states the
// plan needs, and runs the shifted circuits.
func (wk *svWorker) block(s *svShift, b int, g []float64, opt shiftOptions, dv []float64) error {
	pl := &wk.plan
	if err := pl.make(s.pr, s.ev, b, s.rank); err != nil {
		return err
	}
	r := 1
	if !pl.direct {
		r = len(pl.xs)
	}
	if err := wk.suffixStates(s, r, !pl.direct && opt.shots > 0); err != nil {
		return err
	}
	wk.shots = grow(wk.shots, min(opt.shots, maxShotSamples))
	wk.shifted(s, b, g, opt, dv)
	return nil
}

// shifted computes the final states of the shifted circuits of block b as
// planned, weights their probabilities by g (or samples them) and writes
// the derivatives of the block's occurrences. It allocates nothing.
func (wk *svWorker) shifted(s *svShift, b int, g []float64, opt shiftOptions, dv []float64) {
	pr, ev, pl := s.pr, s.ev, &wk.plan
	bl := &pr.blocks[b]
	var ys []*statevector.State
	if pl.direct {
		ys = wk.ys[:1]
	} else {
		ys = wk.ys[:len(pl.xs)]
		wk.runPlan(s, b, ys)
		wk.vecs = append(append(wk.vecs[:0], s.psi), ys...)
	}
	nc := len(ys) + 1
	ti := 0
	for oi := bl.occLo; oi < bl.occHi; oi++ {
		o := &pr.occs[oi]
		var d float64
		for t, term := range o.rule.terms {
			// The shifted circuit's final state: its own run (direct), or
			// a combination of psi and suffix runs (with perOcc, psi and
			// the one run of the term's occurrence).
			var st *statevector.State
			var cs []complex128
			vs := wk.vecs
			if !pl.direct {
				cs = pl.coefs[ti*nc : (ti+1)*nc]
			}
			switch {
			case pl.direct:
				st = ys[0]
				st.CopyFrom(wk.pre)
				wk.gate.Set(pr.n, pl.xs[ti], bl.targets, bl.controls, bl.ctrlState)
				st.ApplyGate(&wk.gate)
				for b2 := b + 1; b2 < len(pr.blocks); b2++ {
					st.ApplyGate(&ev.svGates[b2])
				}
			case pl.perOcc:
				j := pl.use[ti]
				wk.pairC = [2]complex128{cs[0], cs[1+j]}
				wk.pairV = [2]*statevector.State{s.psi, ys[j]}
				cs, vs = wk.pairC[:], wk.pairV[:]
			}
			var f float64
			switch {
			case opt.shots > 0:
				if st == nil {
					st = wk.comb
					st.Combine(cs, vs)
				}
				// The mean of g over the shots needs no shuffle.
				wk.pcg.Seed(opt.seed, stream(tagShift, uint64(opt.step), uint64(oi), uint64(t)))
				if opt.shots > maxShotSamples {
					// Objective has checked the count, so the draw cannot fail.
					_ = drawCounts(st.Probabilities(), opt.shots, wk.rng, func(x int, c int64) { f += g[x] * float64(c) })
				} else {
					for _, x := range st.SampleSorted(wk.shots[:opt.shots], wk.rng) {
						f += g[x]
					}
				}
				f /= float64(opt.shots)
			case st != nil:
				f = st.ExpectDiag(g)
			default:
				// Every shifted probability |psi_s(x)|^2, weighted by g(x),
				// in one pass over psi and the runs.
				f = statevector.ExpectDiagCombined(g, cs, vs)
			}
			d += term.coef * f
			ti++
		}
		dv[oi] = d
	}
}

// runPlan sets ys[k] to the suffix image of the plan's matrix k applied at
// block b to wk.pre, applying each suffix gate to all of them in turn.
func (wk *svWorker) runPlan(s *svShift, b int, ys []*statevector.State) {
	pr, ev := s.pr, s.ev
	bl := &pr.blocks[b]
	for k, x := range wk.plan.xs {
		ys[k].CopyFrom(wk.pre)
		wk.gate.Set(pr.n, x, bl.targets, bl.controls, bl.ctrlState)
		ys[k].ApplyGate(&wk.gate)
	}
	for b2 := b + 1; b2 < len(pr.blocks); b2++ {
		gt := &ev.svGates[b2]
		for _, y := range ys {
			y.ApplyGate(gt)
		}
	}
}

// blockPlan says how the shifted circuits of one block are computed. Run
// direct, each shift term's block matrix (xs[t]) replaces the block in a
// run of its own. Otherwise the circuit runs once with each of xs in place
// of the block, giving final states y_1, ..., y_r, and the final state of
// shift term t is the combination coefs[t(r+1):(t+1)(r+1)] of
// (psi, y_1, ..., y_r); with perOcc, only psi and y_{use[t]} enter it.
type blockPlan struct {
	direct bool
	perOcc bool
	xs     []circuit.Matrix
	coefs  []complex128
	use    []int          // perOcc: the one suffix image of each term
	basis  [][]complex128 // orthonormal: (B/|B| if uncontrolled), E_1, ...
	res    []complex128
	store  []complex128 // backing of basis
	xstore []complex128 // backing of xs (controlled: B + E_k; per occurrence: X_j)
	sstore []complex128 // the shifted blocks, then scratch
	vals   []float64    // a shifted instruction's parameters
}

// withMemberInto writes into dst the matrix withMember(ev, b, mi, m)
// computes, with the same products in the same order, using tmp (of at
// least len(dst) entries) as scratch. It returns dst.
func withMemberInto(dst, tmp []complex128, pr *program, ev *evaluation, b, mi int, m circuit.Matrix) circuit.Matrix {
	bl := &pr.blocks[b]
	tmp = tmp[:len(dst)]
	for k, j := range bl.members {
		f := ev.mats[j]
		if k == mi {
			f = m
		}
		if k == 0 {
			copy(dst, f)
			continue
		}
		copy(tmp, dst)
		mulInto(dst, f, tmp)
	}
	return dst
}

// mulInto sets dst = a*b for d x d matrices, as circuit.MatMul computes it.
func mulInto(dst, a, b []complex128) {
	d := 1
	for d*d < len(a) {
		d++
	}
	clear(dst)
	for i := range d {
		for k := range d {
			aik := a[i*d+k]
			if aik == 0 {
				continue
			}
			for j := range d {
				dst[i*d+j] += aik * b[k*d+j]
			}
		}
	}
}

// make plans block b of pr at ev. With rank false every shifted circuit
// runs on its own.
func (pl *blockPlan) make(pr *program, ev *evaluation, b int, rank bool) error {
	bl := &pr.blocks[b]
	dim := len(ev.bmats[b])
	nt := 0
	for oi := bl.occLo; oi < bl.occHi; oi++ {
		nt += len(pr.occs[oi].rule.terms)
	}
	// The shifted block matrices, as withMember computes them, into
	// scratch.
	pl.sstore = grow(pl.sstore, (nt+1)*dim)
	pl.xs = pl.xs[:0]
	for oi := bl.occLo; oi < bl.occHi; oi++ {
		o := &pr.occs[oi]
		for _, term := range o.rule.terms {
			pl.vals = append(pl.vals[:0], ev.vals[o.instr]...)
			pl.vals[o.slot] += term.shift
			m, err := instrMatrix(&pr.instrs[o.instr], pl.vals)
			if err != nil {
				return err
			}
			t := len(pl.xs)
			pl.xs = append(pl.xs, withMemberInto(pl.sstore[t*dim:(t+1)*dim], pl.sstore[nt*dim:], pr, ev, b, o.member, m))
		}
	}
	pl.direct = true
	if !rank {
		return nil
	}
	shifted := pl.xs
	bm := ev.bmats[b]
	controlled := len(bl.controls) > 0
	// An orthonormal basis of span{B, B_s} (uncontrolled; B first) or of
	// span{B_s - B} (controlled), by Gram-Schmidt with
	// reorthogonalisation.
	pl.store = grow(pl.store, (nt+1)*dim)
	pl.res = grow(pl.res, dim)
	pl.basis = pl.basis[:0]
	lead := 0
	if !controlled {
		u := pl.store[:dim]
		nb := complex(frobNorm(bm), 0)
		for i, v := range bm {
			u[i] = v / nb
		}
		pl.basis = append(pl.basis, u)
		lead = 1
	}
	for _, bs := range shifted {
		r := pl.res
		for i := range r {
			r[i] = bs[i]
			if controlled {
				r[i] -= bm[i]
			}
		}
		if pl.addResidual(r, dim) && len(pl.basis)-lead >= nt {
			return nil // no fewer runs than terms
		}
	}
	nr := len(pl.basis) - lead
	if nr >= nt {
		return nil
	}
	pl.direct = false
	if !controlled && pl.planPerOcc(pr, bl, shifted, bm, nr) {
		return nil
	}
	pl.perOcc = false
	// Coefficients of each shifted block in the basis.
	pl.coefs = grow(pl.coefs, nt*(nr+1))
	nb := complex(frobNorm(bm), 0)
	for t, bs := range shifted {
		c := pl.coefs[t*(nr+1) : (t+1)*(nr+1)]
		var sum complex128
		for k := range nr {
			var beta complex128
			for i, v := range pl.basis[lead+k] {
				d := bs[i]
				if controlled {
					d -= bm[i]
				}
				beta += cmplx.Conj(v) * d
			}
			c[1+k] = beta
			sum += beta
		}
		if controlled {
			c[0] = 1 - sum
			continue
		}
		var a complex128
		for i, v := range pl.basis[0] {
			a += cmplx.Conj(v) * bs[i]
		}
		c[0] = a / nb
	}
	// The matrices to run: E_k uncontrolled; controlled, B + E_k (the
	// controlled E_k alone would keep the uncontrolled part, which
	// B + E_k shares with B).
	pl.xs = pl.xs[:0]
	pl.xstore = grow(pl.xstore, nr*dim)
	for k := range nr {
		e := pl.basis[lead+k]
		if !controlled {
			pl.xs = append(pl.xs, e)
			continue
		}
		x := pl.xstore[k*dim : (k+1)*dim]
		for i := range x {
			x[i] = bm[i] + e[i]
		}
		pl.xs = append(pl.xs, x)
	}
	return nil
}

// planPerOcc plans an uncontrolled block with one suffix run per
// occurrence, when that is as few as the basis needs (nr): a parameter's
// shifted blocks B_s = e^{-isG} B (G = c + H/2 inserted at its gate) all
// lie in the span of B and one more matrix X_j, the part of the first of
// them orthogonal to B (X_j is B with H inserted, up to scale), so each
// shifted circuit's final state combines only psi and y_j. It reports false,
// and leaves the plan to the basis, if a shifted block does not fit to
// spanTol or there are more occurrences than nr.
func (pl *blockPlan) planPerOcc(pr *program, bl *block, shifted []circuit.Matrix, bm circuit.Matrix, nr int) bool {
	nocc := bl.occHi - bl.occLo
	if nocc != nr {
		return false
	}
	dim := len(bm)
	u0 := pl.basis[0] // B/|B|
	nb := complex(frobNorm(bm), 0)
	pl.coefs = grow(pl.coefs, len(shifted)*(nr+1))
	clear(pl.coefs)
	pl.use = grow(pl.use, len(shifted))
	pl.xstore = grow(pl.xstore, nr*dim)
	t := 0
	for j := range nocc {
		o := &pr.occs[bl.occLo+j]
		x := pl.xstore[j*dim : (j+1)*dim]
		for k := range o.rule.terms {
			bs := shifted[t]
			a := dot(u0, bs)
			if k == 0 {
				for i := range x {
					x[i] = bs[i] - a*u0[i]
				}
				nx := frobNorm(x)
				if nx <= spanTol*max(1, frobNorm(bs)) {
					return false
				}
				for i := range x {
					x[i] /= complex(nx, 0)
				}
			}
			beta := dot(x, bs)
			var res float64
			for i := range bs {
				d := bs[i] - a*u0[i] - beta*x[i]
				res += real(d)*real(d) + imag(d)*imag(d)
			}
			if math.Sqrt(res) > spanTol*max(1, frobNorm(bs)) {
				return false
			}
			c := pl.coefs[t*(nr+1) : (t+1)*(nr+1)]
			c[0], c[1+j] = a/nb, beta
			pl.use[t] = j
			t++
		}
	}
	pl.xs = pl.xs[:0] // the shifted blocks are read: replace them
	for j := range nocc {
		pl.xs = append(pl.xs, pl.xstore[j*dim:(j+1)*dim])
	}
	pl.perOcc = true
	return true
}

// dot returns <u, v> = sum_i conj(u_i) v_i.
func dot(u, v []complex128) complex128 {
	var p complex128
	for i, x := range u {
		p += cmplx.Conj(x) * v[i]
	}
	return p
}

// addResidual orthogonalises r against the basis (in place, repeating the
// projection while it cancels much of r) and appends it, normalised,
// unless it lies in the basis's span to spanTol. It reports whether it
// appended.
func (pl *blockPlan) addResidual(r []complex128, dim int) bool {
	norm0 := frobNorm(r)
	if norm0 == 0 {
		return false
	}
	norm := norm0
	for range 4 {
		for _, u := range pl.basis {
			var p complex128
			for i, v := range u {
				p += cmplx.Conj(v) * r[i]
			}
			for i, v := range u {
				r[i] -= p * v
			}
		}
		nn := frobNorm(r)
		if nn <= spanTol*max(1, norm0) {
			return false
		}
		small := nn <= 0.5*norm
		norm = nn
		if !small {
			break
		}
	}
	k := len(pl.basis)
	u := pl.store[k*dim : (k+1)*dim]
	for i, v := range r {
		u[i] = v / complex(norm, 0)
	}
	pl.basis = append(pl.basis, u)
	return true
}

func frobNorm(m []complex128) float64 {
	var s float64
	for _, v := range m {
		s += real(v)*real(v) + imag(v)*imag(v)
	}
	return math.Sqrt(s)
}

// grow returns s with length n, reusing its memory when it is large enough.
func grow[E any](s []E, n int) []E {
	if cap(s) < n {
		return make([]E, n)
	}
	return s[:n]
}
