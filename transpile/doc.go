// Package transpile provides born's export to quantum hardware: exact
// decomposition of a circuit into a device's gates, SABRE layout and
// routing on its coupling map, and writers for the vendors' formats, with
// every export verifiable by exact simulation.
//
// A Target is data: a file format, a 1-qubit Euler form (Form) and one
// entangling gate, and optionally a coupling map. The built-in targets
// (Targets) are qasm2 and qasm3 (the circuit as written), ibm-heron
// ({rz, sx, x, cz} on the 156-qubit heavy-hex lattice), ibm-eagle ({rz, sx,
// x, ecr}, 127 qubits), braket ({rz, ry, rx, cnot}), braket-ionq (gpi,
// gpi2, ms in Braket's verbatim box), ionq and ionq-native (IonQ's JSON, qis
// and native gate sets) and quil ({RX(+-pi/2), RX(pi), RZ, CZ}).
//
// Transpile runs the pipeline:
//
//  1. Parameters are bound by name (or kept as "input float" for targets
//     that accept them), and if the circuit measures nothing a measurement
//     of every qubit is appended.
//  2. Every gate is decomposed exactly, global phase tracked, into 1-qubit
//     unitaries and CX: a controlled 1-qubit gate with one control and a
//     reflection as target (cx, cy, cz, ch) takes one CX; any other
//     controlled 1-qubit gate, under any number of ctrl and negctrl
//     controls, is W D W^dagger with D diagonal, and diagonal gates are
//     synthesised as phase polynomials (an Rz per parity of the qubits,
//     parities in Gray-code order: 2 CX for cp, 6 for ccx, 14 for c3x);
//     swap is three CX and a controlled swap CX, a multi-controlled X, CX;
//     other multi-qubit built-ins (rxx, rccx, rc3x, c3sqrtx, ecr, ms) and
//     user gates expand their bodies. Gates with unbound parameters stay
//     symbolic when they are rotations, U gates or singly controlled ones.
//  3. With a coupling map, SABRE (Li, Ding and Xie, ASPLOS 2019) lays the
//     circuit out (a dense layout and random ones, each refined by
//     forward-backward passes) and routes it with SWAPs scored on the front
//     layer and a lookahead set, with decay; terminal measurements are made
//     where each qubit ends. Runs are deterministic for a seed.
//  4. SWAPs become CX, CX is turned to directions the map allows and
//     translated to the target's entangling gate (cz, ecr, ms) with 1-qubit
//     corrections, adjacent 1-qubit gates are merged and self-inverse pairs
//     cancelled, and each 1-qubit unitary is synthesised in the target's
//     Euler form (ZYZ, ZXZ, IBM's rz-sx, Quil's RZ-RX(pi/2), or IonQ's gpi
//     and gpi2 with z rotations kept virtual), zero rotations dropped.
//
// What is refused, with an Error that says why: a multi-qubit gate with no
// body and no known structure (an arbitrary dense unitary: there is no KAK
// or Shannon synthesis), opaque gates, controlled or diagonal gates on more
// than MaxDiagonalQubits qubits, gates with unbound parameters under more
// than one control or a non-integer power, unbound parameters for targets
// that need numbers, and mid-circuit measurement, reset or conditions for
// targets that cannot express them.
//
// Result.Write writes an export (through package qasm's writer for
// OpenQASM 2 and 3 and the IBM targets); Result.VerifyExport reads it back
// and Verify compares exact output distributions, up to the final qubit
// permutation that Result.Layout and the file's comments give. Qubit 0 is
// the least significant bit, and bitstrings print q[n-1]...q[0].
package transpile
