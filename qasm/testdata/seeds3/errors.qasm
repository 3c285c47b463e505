OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] c;
h q[2];
cx q[0];
foo q;
rx(1 ^ 2) q[0];
if (c < 1) x q[0];
c[0] = measure q[0] + 1;
for int i in [0:1000000000] { }
const float z = 0/0.0;
