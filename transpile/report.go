package transpile

import "born/circuit"

// Report is the machine-readable account of an export (born export
// --report): target, layouts, gate counts before and after routing, and
// where each classical bit is measured.
type Report struct {
	Target         string   `json:"target"`
	Format         string   `json:"format"`
	Basis          []string `json:"basis,omitempty"`
	Qubits         int      `json:"qubits"`          // of the source
	ExportQubits   int      `json:"export_qubits"`   // of the export (the device's, with a map)
	PhysicalQubits bool     `json:"physical_qubits"` // export qubits are hardware qubits
	CouplingMap    string   `json:"coupling_map,omitempty"`
	// InitialLayout[i] and FinalLayout[i] are the export qubits source
	// qubit i starts and ends on: the final permutation.
	InitialLayout []int `json:"initial_layout"`
	FinalLayout   []int `json:"final_layout"`
	Swaps         int   `json:"swaps"`
	// Before and After count gates in the target's basis without and with
	// routing.
	Before Stats `json:"before_routing"`
	After  Stats `json:"after_routing"`
	// Measurements lists, for each measurement of the export, the classical
	// bit and the export qubit it reads, in program order.
	Measurements    []Measurement `json:"measurements"`
	AppendedMeasure bool          `json:"appended_measurement"`
	Symbolic        []string      `json:"symbolic_parameters,omitempty"`
	GlobalPhase     float64       `json:"global_phase"`
	GlobalPhaseExpr string        `json:"global_phase_symbolic,omitempty"`
	DroppedFinalZ   bool          `json:"dropped_final_z_rotations,omitempty"`
	Verification    *Verification `json:"verification"`
}

// Measurement is one measurement of an export.
type Measurement struct {
	Clbit string `json:"clbit"` // "c[0]"
	Qubit int    `json:"qubit"`
}

// Verification records how an export was checked.
type Verification struct {
	// Method says what was simulated: "read back" (the written file parsed
	// and simulated) or "circuit" (the export's circuit before writing,
	// for formats born does not read), or "skipped".
	Method        string  `json:"method"`
	Qubits        int     `json:"qubits,omitempty"`
	MaxDiff       float64 `json:"max_prob_diff"`
	ClassicalDiff float64 `json:"max_classical_diff"`
	Tolerance     float64 `json:"tolerance"`
	// Powers is the number of integer gate powers checked by a route
	// independent of the lowering (CheckPowers).
	Powers int `json:"powers_checked,omitempty"`
	// Values are the parameter values verified at, for symbolic exports.
	Values map[string]float64 `json:"values,omitempty"`
}

// Report returns the export's report, without verification.
func (r *Result) Report() *Report {
	rep := &Report{
		Target: r.Target.Name, Format: r.Target.Format.String(), Qubits: r.Source.NumQubits,
		ExportQubits: r.Circuit.NumQubits, PhysicalQubits: r.Physical,
		InitialLayout: r.Layout.Initial, FinalLayout: r.Layout.Final, Swaps: r.Layout.Swaps,
		Before: r.Before, After: r.After, AppendedMeasure: r.AppendedMeasure,
		Symbolic: r.Circuit.Symbols, GlobalPhase: r.GlobalPhase, DroppedFinalZ: r.DroppedZ,
		Measurements: []Measurement{},
	}
	if !r.Target.AsWritten {
		rep.Basis = r.Target.Basis()
	}
	if r.Coupling != nil {
		rep.CouplingMap = r.Coupling.Name
	}
	if r.GlobalPhaseExpr != nil {
		rep.GlobalPhaseExpr = r.GlobalPhaseExpr.String()
	}
	for _, op := range r.Circuit.Ops {
		if op.Kind == circuit.Measure {
			for i, q := range op.Qubits {
				rep.Measurements = append(rep.Measurements, Measurement{Clbit: r.Circuit.ClbitLabel(op.Clbits[i]), Qubit: q})
			}
		}
	}
	return rep
}
