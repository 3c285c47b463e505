package rbm

import (
	"fmt"
	"math"
	"math/bits"

	"born/classical/internal/par"
)

// net is a view of an RBM's parameters (W row by row, a, b) in a slice.
type net struct {
	n, h    int
	w, a, b []float64
}

func (m *RBM) net(theta []float64) net { return makeNet(m.n, m.h, theta) }

func makeNet(n, h int, theta []float64) net {
	return net{n: n, h: h, w: theta[:n*h], a: theta[n*h : n*h+n], b: theta[n*h+n:]}
}

// hidPre sets pre_j = b_j + sum_i x_i W_ij.
func (t net) hidPre(x uint64, pre []float64) {
	copy(pre, t.b)
	for r := x; r != 0; r &= r - 1 {
		i := bits.TrailingZeros64(r)
		for j, w := range t.w[i*t.h : (i+1)*t.h] {
			pre[j] += w
		}
	}
}

// visibleBias returns a.x.
func (t net) visibleBias(x uint64) float64 {
	var s float64
	for r := x; r != 0; r &= r - 1 {
		s += t.a[bits.TrailingZeros64(r)]
	}
	return s
}

// negF returns -F(x) = a.x + sum_j softplus(pre_j) and leaves the hidden
// pre-activations pre_j = b_j + sum_i x_i W_ij in pre.
func (t net) negF(x uint64, pre []float64) float64 {
	t.hidPre(x, pre)
	s := t.visibleBias(x)
	for _, p := range pre {
		s += par.Softplus(p)
	}
	return s
}

// negFSig is negF leaving sigmoid(pre_j) in sig instead of pre_j.
func (t net) negFSig(x uint64, sig []float64) float64 {
	t.hidPre(x, sig)
	s := t.visibleBias(x)
	for j, p := range sig {
		sp, sg := par.SoftplusSigmoid(p)
		s += sp
		sig[j] = sg
	}
	return s
}

// negFh returns -F_h(y) = b.y + sum_i softplus(q_i) for a hidden state y
// (H <= 64) and leaves the visible pre-activations q_i = a_i + sum_j W_ij
// y_j in q: the hidden layer's unnormalised log-marginal.
func (t net) negFh(y uint64, q []float64) float64 {
	var s float64
	for r := y; r != 0; r &= r - 1 {
		s += t.b[bits.TrailingZeros64(r)]
	}
	for i := range t.n {
		row := t.w[i*t.h : (i+1)*t.h]
		v := t.a[i]
		for r := y; r != 0; r &= r - 1 {
			v += row[bits.TrailingZeros64(r)]
		}
		q[i] = v
		s += par.Softplus(v)
	}
	return s
}

// addGradV adds c * d(-F(x))/dtheta to g, with pre from negF(x); it
// overwrites pre with sigmoid(pre).
func (t net) addGradV(x uint64, pre []float64, c float64, g []float64) {
	for j, p := range pre {
		pre[j] = par.Sigmoid(p)
	}
	t.addGradVs(x, pre, c, g)
}

// addGradVs is addGradV with the hidden activations sig_j = sigmoid(pre_j)
// already computed.
func (t net) addGradVs(x uint64, sig []float64, c float64, g []float64) {
	gw, ga, gb := g[:t.n*t.h], g[t.n*t.h:t.n*t.h+t.n], g[t.n*t.h+t.n:]
	for j, s := range sig {
		gb[j] += c * s
	}
	for r := x; r != 0; r &= r - 1 {
		i := bits.TrailingZeros64(r)
		ga[i] += c
		row := gw[i*t.h : (i+1)*t.h]
		for j, s := range sig {
			row[j] += c * s
		}
	}
}

// addGradH adds c * d(-F_h(y))/dtheta to g, with q from negFh(y).
func (t net) addGradH(y uint64, q []float64, c float64, g []float64) {
	gw, ga, gb := g[:t.n*t.h], g[t.n*t.h:t.n*t.h+t.n], g[t.n*t.h+t.n:]
	for r := y; r != 0; r &= r - 1 {
		gb[bits.TrailingZeros64(r)] += c
	}
	for i, v := range q {
		s := c * par.Sigmoid(v)
		ga[i] += s
		row := gw[i*t.h : (i+1)*t.h]
		for r := y; r != 0; r &= r - 1 {
			row[bits.TrailingZeros64(r)] += s
		}
	}
}

// chunk is the number of enumerated states per unit of parallel work.
const chunk = 1 << 11

// enumVisible reports whether exactLogZ enumerates the visible layer.
func (t net) enumVisible() bool { return t.n <= t.h }

// exactLogZ returns ln Z by enumerating the smaller layer (the visible one
// on a tie) and, if grad is not nil, sets grad = d ln Z/dtheta = E_p[d(-F)/
// dtheta]. If dense is not nil and the visible layer is enumerated, it
// receives -F(v) for every v. Chunks are combined in order: the result
// does not depend on workers.
func (t net) exactLogZ(grad, dense []float64, workers int) (float64, error) {
	visible := t.enumVisible()
	k := min(t.n, t.h)
	if k > MaxExactLayer {
		return 0, fmt.Errorf("rbm: exact ln Z needs a layer of at most %d units; this RBM has %d visible and %d hidden", MaxExactLayer, t.n, t.h)
	}
	total := 1 << uint(k)
	nc := par.Chunks(total, chunk)
	lses := make([]par.LogSumExp, nc)
	var grads [][]float64
	if grad != nil {
		grads = make([][]float64, nc)
	}
	np := len(t.w) + t.n + t.h
	par.Run(total, chunk, workers, func(c, lo, hi int) {
		buf := make([]float64, max(t.n, t.h))
		var g []float64
		if grad != nil {
			g = make([]float64, np)
			grads[c] = g
		}
		l := par.NewLogSumExp()
		for s := lo; s < hi; s++ {
			var v float64
			switch {
			case visible && g != nil:
				v = t.negFSig(uint64(s), buf[:t.h])
				if dense != nil {
					dense[s] = v
				}
			case visible:
				v = t.negF(uint64(s), buf[:t.h])
				if dense != nil {
					dense[s] = v
				}
			default:
				v = t.negFh(uint64(s), buf[:t.n])
			}
			if g != nil && v > l.Max && l.Sum > 0 { // rescale to the new maximum
				f := math.Exp(l.Max - v)
				for i := range g {
					g[i] *= f
				}
			}
			l.Add(v)
			if g == nil {
				continue
			}
			wgt := math.Exp(v - l.Max)
			if visible {
				t.addGradVs(uint64(s), buf[:t.h], wgt, g)
			} else {
				t.addGradH(uint64(s), buf[:t.n], wgt, g)
			}
		}
		lses[c] = l
	})
	all := par.NewLogSumExp()
	for _, l := range lses {
		all.Merge(l)
	}
	if grad != nil {
		clear(grad)
		for c, g := range grads {
			f := math.Exp(lses[c].Max-all.Max) / all.Sum
			for i, v := range g {
				grad[i] += f * v
			}
		}
	}
	return all.Value(), nil
}

// visibleEnum returns -F(v) for all 2^n visible states and ln Z (n <=
// dataset.MaxExactBits).
func (t net) visibleEnum(workers int) ([]float64, float64) {
	total := 1 << uint(t.n)
	out := make([]float64, total)
	lses := make([]par.LogSumExp, par.Chunks(total, chunk))
	par.Run(total, chunk, workers, func(c, lo, hi int) {
		pre := make([]float64, t.h)
		l := par.NewLogSumExp()
		for s := lo; s < hi; s++ {
			out[s] = t.negF(uint64(s), pre)
			l.Add(out[s])
		}
		lses[c] = l
	})
	all := par.NewLogSumExp()
	for _, l := range lses {
		all.Merge(l)
	}
	return out, all.Value()
}

// gradVisible sets grad = sum_v w(v) d(-F(v))/dtheta over all 2^n visible
// states.
func (t net) gradVisible(wgt, grad []float64, workers int) {
	total := len(wgt)
	nc := par.Chunks(total, chunk)
	grads := make([][]float64, nc)
	par.Run(total, chunk, workers, func(c, lo, hi int) {
		g := make([]float64, len(grad))
		pre := make([]float64, t.h)
		for s := lo; s < hi; s++ {
			if wgt[s] == 0 {
				continue
			}
			t.negF(uint64(s), pre)
			t.addGradV(uint64(s), pre, wgt[s], g)
		}
		grads[c] = g
	})
	clear(grad)
	for _, g := range grads {
		for i, v := range g {
			grad[i] += v
		}
	}
}
