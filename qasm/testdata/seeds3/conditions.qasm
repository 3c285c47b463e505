OPENQASM 3;
include "stdgates.inc";
qubit[2] q;
bit[2] c;
bit b;
h q[0];
c[0] = measure q[0];
measure q[1] -> b;
if (c == 1) { x q[1]; } else { z q[1]; }
if (c[0]) y q[0];
if (!b && int[2](c) != 3) { reset q[0]; }
if (c[1] == 0) { if (b) { s q[1]; } }
