include "stdgates.inc";
const int n = 4;
const float[64] theta = 3 * pi / 8;
qubit[n] q;
bit[n] c;
for int i in [0:n-2] { cx q[i], q[i+1]; }
for uint i in [n-1:-1:0] rz(theta * i / n) q[i];
for i in {0, 2} { h q[i]; }
c = measure q;
