// Package qasm provides born's OpenQASM reader and writer: Parse turns an
// OpenQASM 2.0 or 3 program into a *circuit.Circuit, and Write (or Format)
// turns a circuit into an OpenQASM 2.0 or 3 program.
//
// # OpenQASM 2.0
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
// letters (θ). Block comments /* */ are accepted silently.
//
// # OpenQASM 3
//
// "OPENQASM 3;" (or 3.0, 3.1) selects OpenQASM 3. Its version line is
// optional: a program without one that includes "stdgates.inc", or starts a
// statement with qubit, bit, input, const or a gate modifier, or uses π, τ,
// ℇ, @ or $0, is read as OpenQASM 3 with a warning.
//
// The reader takes the subset that tools emit and hardware vendors accept:
//   - include "stdgates.inc", built in as circuit.StdGates: every gate as
//     that file defines it, global phase included (rz, cp, u3 and others
//     differ from qelib1.inc's in global phase, which matters under ctrl @),
//     except CX, which is cx as the specification describes it (the file's
//     body ctrl @ U(π, 0, π) would be ctrl @ iX under the current U);
//   - the built-in gates U (the specification's, e^{iθ/2} times Qiskit's)
//     and gphase;
//   - qubit[n] q; qubit q; bit[n] c; bit c; and the old qreg and creg;
//     physical qubits $0, $1, ... (a register "$" of the largest index used
//     plus one; a program uses either physical or declared qubits);
//   - c = measure q;, c[0] = measure q[0];, measure q -> c;, reset, barrier
//     (without operands: every qubit); operands may be indexed by integer
//     expressions (negative ones count from the end) and sliced, q[a:b] or
//     q[a:step:b], and registers broadcast as in OpenQASM 2;
//   - gate definitions whose bodies apply gates with modifiers and gphase;
//   - the modifiers ctrl @, ctrl(n) @, negctrl @, negctrl(n) @, inv @ and
//     pow(k) @ on built-in and user gates (k is a constant; a non-integer k
//     is accepted where circuit.Lower accepts it: one-qubit and diagonal
//     gates, and user gates with numeric parameters);
//   - const, int, uint, float, angle and bool declarations with values known
//     while reading (born does not run classical computations: a variable
//     keeps its initial value and assigning to it is an error); angle is
//     read as a float64, without reducing it modulo 2π;
//   - input float[64] x; and input angle x; (any width), and input
//     array[float[64], N] theta; whose elements theta[i] are used as
//     theta[i]: each input, in declaration order, is a circuit symbol, a
//     trainable parameter (an array gives symbols theta[0] ... theta[N-1]);
//   - expressions with π pi τ tau ℇ euler, + - * / % ** (power; ^ is
//     bitwise xor), the bitwise, shift, comparison and logical operators for
//     integers and conditions, sin cos tan arcsin arccos arctan exp log
//     sqrt pow, and mod floor ceiling of constants, and casts such as
//     int[4](c) and bool(x); real-valued contexts (gate parameters, float
//     and angle values) compute in reals, so 3/5 is 0.6, and integer
//     contexts (sizes, indices, ranges) in integers;
//   - for loops over ranges [a:b] and [a:step:b] (both ends included) and
//     sets {a, b, ...}, unrolled while reading, within limits;
//   - if (c == k) { } else { }, if (c[0]) and conditions with !=, ! and &&
//     on bits, registers and integer casts of them: the operations of the
//     branches get conditions (the else branch the negated one); a
//     condition known while reading selects a branch;
//   - both kinds of comments.
//
// Anything else is an error that names the feature, at its position, and
// the reader goes on to the next statement: def, extern, while, switch,
// return, break, continue, box, delay, timing literals, duration and
// stretch, let, defcal, defcalgrammar, cal, output, complex, array
// declarations other than inputs, annotations, pragmas, assignments other
// than c = measure q, measure without a destination, and measuring into a
// bit inside an if that tests it.
//
// # Errors and limits
//
// Errors are positioned, "file:line:col: message", and say what was
// expected. Parse returns them as an ErrorList holding every error it
// could find in one pass (it recovers at the next ';' or block), at most
// MaxErrors of them followed by "too many errors".
//
// The reader bounds its work for any input: registers may hold at most
// MaxQubits qubits (MaxClbits bits) in all, the number of operations after
// broadcasting and loop unrolling is bounded by Options.MaxOps (each
// operation takes about 200 bytes, so the default bounds a circuit to about
// a gigabyte; a file whose top-level statements alone pass the bound is
// refused from a first look at its bytes, before it is read), loops unroll by reading their bodies again, at most about
// four million tokens in all, and expressions, include nesting and the
// number of includes are bounded too.
//
// # Writing
//
// Write prints a circuit as an OpenQASM 2.0 or 3 program that reads back
// with the same unitary, global phase included (or, for a circuit that
// measures, the same operations), with numbers that read back bit for bit,
// and the same output for the same circuit. Gate definitions are written
// (or inlined with WriteOptions.Flatten); parameters are bound to numbers
// (WriteOptions.Params) or, in OpenQASM 3, kept as input declarations.
// Gates of the other version's library are written exactly, through helper
// definitions where the libraries differ in global phase. OpenQASM 2 has
// no modifiers and no gphase: modifiers are decomposed exactly, and a
// global phase is written as the gate global_phase(γ) q, whose body
// u1(γ) q; x q; u1(γ) q; x q; is e^{iγ} times the identity. What cannot be
// written exactly is refused with an error; see Write.
//
// The front end is organized like go/scanner and go/parser (a scanner that
// yields positioned tokens and a recursive-descent parser) and dispatches on
// the version line.
package qasm
