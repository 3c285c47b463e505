OPENQASM 2.0;
include "no-such-file.inc";
qreg q[1];
