OPENQASM 2.0
qreg q[2];
gate r a { h a[0]; r a; }
cx q, q;
mcx q[0], q[1];
rx(0/0) q[5];
measure q -> c;
include "self.inc";
qreg big[100000000];
