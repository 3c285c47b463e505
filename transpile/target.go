package transpile

import (
	"fmt"
	"sort"
	"strings"

	"born/circuit"
	"born/internal/suggest"
)

// Format is the file format of an export.
type Format uint8

const (
	FormatQASM2  Format = iota + 1 // OpenQASM 2.0
	FormatQASM3                    // OpenQASM 3
	FormatBraket                   // OpenQASM 3 with Amazon Braket's gate names
	FormatIonQ                     // IonQ's JSON circuit
	FormatQuil                     // Rigetti Quil
)

func (f Format) String() string {
	switch f {
	case FormatQASM2:
		return "OpenQASM 2.0"
	case FormatQASM3:
		return "OpenQASM 3"
	case FormatBraket:
		return "OpenQASM 3 (Amazon Braket)"
	case FormatIonQ:
		return "IonQ JSON"
	case FormatQuil:
		return "Quil"
	}
	return "?"
}

// Target is an export target: a file format and, unless AsWritten, a basis
// of gates (a 1-qubit Euler form and one entangling gate) and an optional
// coupling map. Targets are data; Targets lists the built-in ones.
type Target struct {
	Name        string
	Description string
	Format      Format
	// AsWritten keeps the circuit's own gates (qasm2, qasm3): no basis
	// change and no routing.
	AsWritten bool
	// OneQubit is the Euler form 1-qubit gates are synthesised in.
	OneQubit Form
	// TwoQubit is the entangling gate: cx, cz, ecr or ms.
	TwoQubit string
	// Gates maps the gate names the target writes to their definitions.
	Gates circuit.Catalog
	// Coupling returns the device's default coupling map, or nil for
	// all-to-all connectivity.
	Coupling func() *CouplingMap
	// Physical is set when qubits are hardware qubits, written $k in
	// OpenQASM 3; always the case when a coupling map is used.
	Physical bool
	// Verbatim wraps the gates in Braket's "#pragma braket verbatim" box.
	Verbatim bool
	// Symbolic is set when unbound parameters may be kept as "input float".
	Symbolic bool
	// Dynamic is set when mid-circuit measurement, reset and classically
	// conditioned gates may be written.
	Dynamic bool
}

// Basis returns the names of the target's gates, sorted.
func (t *Target) Basis() []string { return t.Gates.Names() }

func catalog(gs ...*circuit.GateDef) circuit.Catalog {
	c := circuit.Catalog{}
	for _, g := range gs {
		c[g.Name] = g
	}
	return c
}

var targets []*Target

func init() {
	std := circuit.StdGates
	targets = []*Target{
		{Name: "qasm2", Description: "OpenQASM 2.0, the circuit as written, parameters bound",
			Format: FormatQASM2, AsWritten: true, Dynamic: true},
		{Name: "qasm3", Description: "OpenQASM 3, the circuit as written; parameters bound or kept as input float",
			Format: FormatQASM3, AsWritten: true, Symbolic: true, Dynamic: true},
		{Name: "ibm-heron", Description: "IBM Heron: OpenQASM 3 in rz, sx, x, cz on the 156-qubit heavy-hex lattice",
			Format: FormatQASM3, OneQubit: FormZSX, TwoQubit: "cz",
			Gates: catalog(std["rz"], std["sx"], std["x"], std["cz"]), Coupling: HeavyHexHeron, Physical: true, Dynamic: true},
		{Name: "ibm-eagle", Description: "IBM Eagle: OpenQASM 3 in rz, sx, x, ecr on the 127-qubit heavy-hex lattice",
			Format: FormatQASM3, OneQubit: FormZSX, TwoQubit: "ecr",
			Gates: catalog(std["rz"], std["sx"], std["x"], ECR), Coupling: HeavyHexEagle, Physical: true, Dynamic: true},
		{Name: "braket", Description: "Amazon Braket: OpenQASM 3 in rz, ry, rx, cnot; parameters bound or kept as input float",
			Format: FormatBraket, OneQubit: FormZYZ, TwoQubit: "cnot",
			Gates: catalog(std["rz"], std["ry"], std["rx"], BraketGates["cnot"]), Symbolic: true},
		{Name: "braket-ionq", Description: "Amazon Braket on IonQ: gpi, gpi2, ms (radians) in a verbatim box on physical qubits",
			Format: FormatBraket, OneQubit: FormGPI, TwoQubit: "ms",
			Gates: catalog(GPI, GPI2, MS), Physical: true, Verbatim: true},
		{Name: "ionq", Description: "IonQ JSON, qis gate set: rz, ry, cnot (radians)",
			Format: FormatIonQ, OneQubit: FormZYZ, TwoQubit: "cnot",
			Gates: catalog(std["rz"], std["ry"], IonQGates["cnot"])},
		{Name: "ionq-native", Description: "IonQ JSON, native gate set: gpi, gpi2, ms (phases in turns)",
			Format: FormatIonQ, OneQubit: FormGPI, TwoQubit: "ms",
			Gates: catalog(GPI, GPI2, MS)},
		{Name: "quil", Description: "Rigetti Quil in RX(+-pi/2), RX(pi), RZ, CZ",
			Format: FormatQuil, OneQubit: FormQuil, TwoQubit: "cz",
			Gates: QuilGates, Dynamic: true},
	}
}

// Targets returns the built-in targets in a fixed order.
func Targets() []*Target { return append([]*Target(nil), targets...) }

// TargetNames returns the names of the built-in targets, in the order of
// Targets.
func TargetNames() []string {
	names := make([]string, len(targets))
	for i, t := range targets {
		names[i] = t.Name
	}
	return names
}

// LookupTarget returns the built-in target called name.
func LookupTarget(name string) (*Target, error) {
	for _, t := range targets {
		if t.Name == name {
			return t, nil
		}
	}
	names := TargetNames()
	sort.Strings(names)
	return nil, fmt.Errorf("unknown target %q%s: use one of %s", name, suggest.DidYouMean(name, names), strings.Join(names, ", "))
}
