/* no version line */
gate rθ(θ) a { U(θ, 0, 0) a; }
qreg qπ[1];
rθ(0.1) qπ[0];
