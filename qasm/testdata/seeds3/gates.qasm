OPENQASM 3.0;
include "stdgates.inc";
gate post q { }
gate ph(g) a { gphase(g); }
gate majority a, b, c { cx c, b; cx c, a; ccx a, b, c; }
gate g2(t) a, b { ctrl @ ph(t) a, b; inv @ ph(t) b; }
qreg r[3];
creg d[3];
majority r[0], r[1], r[2];
ctrl @ post r[0], r[1];
pow(3) @ ph(0.1) r[2];
barrier r;
g2(0.3) r[0], r[2];
barrier;
measure r -> d;
