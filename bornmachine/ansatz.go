package bornmachine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"born/circuit"
	"born/dataset"
)

// Ansatz kinds.
const (
	AnsatzQCBM = "qcbm"
	AnsatzHEA  = "hea"
)

// MaxDepth is the deepest ansatz ParseAnsatz accepts.
const MaxDepth = 10000

// Ansatz is a parameterised circuit family for Born machines.
//
// The qcbm ansatz is Liu & Wang's circuit: Depth+1 layers of arbitrary
// rotations Rz(t3) Rx(t2) Rz(t1) on every qubit (Rz(t1) first) with a layer
// of CNOTs on Pairs (control first) between consecutive layers. The first
// layer's leading Rz and the last layer's trailing Rz are dropped, since they
// do not change p(x): (3 Depth + 1) n parameters, ordered layer by layer,
// qubit by qubit, (t1, t2, t3).
//
// The hea ansatz is a hardware-efficient circuit: Depth+1 layers of Ry(a)
// then Rz(b) on every qubit with a ladder of CZ gates (q, q+1) between
// consecutive layers; the last layer's Rz is dropped: (2 Depth + 1) n
// parameters.
type Ansatz struct {
	Kind  string
	Depth int
	Bits  int
	Pairs [][2]int // qcbm only
}

// ParseAnsatz reads an ansatz specification for bits qubits:
//
//	qcbm:DEPTH[:PAIRS]  PAIRS is chowliu (the default: the Chow-Liu tree of
//	                    the data's pairwise mutual information), line, ring,
//	                    grid (nearest neighbours of the data's image grid),
//	                    or a list such as 0-1,1-2 (control-target)
//	hea:DEPTH
//
// data is needed for chowliu and grid and may be nil otherwise.
func ParseAnsatz(spec string, bits int, data *dataset.Dataset) (*Ansatz, error) {
	parts := strings.SplitN(spec, ":", 3)
	if len(parts) < 2 || (parts[0] != AnsatzQCBM && parts[0] != AnsatzHEA) {
		return nil, fmt.Errorf("unknown ansatz %q: use qcbm:DEPTH[:PAIRS] (e.g. qcbm:10 or qcbm:4:line) or hea:DEPTH", spec)
	}
	depth, err := strconv.Atoi(parts[1])
	if err != nil || depth < 0 || depth > MaxDepth {
		return nil, fmt.Errorf("ansatz %q: the depth must be a whole number from 0 to %d", spec, MaxDepth)
	}
	if bits < 1 || bits > dataset.MaxBits {
		return nil, fmt.Errorf("ansatz %q on %d qubits: need 1 to %d", spec, bits, dataset.MaxBits)
	}
	a := &Ansatz{Kind: parts[0], Depth: depth, Bits: bits}
	if a.Kind == AnsatzHEA {
		if len(parts) == 3 {
			return nil, fmt.Errorf("ansatz %q: hea takes only a depth (its entanglers are CZ ladders)", spec)
		}
		return a, nil
	}
	pairs := "chowliu"
	if len(parts) == 3 {
		pairs = parts[2]
	}
	a.Pairs, err = ParsePairs(pairs, bits, data)
	if err != nil {
		return nil, fmt.Errorf("ansatz %q: %v", spec, err)
	}
	return a, nil
}

// ParsePairs returns the entangler pairs a specification names (see
// ParseAnsatz).
func ParsePairs(spec string, n int, data *dataset.Dataset) ([][2]int, error) {
	switch spec {
	case "chowliu":
		if data == nil {
			return nil, fmt.Errorf("chowliu pairs need data")
		}
		return ChowLiuTree(data), nil
	case "line", "ring":
		var out [][2]int
		for q := 0; q+1 < n; q++ {
			out = append(out, [2]int{q, q + 1})
		}
		if spec == "ring" && n > 2 {
			out = append(out, [2]int{n - 1, 0})
		}
		return out, nil
	case "grid":
		if data == nil || !data.IsImage() || data.Rows*data.Cols != n {
			return nil, fmt.Errorf("grid pairs need image data (bas:RxC) of %d pixels", n)
		}
		var out [][2]int
		for i := range data.Rows {
			for j := range data.Cols {
				p := i*data.Cols + j
				if j+1 < data.Cols {
					out = append(out, [2]int{p, p + 1})
				}
				if i+1 < data.Rows {
					out = append(out, [2]int{p, p + data.Cols})
				}
			}
		}
		return out, nil
	}
	var out [][2]int
	seen := map[[2]int]bool{}
	for _, f := range strings.Split(spec, ",") {
		as, bs, ok := strings.Cut(strings.TrimSpace(f), "-")
		a, e1 := strconv.Atoi(as)
		b, e2 := strconv.Atoi(bs)
		if !ok || e1 != nil || e2 != nil {
			return nil, fmt.Errorf("pairs %q: %q is not a pair such as 0-1; use chowliu, line, ring, grid or a list like 0-1,1-2", spec, f)
		}
		if a < 0 || a >= n || b < 0 || b >= n {
			return nil, fmt.Errorf("pair %d-%d: qubits are 0 to %d", a, b, n-1)
		}
		if a == b {
			return nil, fmt.Errorf("pair %d-%d: a CNOT needs two different qubits", a, b)
		}
		if seen[[2]int{a, b}] {
			return nil, fmt.Errorf("pair %d-%d appears twice", a, b)
		}
		seen[[2]int{a, b}] = true
		out = append(out, [2]int{a, b})
	}
	return out, nil
}

// ChowLiuTree returns the Chow-Liu tree of the data: a maximum spanning tree
// of the pairwise mutual information between bits (Kruskal's algorithm;
// ties, to 1e-12, go to the lower pair of indices), as (parent, child)
// pairs from a breadth-first walk from bit 0.
func ChowLiuTree(d *dataset.Dataset) [][2]int {
	n := d.Bits
	mi := d.MutualInformation()
	type edge struct {
		i, j int
		w    float64
	}
	var edges []edge
	for i := range n {
		for j := i + 1; j < n; j++ {
			edges = append(edges, edge{i, j, math.Round(mi[i][j] * 1e12)})
		}
	}
	sort.SliceStable(edges, func(a, b int) bool { return edges[a].w > edges[b].w })
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	adj := make([][]int, n)
	for _, e := range edges {
		a, b := find(e.i), find(e.j)
		if a == b {
			continue
		}
		parent[a] = b
		adj[e.i] = append(adj[e.i], e.j)
		adj[e.j] = append(adj[e.j], e.i)
	}
	var out [][2]int
	seen := make([]bool, n)
	queue := []int{0}
	seen[0] = true
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		nb := append([]int(nil), adj[u]...)
		sort.Ints(nb)
		for _, v := range nb {
			if !seen[v] {
				seen[v] = true
				out = append(out, [2]int{u, v})
				queue = append(queue, v)
			}
		}
	}
	return out
}

// NumParams returns the number of trainable parameters.
func (a *Ansatz) NumParams() int {
	if a.Kind == AnsatzHEA {
		return (2*a.Depth + 1) * a.Bits
	}
	return (3*a.Depth + 1) * a.Bits
}

// String returns the specification with the pairs spelled out, which
// ParseAnsatz reads back without data.
func (a *Ansatz) String() string {
	s := fmt.Sprintf("%s:%d", a.Kind, a.Depth)
	if a.Kind == AnsatzQCBM {
		ps := make([]string, len(a.Pairs))
		for i, p := range a.Pairs {
			ps[i] = fmt.Sprintf("%d-%d", p[0], p[1])
		}
		s += ":" + strings.Join(ps, ",")
		if len(ps) == 0 {
			s += "line" // no pairs at all only happens on one qubit
		}
	}
	return s
}

// Circuit builds the ansatz circuit with stdgates rz, rx, ry, cx and cz; its
// symbols theta_0, theta_1, ... are the parameters in order.
func (a *Ansatz) Circuit() *circuit.Circuit {
	c := circuit.New(a.Bits, 0)
	g := circuit.StdGates
	k := 0
	next := func() []circuit.Expr {
		s := c.Symbol("theta_" + strconv.Itoa(k))
		k++
		return []circuit.Expr{s}
	}
	for l := 0; l <= a.Depth; l++ {
		for q := 0; q < a.Bits; q++ {
			if a.Kind == AnsatzHEA {
				c.Apply(g["ry"], next(), q)
				if l < a.Depth {
					c.Apply(g["rz"], next(), q)
				}
				continue
			}
			if l > 0 {
				c.Apply(g["rz"], next(), q)
			}
			c.Apply(g["rx"], next(), q)
			if l < a.Depth {
				c.Apply(g["rz"], next(), q)
			}
		}
		if l == a.Depth {
			break
		}
		if a.Kind == AnsatzHEA {
			for q := 0; q+1 < a.Bits; q++ {
				c.G(g["cz"], q, q+1)
			}
			continue
		}
		for _, p := range a.Pairs {
			c.G(g["cx"], p[0], p[1])
		}
	}
	return c
}

// InitMarginals is the --init value that starts an ansatz circuit at the
// product state of the data's one-bit marginals (MarginalParams).
const InitMarginals = "marginals"

// MarginalParams returns parameters at which the circuit prepares the
// product state whose bit q is 1 with the data's marginal probability m_q:
// every parameter is drawn uniformly from (-0.005, 0.005) (seeded by seed;
// small, so that the gates before the last layer leave |0...0> nearly
// alone and the entanglers act on it trivially) except the last layer's
// Rx (qcbm) or Ry (hea) on each qubit, 2 asin(sqrt(m_q)) with m_q clipped
// to [0.001, 0.999]. The model then starts at the NLL of independent bits
// instead of at a random circuit's (above the uniform distribution's on
// many qubits).
func (a *Ansatz) MarginalParams(data *dataset.Dataset, seed uint64) ([]float64, error) {
	if data.Bits != a.Bits {
		return nil, fmt.Errorf("the ansatz has %d qubits, the data %d bits", a.Bits, data.Bits)
	}
	np := len(a.Circuit().Symbols)
	theta := make([]float64, np)
	rng := rand.New(rand.NewPCG(seed, stream(tagInit)))
	for i := range theta {
		theta[i] = 0.01 * (rng.Float64() - 0.5)
	}
	// The last layer's parameters per qubit and the rotation's place
	// among them: qcbm [rz, rx] (only [rx] at depth 0), hea [ry].
	per, at := 1, 0
	if a.Kind == AnsatzQCBM && a.Depth > 0 {
		per, at = 2, 1
	}
	first := np - per*a.Bits
	for q := range a.Bits {
		var m float64
		for i := range data.Len() {
			m += data.Probs[i] * float64(data.Bit(i, q))
		}
		m = min(max(m, 0.001), 0.999)
		theta[first+per*q+at] = 2 * math.Asin(math.Sqrt(m))
	}
	return theta, nil
}
