package transpile

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// CouplingMap is a device's qubit connectivity: the pairs of physical
// qubits a 2-qubit gate can act on. Edges are directed as given; a pair
// listed in one direction only is usable by direction-sensitive gates (cx,
// ecr) in that direction alone, and by symmetric ones (cz, ms) both ways.
// Routing treats the map as undirected.
type CouplingMap struct {
	Name  string
	N     int      // number of physical qubits, 0..N-1
	Edges [][2]int // as given, without duplicates

	adj  [][]int // undirected neighbours, sorted
	dirs map[[2]int]bool
	dist [][]int // all-pairs shortest path lengths, -1 if unreachable
}

// MaxCouplingQubits is the largest coupling map accepted (the router keeps
// all-pairs distances, N^2 integers).
const MaxCouplingQubits = 2048

// NewCouplingMap returns the map on n qubits with the given edges. It
// rejects edges out of range and self-loops, and drops duplicates. A map
// that is disconnected is valid here; Check rejects it for routing.
func NewCouplingMap(name string, n int, edges [][2]int) (*CouplingMap, error) {
	if n < 1 {
		return nil, fmt.Errorf("coupling map %s: no qubits", name)
	}
	if n > MaxCouplingQubits {
		return nil, fmt.Errorf("coupling map %s: %d qubits; at most %d are supported", name, n, MaxCouplingQubits)
	}
	m := &CouplingMap{Name: name, N: n, adj: make([][]int, n), dirs: map[[2]int]bool{}}
	und := map[[2]int]bool{}
	for _, e := range edges {
		a, b := e[0], e[1]
		if a < 0 || b < 0 || a >= n || b >= n {
			return nil, fmt.Errorf("coupling map %s: edge [%d, %d] names a qubit outside 0..%d", name, a, b, n-1)
		}
		if a == b {
			return nil, fmt.Errorf("coupling map %s: edge [%d, %d] joins a qubit to itself", name, a, b)
		}
		if m.dirs[e] {
			continue
		}
		m.dirs[e] = true
		m.Edges = append(m.Edges, e)
		k := [2]int{min(a, b), max(a, b)}
		if !und[k] {
			und[k] = true
			m.adj[a] = append(m.adj[a], b)
			m.adj[b] = append(m.adj[b], a)
		}
	}
	for _, nb := range m.adj {
		sort.Ints(nb)
	}
	m.distances()
	return m, nil
}

// ParseCouplingMap reads a JSON edge list, [[0, 1], [1, 2], ...], the form
// of Qiskit's and IBM's coupling maps. The number of qubits is one more than
// the largest qubit named.
func ParseCouplingMap(name string, data []byte) (*CouplingMap, error) {
	var raw [][]int
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("coupling map %s: %v; want a JSON list of qubit pairs such as [[0, 1], [1, 2]]", name, err)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("coupling map %s: no edges; want a JSON list of qubit pairs such as [[0, 1], [1, 2]]", name)
	}
	edges := make([][2]int, len(raw))
	n := 0
	for i, e := range raw {
		if len(e) != 2 {
			return nil, fmt.Errorf("coupling map %s: edge %d has %d qubits, want a pair [a, b]", name, i, len(e))
		}
		if e[0] < 0 || e[1] < 0 {
			return nil, fmt.Errorf("coupling map %s: edge %d [%d, %d] names a negative qubit", name, i, e[0], e[1])
		}
		if e[0] >= MaxCouplingQubits || e[1] >= MaxCouplingQubits {
			return nil, fmt.Errorf("coupling map %s: edge %d [%d, %d] names a qubit above %d", name, i, e[0], e[1], MaxCouplingQubits-1)
		}
		edges[i] = [2]int{e[0], e[1]}
		n = max(n, e[0]+1, e[1]+1)
	}
	return NewCouplingMap(name, n, edges)
}

// MarshalJSON writes the map as its edge list.
func (m *CouplingMap) MarshalJSON() ([]byte, error) { return json.Marshal(m.Edges) }

// Neighbors returns the qubits joined to physical qubit p, sorted.
func (m *CouplingMap) Neighbors(p int) []int { return m.adj[p] }

// Allowed reports whether a direction-sensitive gate may act on (a, b) in
// that order.
func (m *CouplingMap) Allowed(a, b int) bool { return m.dirs[[2]int{a, b}] }

// Adjacent reports whether a and b are joined in either direction.
func (m *CouplingMap) Adjacent(a, b int) bool { return m.dirs[[2]int{a, b}] || m.dirs[[2]int{b, a}] }

// Directed reports whether some edge is listed in one direction only.
func (m *CouplingMap) Directed() bool {
	for e := range m.dirs {
		if !m.dirs[[2]int{e[1], e[0]}] {
			return true
		}
	}
	return false
}

// Distance returns the number of edges on a shortest path from a to b, or
// -1 when there is none.
func (m *CouplingMap) Distance(a, b int) int { return m.dist[a][b] }

func (m *CouplingMap) distances() {
	m.dist = make([][]int, m.N)
	queue := make([]int, 0, m.N)
	for s := 0; s < m.N; s++ {
		d := make([]int, m.N)
		for i := range d {
			d[i] = -1
		}
		d[s] = 0
		queue = append(queue[:0], s)
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			for _, v := range m.adj[u] {
				if d[v] < 0 {
					d[v] = d[u] + 1
					queue = append(queue, v)
				}
			}
		}
		m.dist[s] = d
	}
}

// Components returns the connected components, each sorted, ordered by
// their smallest qubit.
func (m *CouplingMap) Components() [][]int {
	seen := make([]bool, m.N)
	var comps [][]int
	for s := 0; s < m.N; s++ {
		if seen[s] {
			continue
		}
		var comp []int
		for v := 0; v < m.N; v++ {
			if m.dist[s][v] >= 0 {
				seen[v] = true
				comp = append(comp, v)
			}
		}
		comps = append(comps, comp)
	}
	return comps
}

// Check reports whether the map can hold a circuit of n qubits: it must
// have at least n qubits and be connected.
func (m *CouplingMap) Check(n int) error {
	if m.N < n {
		return fmt.Errorf("coupling map %s has %d qubits but the circuit needs %d: use a larger device or map", m.Name, m.N, n)
	}
	if comps := m.Components(); len(comps) > 1 {
		var parts []string
		for i, c := range comps {
			if i == 4 {
				parts = append(parts, "...")
				break
			}
			parts = append(parts, summarize(c))
		}
		return fmt.Errorf("coupling map %s is disconnected: %d separate groups of qubits (%s); SWAP routing needs every qubit reachable: list the edges of one connected region, renumbered from 0",
			m.Name, len(comps), strings.Join(parts, "; "))
	}
	return nil
}

func summarize(qs []int) string {
	if len(qs) <= 6 {
		return fmt.Sprint(qs)
	}
	return fmt.Sprintf("[%d %d %d ... %d] (%d qubits)", qs[0], qs[1], qs[2], qs[len(qs)-1], len(qs))
}

// heavyHex builds a heavy-hex lattice from rows of qubits (each a range of
// columns, inclusive) and, between consecutive rows, bridge qubits at the
// given columns. Qubits are numbered row by row, each row's bridges after
// it, as IBM numbers its devices.
func heavyHex(name string, rows [][2]int, gaps [][]int) *CouplingMap {
	var edges [][2]int
	n := 0
	rowStart := make([]int, len(rows)) // qubit number of each row's first column
	for r, cols := range rows {
		rowStart[r] = n - cols[0]
		for c := cols[0]; c < cols[1]; c++ {
			edges = append(edges, [2]int{rowStart[r] + c, rowStart[r] + c + 1})
		}
		n += cols[1] - cols[0] + 1
		if r < len(gaps) {
			n += len(gaps[r])
		}
	}
	for r, g := range gaps {
		bridge := rowStart[r] + rows[r][1] + 1
		for i, c := range g {
			edges = append(edges, [2]int{rowStart[r] + c, bridge + i}, [2]int{bridge + i, rowStart[r+1] + c})
		}
	}
	m, err := NewCouplingMap(name, n, symmetric(edges))
	if err != nil {
		panic(err) // the lattices built here are valid by construction
	}
	return m
}

func symmetric(edges [][2]int) [][2]int {
	out := make([][2]int, 0, 2*len(edges))
	for _, e := range edges {
		out = append(out, e, [2]int{e[1], e[0]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}

// HeavyHexHeron returns the 156-qubit heavy-hex lattice of IBM's Heron r2
// processors (ibm_fez, ibm_marrakesh): 8 rows of 16 qubits joined by 4
// bridge qubits between consecutive rows, at columns 3, 7, 11, 15 and 1, 5,
// 9, 13 alternately. Edges are listed in both directions (cz is symmetric).
func HeavyHexHeron() *CouplingMap {
	rows := make([][2]int, 8)
	gaps := make([][]int, 7)
	for r := range rows {
		rows[r] = [2]int{0, 15}
	}
	for g := range gaps {
		if g%2 == 0 {
			gaps[g] = []int{3, 7, 11, 15}
		} else {
			gaps[g] = []int{1, 5, 9, 13}
		}
	}
	return heavyHex("heron-156", rows, gaps)
}

// HeavyHexEagle returns the 127-qubit heavy-hex lattice of IBM's Eagle
// processors (ibm_washington, ibm_brisbane): 7 rows (14, five of 15, 14
// qubits) joined by 4 bridge qubits at columns 0, 4, 8, 12 and 2, 6, 10, 14
// alternately. Edges are listed in both directions; a device's own map,
// with its ECR directions, can be given as a file instead.
func HeavyHexEagle() *CouplingMap {
	rows := [][2]int{{0, 13}, {0, 14}, {0, 14}, {0, 14}, {0, 14}, {0, 14}, {1, 14}}
	gaps := make([][]int, 6)
	for g := range gaps {
		if g%2 == 0 {
			gaps[g] = []int{0, 4, 8, 12}
		} else {
			gaps[g] = []int{2, 6, 10, 14}
		}
	}
	return heavyHex("eagle-127", rows, gaps)
}

// HeavyHex returns a Heron-style heavy-hex lattice of rows rows of cols
// qubits each (rows >= 1, cols >= 2), with bridge qubits between
// consecutive rows at columns 3, 7, 11, ... and 1, 5, 9, ... alternately.
// HeavyHex(8, 16) is HeavyHexHeron.
func HeavyHex(rows, cols int) (*CouplingMap, error) {
	if rows < 1 || cols < 2 || rows*(cols+1) > MaxCouplingQubits {
		return nil, fmt.Errorf("heavy-hex lattice %dx%d: need at least 1 row of at least 2 qubits", rows, cols)
	}
	rs := make([][2]int, rows)
	gaps := make([][]int, rows-1)
	for r := range rs {
		rs[r] = [2]int{0, cols - 1}
	}
	for g := range gaps {
		start := 3
		if g%2 == 1 {
			start = 1
		}
		for c := start; c < cols; c += 4 {
			gaps[g] = append(gaps[g], c)
		}
		if len(gaps[g]) == 0 {
			gaps[g] = []int{cols - 1}
		}
	}
	return heavyHex(fmt.Sprintf("heavy-hex-%dx%d", rows, cols), rs, gaps), nil
}

// Line returns the path 0-1-...-(n-1), with edges in both directions.
func Line(n int) *CouplingMap {
	var edges [][2]int
	for i := 0; i+1 < n; i++ {
		edges = append(edges, [2]int{i, i + 1})
	}
	m, err := NewCouplingMap(fmt.Sprintf("line-%d", n), max(n, 1), symmetric(edges))
	if err != nil {
		panic(err)
	}
	return m
}

// Grid returns the rows x cols square lattice, with edges in both
// directions.
func Grid(rows, cols int) *CouplingMap {
	var edges [][2]int
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			q := r*cols + c
			if c+1 < cols {
				edges = append(edges, [2]int{q, q + 1})
			}
			if r+1 < rows {
				edges = append(edges, [2]int{q, q + cols})
			}
		}
	}
	m, err := NewCouplingMap(fmt.Sprintf("grid-%dx%d", rows, cols), max(rows*cols, 1), symmetric(edges))
	if err != nil {
		panic(err)
	}
	return m
}
