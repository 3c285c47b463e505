package transpile

import (
	"math"
	"math/rand/v2"
	"slices"
)

// RouteOptions tune the SABRE layout and routing (Li, Ding and Xie,
// "Tackling the qubit mapping problem for NISQ-era quantum devices",
// ASPLOS 2019). The zero value gives the defaults.
type RouteOptions struct {
	// Seed makes layout and routing reproducible: the same seed, circuit
	// and map give the same output.
	Seed uint64
	// LayoutTrials is the number of initial layouts tried: one dense layout
	// (a breadth-first region of the device filled in the order of the
	// circuit's interaction graph) and random ones. Default 16.
	LayoutTrials int
	// Iterations is the number of forward-backward passes that refine each
	// layout (the bidirectional heuristic of SABRE). Default 3.
	Iterations int
	// RoutingTrials is the number of routing seeds tried on the best
	// layout; the one with fewest SWAPs wins. Default 4.
	RoutingTrials int
	// Lookahead is the size of the extended set of upcoming 2-qubit gates
	// scored with weight LookaheadWeight. Defaults 20 and 0.5.
	Lookahead       int
	LookaheadWeight float64
	// Decay is added to a qubit's decay factor each time it is swapped,
	// reset every DecayReset swaps and when a gate executes, so that
	// parallel SWAPs on different qubits are preferred. Defaults 0.001 and 5.
	Decay      float64
	DecayReset int
	// InitialLayout, when set, fixes the layout (logical qubit i on
	// physical qubit InitialLayout[i]) and skips the layout search: the
	// trivial layout 0, 1, 2, ... gives the baseline SABRE's layout search
	// improves on.
	InitialLayout []int
}

func (o *RouteOptions) defaults() {
	if o.LayoutTrials <= 0 {
		o.LayoutTrials = 16
	}
	if o.Iterations <= 0 {
		o.Iterations = 3
	}
	if o.RoutingTrials <= 0 {
		o.RoutingTrials = 4
	}
	if o.Lookahead <= 0 {
		o.Lookahead = 20
	}
	if o.LookaheadWeight <= 0 {
		o.LookaheadWeight = 0.5
	}
	if o.Decay <= 0 {
		o.Decay = 0.001
	}
	if o.DecayReset <= 0 {
		o.DecayReset = 5
	}
}

// dag is the dependency graph of IR nodes over their qubits and classical
// bits.
type dag struct {
	nodes  []node
	succ   [][]int
	indeg  []int
	needs2 []bool // a 2-qubit gate: needs adjacent qubits
}

func newDAG(nodes []node, nq int) *dag {
	g := &dag{nodes: nodes, succ: make([][]int, len(nodes)), indeg: make([]int, len(nodes)), needs2: make([]bool, len(nodes))}
	last := map[int]int{} // wire -> last node; qubits are wires 0..nq-1, clbit b is nq+b
	for i := range nodes {
		n := &nodes[i]
		g.needs2[i] = n.is2q()
		var wires []int
		wires = append(wires, n.q...)
		if n.kind == kMeasure {
			wires = append(wires, nq+n.clbit)
		}
		for _, c := range n.cond {
			for _, b := range c.Clbits {
				wires = append(wires, nq+b)
			}
		}
		seen := map[int]bool{}
		for _, w := range wires {
			if p, ok := last[w]; ok && !seen[p] {
				seen[p] = true
				g.succ[p] = append(g.succ[p], i)
				g.indeg[i]++
			}
			last[w] = i
		}
	}
	return g
}

// router routes a dag on a coupling map.
type router struct {
	cm   *CouplingMap
	g    *dag
	opts *RouteOptions
}

// route runs SABRE's routing from layout l2p (logical -> physical for all
// N physical qubits; logical qubits beyond the circuit's are free). It
// returns the number of SWAPs, the final layout and, if emit is set, the
// routed nodes on physical qubits.
func (r *router) route(l2p []int, seed uint64, emit bool) (swaps int, final []int, out []node) {
	N := r.cm.N
	l2p = slices.Clone(l2p)
	p2l := make([]int, N)
	for l, p := range l2p {
		p2l[p] = l
	}
	rng := rand.New(rand.NewPCG(seed, 0x5ab7e))
	g := r.g
	indeg := slices.Clone(g.indeg)
	decay := make([]float64, N)
	for i := range decay {
		decay[i] = 1
	}
	var ready, front []int
	for i, d := range indeg {
		if d == 0 {
			ready = append(ready, i)
		}
	}
	execute := func(i int) {
		if emit {
			n := g.nodes[i]
			q := make([]int, len(n.q))
			for j, l := range n.q {
				q[j] = l2p[l]
			}
			n.q = q
			out = append(out, n)
		}
		for _, s := range g.succ[i] {
			if indeg[s]--; indeg[s] == 0 {
				ready = append(ready, s)
			}
		}
	}
	process := func() {
		for len(ready) > 0 {
			i := ready[0]
			ready = ready[1:]
			n := &g.nodes[i]
			if g.needs2[i] && !r.cm.Adjacent(l2p[n.q[0]], l2p[n.q[1]]) {
				front = append(front, i)
				continue
			}
			execute(i)
		}
	}
	swap := func(a, b int) {
		la, lb := p2l[a], p2l[b]
		p2l[a], p2l[b] = lb, la
		l2p[la], l2p[lb] = b, a
		swaps++
		if emit {
			out = append(out, node{kind: kSwap, q: []int{a, b}})
		}
	}
	stamp := make([]int, len(g.nodes))
	step := 0
	touchF, touchE := make([][]int, N), make([][]int, N) // front and extended-set gates on each physical qubit
	inFront := make([]bool, N)
	var touched []int
	var cands, best [][2]int
	sinceProgress := 0
	swapsSinceReset := 0
	process()
	for len(front) > 0 {
		// Execute the front gates that became executable.
		progressed := false
		kept := front[:0]
		var now []int
		for _, i := range front {
			n := &g.nodes[i]
			if r.cm.Adjacent(l2p[n.q[0]], l2p[n.q[1]]) {
				now = append(now, i)
			} else {
				kept = append(kept, i)
			}
		}
		front = kept
		for _, i := range now {
			execute(i)
			progressed = true
		}
		if progressed {
			process()
			sinceProgress = 0
			for i := range decay {
				decay[i] = 1
			}
			continue
		}
		// Release valve: after too many SWAPs without progress, bring the
		// closest front gate together along a shortest path.
		if sinceProgress > 20+4*len(front) {
			closest, bd := -1, math.MaxInt
			for _, i := range front {
				n := &g.nodes[i]
				if d := r.cm.Distance(l2p[n.q[0]], l2p[n.q[1]]); d < bd {
					closest, bd = i, d
				}
			}
			n := &g.nodes[closest]
			pa, pb := l2p[n.q[0]], l2p[n.q[1]]
			for r.cm.Distance(pa, pb) > 1 {
				for _, nb := range r.cm.Neighbors(pa) {
					if r.cm.Distance(nb, pb) == r.cm.Distance(pa, pb)-1 {
						swap(pa, nb)
						pa = nb
						break
					}
				}
			}
			sinceProgress = 0
			continue
		}
		// The extended set: the next Lookahead 2-qubit gates after the front.
		step++
		var ext []int
		queue := slices.Clone(front)
		for len(queue) > 0 && len(ext) < r.opts.Lookahead {
			i := queue[0]
			queue = queue[1:]
			for _, s := range g.succ[i] {
				if stamp[s] == step {
					continue
				}
				stamp[s] = step
				if g.needs2[s] {
					ext = append(ext, s)
					if len(ext) == r.opts.Lookahead {
						break
					}
				}
				queue = append(queue, s)
			}
		}
		// Candidate SWAPs: edges touching a qubit of a front gate, each once,
		// in a fixed order.
		touched = touched[:0]
		touch := func(gates []int, on [][]int, isFront bool) {
			for _, i := range gates {
				for _, l := range g.nodes[i].q {
					p := l2p[l]
					if len(touchF[p]) == 0 && len(touchE[p]) == 0 && !inFront[p] {
						touched = append(touched, p)
					}
					inFront[p] = inFront[p] || isFront
					on[p] = append(on[p], i)
				}
			}
		}
		touch(front, touchF, true)
		touch(ext, touchE, false)
		slices.Sort(touched)
		cands = cands[:0]
		for _, p := range touched {
			if !inFront[p] {
				continue
			}
			for _, nb := range r.cm.Neighbors(p) {
				if !inFront[nb] || p < nb {
					cands = append(cands, [2]int{p, nb})
				}
			}
		}
		// The score of a SWAP is the mean distance of the front gates plus
		// LookaheadWeight times that of the extended set, after the SWAP,
		// times the larger decay of its qubits. Only gates on the swapped
		// qubits change distance, so each candidate costs a few lookups.
		total := func(gates []int) int {
			d := 0
			for _, i := range gates {
				n := &g.nodes[i]
				d += r.cm.Distance(l2p[n.q[0]], l2p[n.q[1]])
			}
			return d
		}
		sumF, sumE := total(front), total(ext)
		delta := func(gates []int, a, b int) int {
			d := 0
			for _, i := range gates {
				n := &g.nodes[i]
				x, y := l2p[n.q[0]], l2p[n.q[1]]
				if (x == a && y == b) || (x == b && y == a) {
					continue // a gate on the swapped pair keeps its distance
				}
				nx, ny := x, y
				switch {
				case x == a:
					nx = b
				case x == b:
					nx = a
				}
				switch {
				case y == a:
					ny = b
				case y == b:
					ny = a
				}
				d += r.cm.Distance(nx, ny) - r.cm.Distance(x, y)
			}
			return d
		}
		mean := func(sum, n int) float64 {
			if n == 0 {
				return 0
			}
			return float64(sum) / float64(n)
		}
		bestScore := math.Inf(1)
		best = best[:0]
		for _, c := range cands {
			a, b := c[0], c[1]
			f := sumF + delta(touchF[a], a, b) + delta(touchF[b], a, b)
			e := sumE + delta(touchE[a], a, b) + delta(touchE[b], a, b)
			h := max(decay[a], decay[b]) * (mean(f, len(front)) + r.opts.LookaheadWeight*mean(e, len(ext)))
			switch {
			case h < bestScore-1e-12:
				bestScore = h
				best = append(best[:0], c)
			case h <= bestScore+1e-12:
				best = append(best, c)
			}
		}
		for _, p := range touched {
			touchF[p], touchE[p], inFront[p] = touchF[p][:0], touchE[p][:0], false
		}
		c := best[rng.IntN(len(best))]
		swap(c[0], c[1])
		sinceProgress++
		decay[c[0]] += r.opts.Decay
		decay[c[1]] += r.opts.Decay
		if swapsSinceReset++; swapsSinceReset >= r.opts.DecayReset {
			swapsSinceReset = 0
			for i := range decay {
				decay[i] = 1
			}
		}
	}
	return swaps, l2p, out
}

// twoQubitOnly returns the 2-qubit gates of nodes, in order or reversed.
func twoQubitOnly(nodes []node, reverse bool) []node {
	var out []node
	for _, n := range nodes {
		if n.is2q() {
			out = append(out, node{kind: kCX, q: n.q})
		}
	}
	if reverse {
		slices.Reverse(out)
	}
	return out
}

// Routing is the result of layout and routing.
type Routing struct {
	Initial []int // logical qubit i starts on physical qubit Initial[i]
	Final   []int // and ends on Final[i]
	Swaps   int
}

// sabre lays out and routes the logical nodes of an n-qubit circuit on cm.
func sabre(nodes []node, n int, cm *CouplingMap, opts RouteOptions) ([]node, *Routing) {
	opts.defaults()
	N := cm.N
	fwd := &router{cm: cm, g: newDAG(twoQubitOnly(nodes, false), n), opts: &opts}
	bwd := &router{cm: cm, g: newDAG(twoQubitOnly(nodes, true), n), opts: &opts}
	full := &router{cm: cm, g: newDAG(nodes, n), opts: &opts}
	var layout []int
	if opts.InitialLayout != nil {
		layout = completeLayout(opts.InitialLayout, N)
	} else {
		bestSwaps := math.MaxInt
		for t := 0; t < opts.LayoutTrials; t++ {
			var l2p []int
			if t == 0 {
				l2p = denseLayout(nodes, n, cm)
			} else {
				rng := rand.New(rand.NewPCG(opts.Seed, uint64(t)))
				l2p = rng.Perm(N)
			}
			seed := opts.Seed*1000003 + uint64(t)*7919
			for it := 0; it < opts.Iterations; it++ {
				_, l2p, _ = fwd.route(l2p, seed+uint64(2*it), false)
				_, l2p, _ = bwd.route(l2p, seed+uint64(2*it+1), false)
			}
			s, _, _ := fwd.route(l2p, seed, false)
			if s < bestSwaps {
				bestSwaps, layout = s, l2p
			}
		}
	}
	var out []node
	res := &Routing{Swaps: math.MaxInt}
	for t := 0; t < opts.RoutingTrials; t++ {
		s, final, o := full.route(layout, opts.Seed+uint64(t)*104729, true)
		if s < res.Swaps {
			res.Swaps, res.Final, out = s, final, o
		}
	}
	res.Initial = slices.Clone(layout[:n])
	res.Final = slices.Clone(res.Final[:n])
	return out, res
}

// completeLayout extends a layout of the circuit's qubits to all N
// physical qubits, placing the free logical qubits on the free physical
// ones in order.
func completeLayout(l []int, N int) []int {
	used := make([]bool, N)
	for _, p := range l {
		used[p] = true
	}
	out := slices.Clone(l)
	for p := 0; p < N; p++ {
		if !used[p] {
			out = append(out, p)
		}
	}
	return out
}

// denseLayout places the circuit's qubits, in breadth-first order of its
// interaction graph from its busiest qubit, on a breadth-first region of the
// device grown from its most central qubit.
func denseLayout(nodes []node, n int, cm *CouplingMap) []int {
	weight := make([]map[int]int, n)
	for i := range weight {
		weight[i] = map[int]int{}
	}
	deg := make([]int, n)
	for _, nd := range nodes {
		if nd.is2q() {
			a, b := nd.q[0], nd.q[1]
			weight[a][b]++
			weight[b][a]++
			deg[a]++
			deg[b]++
		}
	}
	var order []int
	seen := make([]bool, n)
	for len(order) < n {
		start := -1
		for q := 0; q < n; q++ {
			if !seen[q] && (start < 0 || deg[q] > deg[start]) {
				start = q
			}
		}
		seen[start] = true
		queue := []int{start}
		for len(queue) > 0 {
			q := queue[0]
			queue = queue[1:]
			order = append(order, q)
			var nbs []int
			for v := range weight[q] {
				if !seen[v] {
					nbs = append(nbs, v)
				}
			}
			slices.SortFunc(nbs, func(a, b int) int {
				if weight[q][a] != weight[q][b] {
					return weight[q][b] - weight[q][a]
				}
				return a - b
			})
			for _, v := range nbs {
				seen[v] = true
				queue = append(queue, v)
			}
		}
	}
	// The most central physical qubit: least total distance to the others.
	center, best := 0, math.MaxInt
	for p := 0; p < cm.N; p++ {
		s := 0
		for q := 0; q < cm.N; q++ {
			s += cm.Distance(p, q)
		}
		if s < best {
			center, best = p, s
		}
	}
	var phys []int
	pseen := make([]bool, cm.N)
	pseen[center] = true
	queue := []int{center}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		phys = append(phys, p)
		for _, v := range cm.Neighbors(p) {
			if !pseen[v] {
				pseen[v] = true
				queue = append(queue, v)
			}
		}
	}
	l := make([]int, n)
	for i, q := range order {
		l[q] = phys[i]
	}
	return completeLayout(l, cm.N)
}
