// Package qasm provides born's OpenQASM reader: it turns an OpenQASM 2.0
// program into a *circuit.Circuit.
//
// The reader follows the specification (Cross et al., arXiv:1707.03429):
// the version line, include, qreg and creg, gate definitions with
// parameters, opaque declarations, the built-in gates U and CX, register
// broadcasting, measure, reset, barrier, if (creg == int), and parameter
// expressions with pi, + - * / ^, unary minus and sin cos tan exp ln sqrt.
// ^ is right-associative and binds tighter than unary minus, so -2^2 = -4
// and 2^3^2 = 512. Constant expressions are folded; one that is NaN or
// infinite is an error.
//
// include "qelib1.inc" is built in: it declares the gates of
// circuit.QELib1Gates (qelib1.inc as Qiskit ships it) without reading a
// file. Other includes are read with Options.ReadFile, relative to the
// directory of the including file.
//
// User gates become circuit.GateDef values with Lib circuit.LibUser, appended
// to Circuit.Defs in declaration order. In a body, operation qubits index the
// formal qubit arguments and circuit.Sym{Index: i} stands for formal
// parameter i. Opaque declarations give GateDef{Opaque: true}; applying one
// is an error unless Options.AllowOpaque is set, since it cannot be
// simulated.
//
// Real files bend the specification. Where Qiskit accepts a program and the
// meaning is unambiguous, Parse reads it and returns a Warning: a missing
// OPENQASM line, "OPENQASM 2;", a real without a decimal point (1e-3), a
// redefinition of a gate of qelib1.inc (the later definition is used), a
// condition on a single bit (if (c[0] == 1)), and identifiers with non-ASCII
// letters (θ). Block comments /* */ are accepted silently. An OpenQASM 3
// program is refused with one error that says so.
//
// Errors are positioned, "file:line:col: message", and say what was
// expected. Parse returns them as an ErrorList holding every error it
// could find in one pass (it recovers at the next ';' or '}'), at most
// MaxErrors of them followed by "too many errors".
//
// The reader bounds its work for any input: time is linear in the size of
// the source, registers may hold at most MaxQubits qubits (MaxClbits bits)
// in all, the number of operations after broadcasting is bounded by
// Options.MaxOps (each operation takes about 300 bytes, so the default
// bounds a circuit to about a gigabyte), and expressions, include nesting and
// the number of includes are bounded too.
//
// The front end is organized like go/scanner and go/parser (a scanner that
// yields positioned tokens and a recursive-descent parser) and dispatches on
// the version line, so that OpenQASM 3 can be added: for now "OPENQASM 3"
// is reported as not supported yet.
package qasm
