OPENQASM 2.0;
include "qelib1.inc";
include "lib/swap.inc";
qreg q[2];
x q[0];
swap2 q[0], q[1];
