OPENQASM 3.0;
include "stdgates.inc";
input float[64] alpha;
input angle beta;
input array[float[64], 3] theta;
float twice = 2 * alpha + 1;
qubit[3] q;
gate layer(a, b) x, y { ry(a) x; rz(b) y; cz x, y; }
for int i in [0:1] layer(theta[i], beta ** 2) q[i], q[i+1];
rx(twice) q[2];
crx(sin(theta[2]) / sqrt(2) - log(euler)) q[0], q[2];
