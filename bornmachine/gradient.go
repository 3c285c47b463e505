package bornmachine

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"born/circuit"
	"born/statevector"
)

// Gradient methods.
const (
	GradShift   = "shift"
	GradAdjoint = "adjoint"
)

// Every loss here depends on the parameters through p only, so
//
//	dL/dv = sum_x g(x) dp(x)/dv,  g = dL/dp,
//
// for each occurrence's parameter value v. The shift gradient evaluates
// dp/dv with the parameter-shift rule, one circuit run per shift term; the
// adjoint gradient evaluates the whole sum in one backward sweep.

// shiftOptions are the sampling settings of a shift gradient.
type shiftOptions struct {
	workers int
	shots   int    // 0: exact probabilities
	seed    uint64 // with step, seeds every sampled run
	step    int
	sv      *svShift // the state-vector workspace, or nil
	// gfn, if set (with shots > 0), is g as a function of the state,
	// used instead of the vector g: the gradient of a sampled loss on
	// more qubits than a dense g can hold.
	gfn func(uint64) float64
}

// shiftGrad returns dL/dv for every occurrence by the parameter-shift rule.
// On the state vector it shares the prefix and suffix of the shifted
// circuits (see svShift; opt.sv, if set, is a workspace whose forward pass
// ran at ev). On other engines, for each term, the state before the
// occurrence's block (kept from a running prefix, never recomputed) goes
// through the shifted block and the rest of the circuit, and g is averaged
// over the result, exactly or over shots samples; work is split into
// contiguous block ranges of equal cost, one per worker. Either way each
// value is computed by one worker with the same operations whatever the
// split, so the result does not depend on the number of workers.
func (pr *program) shiftGrad(eng Engine, ev *evaluation, g []float64, opt shiftOptions) ([]float64, error) {
	if err := pr.gradientError(true); err != nil {
		return nil, err
	}
	if len(pr.occs) == 0 {
		return make([]float64, 0), nil
	}
	if _, ok := eng.(svEngine); ok {
		s := opt.sv
		if s == nil || s.ev != ev {
			if s == nil {
				s = newSVShift(pr, opt.workers)
			}
			if _, err := s.forward(ev); err != nil {
				return nil, err
			}
		}
		return s.grad(g, opt)
	}
	dv := make([]float64, len(pr.occs))
	workers := opt.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ranges := pr.splitWork(workers)
	errs := make([]error, len(ranges))
	var wg sync.WaitGroup
	for w, r := range ranges {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = pr.shiftRange(eng, ev, g, opt, r[0], r[1], dv)
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

// splitWork cuts the blocks into at most workers contiguous ranges of about
// equal shift-gradient cost (shift runs times the blocks each run applies).
func (pr *program) splitWork(workers int) [][2]int {
	nb := len(pr.blocks)
	cost := make([]float64, nb)
	var total float64
	for b := range pr.blocks {
		var terms int
		for o := pr.blocks[b].occLo; o < pr.blocks[b].occHi; o++ {
			terms += len(pr.occs[o].rule.terms)
		}
		cost[b] = float64(terms) * float64(nb-b+1)
		total += cost[b]
	}
	var out [][2]int
	lo := 0
	var acc float64
	for b := range nb {
		acc += cost[b]
		if len(out) < workers-1 && acc >= total*float64(len(out)+1)/float64(workers) {
			out = append(out, [2]int{lo, b + 1})
			lo = b + 1
		}
	}
	if lo < nb {
		out = append(out, [2]int{lo, nb})
	}
	return out
}

// Stream tags for the random numbers of sampled training.
const (
	tagLoss  = 1
	tagShift = 2
	tagInit  = 3
	tagDraw  = 4
)

// stream returns a PCG stream number derived from parts (splitmix64 folds),
// so that every sampled run has its own stream whatever the scheduling.
func stream(parts ...uint64) uint64 {
	h := uint64(0x6a09e667f3bcc909)
	for _, p := range parts {
		z := (h ^ p) + 0x9e3779b97f4a7c15
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		h = z ^ z>>31
	}
	return h
}

func (pr *program) shiftRange(eng Engine, ev *evaluation, g []float64, opt shiftOptions, lo, hi int, dv []float64) error {
	pre, err := eng.New(pr.n)
	if err != nil {
		return err
	}
	pr.apply(pre, ev, 0, lo)
	work := pre.Clone()
	var rng *rand.Rand
	var pcg *rand.PCG
	if opt.shots > 0 {
		pcg = rand.NewPCG(0, 0)
		rng = rand.New(pcg)
	}
	for b := lo; b < hi; b++ {
		bl := &pr.blocks[b]
		for oi := bl.occLo; oi < bl.occHi; oi++ {
			o := &pr.occs[oi]
			var d float64
			for t, term := range o.rule.terms {
				m, err := pr.shifted(ev, o, term.shift)
				if err != nil {
					return err
				}
				work.CopyFrom(pre)
				work.Apply(pr.withMember(ev, b, o.member, m), bl.targets, bl.controls, bl.ctrlState)
				pr.apply(work, ev, b+1, len(pr.blocks))
				var f float64
				if opt.shots > 0 {
					pcg.Seed(opt.seed, stream(tagShift, uint64(opt.step), uint64(oi), uint64(t)))
					if opt.gfn != nil {
						for _, x := range work.Sample(opt.shots, rng) {
							f += opt.gfn(x)
						}
					} else if opt.shots > maxShotSamples {
						if err := drawCounts(work.Probabilities(), opt.shots, rng, func(x int, c int64) { f += g[x] * float64(c) }); err != nil {
							return err
						}
					} else {
						for _, x := range work.Sample(opt.shots, rng) {
							f += g[x]
						}
					}
					f /= float64(opt.shots)
				} else {
					for x, p := range work.Probabilities() {
						f += g[x] * p
					}
				}
				d += term.coef * f
			}
			dv[oi] = d
		}
		if b+1 < hi {
			pr.apply(pre, ev, b, b+1)
		}
	}
	return nil
}

// adjointGrad returns dL/dv for every occurrence from the final state psi
// by one backward sweep: with lambda = g * psi (elementwise),
// dL/dv = 2 Re <lambda_b| dB/dv |phi_b>, where phi_b is the state before
// block b and lambda_b is lambda carried back through the blocks after b.
// Both are carried back by applying each block's adjoint. One partial inner
// product over the block's qubits per parameterised block gives the
// derivative of all its parameters.
func (pr *program) adjointGrad(ev *evaluation, psi *statevector.State, g []float64) ([]float64, error) {
	if err := pr.gradientError(false); err != nil {
		return nil, err
	}
	lam := psi.Clone()
	lam.ScaleReal(g)
	phi := psi.Clone()
	dv := make([]float64, len(pr.occs))
	var r []complex128
	var dg statevector.Gate[float64] // each block's adjoint, prepared once for phi and lam
	for b := len(pr.blocks) - 1; b >= 0; b-- {
		bl := &pr.blocks[b]
		dg.Set(pr.n, circuit.Dagger(ev.bmats[b]), bl.targets, bl.controls, bl.ctrlState)
		phi.ApplyGate(&dg)
		if bl.occHi > bl.occLo {
			r = lam.PartialInner(r, phi, bl.targets, bl.controls, bl.ctrlState)
			for oi := bl.occLo; oi < bl.occHi; oi++ {
				o := &pr.occs[oi]
				es, err := pr.shifted(ev, o, math.Pi/o.rule.w)
				if err != nil {
					return nil, err
				}
				dm := pr.withMember(ev, b, o.member, o.rule.derivMatrix(ev.mats[o.instr], es))
				var s complex128
				for k, v := range dm {
					s += v * r[k]
				}
				dv[oi] = 2 * real(s)
			}
		}
		if b > 0 {
			lam.ApplyGate(&dg)
		}
	}
	return dv, nil
}
