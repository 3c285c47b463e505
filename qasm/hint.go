package qasm

import (
	"sort"
	"strings"

	"born/circuit"
	"born/internal/suggest"
)

// gateAliases maps names other tools use for a gate (lower case) to the
// names the OpenQASM libraries give it, in order of preference.
var gateAliases = map[string][]string{
	"cnot":    {"cx"},
	"ccnot":   {"ccx"},
	"toffoli": {"ccx"},
	"fredkin": {"cswap"},
	"phase":   {"p", "u1"},
	"cphase":  {"cp", "cu1"},
	"i":       {"id"},
	"sqrtx":   {"sx"},
	"sxd":     {"sxdg"},
	"u":       {"u3"},
}

// gateHint is "; did you mean 'x'?" for an unknown gate name: a declared
// gate, or a gate of the version's library (qelib1.inc or stdgates.inc,
// saying so when it is not included), that the name misspells or that
// other tools call by that name. It is "" when nothing is close.
func (p *parser) gateHint(name string) string {
	if strings.HasPrefix(strings.ToLower(name), "mc") {
		// Qiskit's multi-controlled gates (mcx, mcp, ...): the library
		// gate one edit away (ccx, cp) has a fixed number of controls.
		return ""
	}
	lib, libName, included := circuit.QELib1Gates, "qelib1.inc", p.qelib1
	if p.version == 3 {
		lib, libName, included = circuit.StdGates, "stdgates.inc", p.stdgates
	}
	var known []string
	declared := map[string]bool{}
	for n, s := range p.names {
		if s.kind == symGate {
			known = append(known, n)
			declared[n] = true
		}
	}
	for n := range lib {
		if !declared[n] {
			known = append(known, n)
		}
	}
	sort.Strings(known)
	best := ""
	for _, a := range gateAliases[strings.ToLower(name)] {
		if i := sort.SearchStrings(known, a); i < len(known) && known[i] == a {
			best = a
			break
		}
	}
	if best == "" {
		best = suggest.Closest(name, known)
	}
	switch {
	case best == "":
		return ""
	case declared[best] || included:
		return "; did you mean '" + best + "'?"
	}
	return "; did you mean '" + best + "' from include \"" + libName + "\"?"
}
