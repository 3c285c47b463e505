OPENQASM 3.0;
include "stdgates.inc";
const int[32] n = 3;
extern vote(bit[n]) -> bit;
def logical(qubit[3] d) -> bit { bit[3] c; measure d -> c; return vote(c); }
qubit[3] q;
bit r;
while (r == 0) { r = logical(q); }
box { delay[100ns] q; }
let a = q[0:1];
defcal x $0 { play drive($0), gaussian(100, 30, 5); }
duration d = 10us;
switch (r) { case 0 { } }
