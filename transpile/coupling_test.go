package transpile

import (
	"fmt"
	"strings"
	"testing"
)

func TestHeavyHex(t *testing.T) {
	cases := []struct {
		m        *CouplingMap
		n, edges int
	}{
		{HeavyHexHeron(), 156, 176},
		{HeavyHexEagle(), 127, 144},
		{mustHeavyHex(t, 3, 8), 28, 29},
	}
	for _, c := range cases {
		if c.m.N != c.n || len(c.m.Edges) != 2*c.edges {
			t.Errorf("%s: %d qubits, %d directed edges; want %d, %d", c.m.Name, c.m.N, len(c.m.Edges), c.n, 2*c.edges)
		}
		if err := c.m.Check(c.n); err != nil {
			t.Errorf("%s: %v", c.m.Name, err)
		}
		// Heavy-hex: degree at most 3, and no two degree-3 qubits adjacent.
		for p := 0; p < c.m.N; p++ {
			nb := c.m.Neighbors(p)
			if len(nb) > 3 || len(nb) == 0 {
				t.Errorf("%s: qubit %d has degree %d", c.m.Name, p, len(nb))
			}
			for _, q := range nb {
				if len(nb) == 3 && len(c.m.Neighbors(q)) == 3 {
					t.Errorf("%s: degree-3 qubits %d and %d are adjacent", c.m.Name, p, q)
				}
			}
		}
	}
	// Spot checks against IBM's published maps.
	heron, eagle := HeavyHexHeron(), HeavyHexEagle()
	for _, e := range [][2]int{{3, 16}, {16, 23}, {21, 36}, {36, 41}, {139, 155}, {154, 155}} {
		if !heron.Allowed(e[0], e[1]) || !heron.Allowed(e[1], e[0]) {
			t.Errorf("heron: no edge %v", e)
		}
	}
	for _, e := range [][2]int{{0, 14}, {14, 18}, {12, 17}, {17, 30}, {108, 112}, {112, 126}, {113, 114}} {
		if !eagle.Adjacent(e[0], e[1]) {
			t.Errorf("eagle: no edge %v", e)
		}
	}
	h, _ := HeavyHex(8, 16)
	if fmt.Sprint(h.Edges) != fmt.Sprint(heron.Edges) {
		t.Error("HeavyHex(8, 16) differs from HeavyHexHeron")
	}
}

func mustHeavyHex(t *testing.T, r, c int) *CouplingMap {
	m, err := HeavyHex(r, c)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCouplingMapBadInput(t *testing.T) {
	cases := []struct {
		name, json string
		n          int
		want       string
	}{
		{"not json", `{"edges": 3}`, 2, "JSON list of qubit pairs"},
		{"empty", `[]`, 2, "no edges"},
		{"triple", `[[0, 1, 2]]`, 2, "want a pair"},
		{"negative", `[[0, -1]]`, 2, "negative"},
		{"self loop", `[[1, 1], [0, 1]]`, 2, "itself"},
		{"huge", `[[0, 100000]]`, 2, "above"},
		{"disconnected", `[[0, 1], [2, 3]]`, 2, "disconnected"},
		{"isolated qubit", `[[0, 1], [1, 3]]`, 2, "disconnected"},
		{"too small", `[[0, 1], [1, 2]]`, 5, "has 3 qubits but the circuit needs 5"},
	}
	for _, c := range cases {
		m, err := ParseCouplingMap(c.name, []byte(c.json))
		if err == nil {
			err = m.Check(c.n)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	m, err := ParseCouplingMap("ok", []byte(`[[0, 1], [1, 2], [2, 1]]`))
	if err != nil || m.N != 3 || !m.Directed() || !m.Allowed(0, 1) || m.Allowed(1, 0) || !m.Adjacent(1, 0) || m.Distance(0, 2) != 2 {
		t.Errorf("parse [[0,1],[1,2],[2,1]]: %+v, %v", m, err)
	}
}

func ExampleHeavyHexHeron() {
	m := HeavyHexHeron()
	fmt.Println(m.N, len(m.Edges)/2, m.Neighbors(3), m.Distance(0, 155))
	// Output:
	// 156 176 [2 4 16] 29
}

// Any input gives a map or an error, never a panic.
func FuzzParseCouplingMap(f *testing.F) {
	for _, s := range []string{`[[0,1],[1,2]]`, `[]`, `[[0]]`, `[[-1,2]]`, `[[0,0]]`, `{"a":1}`, `[[0,2047],[5,6]]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseCouplingMap("fuzz", []byte(s))
		if err != nil {
			return
		}
		_ = m.Check(2)
		for _, e := range m.Edges {
			if m.Distance(e[0], e[1]) != 1 {
				t.Fatalf("edge %v at distance %d", e, m.Distance(e[0], e[1]))
			}
		}
	})
}
