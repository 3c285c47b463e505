// Package circuit provides born's circuit representation: qubits and
// classical bits in named registers, gates whose parameters are symbolic
// expressions over named trainable symbols, measurement, reset, barriers and
// classically conditioned operations, and the exact unitary of every gate.
//
// Gates are described by GateDef values. The built-in libraries are
// QELib1Gates (qelib1.inc as Qiskit ships it, for OpenQASM 2), StdGates
// (OpenQASM 3's stdgates.inc) and the core gates of each language
// (CoreQASM2, CoreQASM3). Every built-in gate has a closed-form matrix equal
// to the decomposition its library file gives, global phase included, so
// amplitudes match other tools and controlled versions are exact.
//
// Matrices follow Qiskit's convention: for a gate on arguments (a0, a1, ...),
// bit j of a matrix index is the state of argument a_j. In a state vector,
// qubit q is bit q of the basis-state index, and bitstrings print most
// significant first, q[n-1]...q[0].
//
// Engines do not interpret gate definitions themselves: Circuit.Lower
// flattens a circuit into primitive instructions (a matrix on target qubits
// with optional controls, a measurement, or a reset), keeping parameters as
// expressions so that one lowered circuit serves every parameter value.
package circuit
