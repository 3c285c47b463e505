OPENQASM 2.0;
include "qelib1.inc";
include "lib.inc";
qreg q[2];
g(pi/3) q[1];
h2 q[0], q[1];
