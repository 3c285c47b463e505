OPENQASM 2.0;
include "qelib1.inc";
// user gates with parameters, nesting and barriers
gate rot(theta, phi) a { U(theta, phi, -phi) a; }
gate ent(t) a, b {
  rot(t/2, pi^2) a;
  barrier a, b;
  CX a, b;
  rot(-t, sin(t)*2) b;
}
opaque magic(x) a, b;
qreg q[3];
ent(0.25) q[0], q[2];
ent(-2^-1) q[1], q[0];
