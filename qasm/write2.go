package qasm

// Writing OpenQASM 2, which has no gate modifiers and no gphase: modifiers
// are decomposed exactly into qelib1.inc gates, and global phases are
// written with a helper gate.

import (
	"fmt"
	"math"
	"math/cmplx"

	"born/circuit"
)

// maxControls2 bounds the controls of a multi-controlled gate written in
// OpenQASM 2 (the decomposition grows about threefold per control).
const maxControls2 = 10

// gate2 writes a gate application in OpenQASM 2.
func (w *writer) gate2(out *[]string, g *circuit.GateDef, params []circuit.Expr, mods []circuit.Modifier, qubits []int, en env, qname func(int) string) error {
	ctl, pw, nc := splitMods(mods)
	if nc == 0 && pw == 1 {
		return w.plain2(out, g, params, qubits, en, qname)
	}
	states := make([]bool, 0, nc)
	for _, m := range ctl {
		for k := 0; k < m.N; k++ {
			states = append(states, m.Kind == circuit.Ctrl)
		}
	}
	return w.ctrl2(out, g, params, qubits[nc:], qubits[:nc], states, pw, en, qname)
}

// plain2 writes g(params) on qubits, without modifiers.
func (w *writer) plain2(out *[]string, g *circuit.GateDef, params []circuit.Expr, qubits []int, en env, qname func(int) string) error {
	switch {
	case g == circuit.GPhase:
		return w.emitRep(out, rep{phase: true, alpha: params[0]}, -1, nil, nil, en, qname)
	case g.Lib == circuit.LibUser:
		if !w.flatten || g.Opaque {
			if err := w.need(g); err != nil {
				return err
			}
		}
		if w.flatten && !g.Opaque || w.state[g] == defInlineOnly {
			return w.inline(out, g, params, nil, qubits, en, qname, w.gate2)
		}
		line, err := w.call(nil, w.names[g], params, qubits, en, qname)
		*out = append(*out, line)
		return err
	case w.native(g):
		line, err := w.call(nil, g.Name, params, qubits, en, qname)
		*out = append(*out, line)
		return err
	}
	g2, ps, extra, err := w.resolve(g, params)
	if err != nil {
		return err
	}
	if len(extra) > 0 || g2 == circuit.GPhase {
		return w.gate2(out, g2, ps, extra, qubits, en, qname)
	}
	return w.plain2(out, g2, ps, qubits, en, qname)
}

// ctrl2 writes g(params) on targets raised to the power pw and controlled
// by controls (control i must be in state states[i]).
func (w *writer) ctrl2(out *[]string, g *circuit.GateDef, params []circuit.Expr, targets, controls []int, states []bool, pw float64, en env, qname func(int) string) error {
	controls = append([]int(nil), controls...)
	states = append([]bool(nil), states...)
	// A built-in controlled gate is its target with more controls (and its
	// phase on the outer controls, as circuit.Lower does).
	for g.Controls > 0 && g.Target != nil {
		if g.Phase != 0 {
			r := rep{phase: true, alpha: circuit.Const(g.Phase * pw)}
			if err := w.emitRep(out, r, -1, controls, states, en, qname); err != nil {
				return err
			}
		}
		for k := 0; k < g.Controls; k++ {
			controls = append(controls, targets[k])
			states = append(states, true)
		}
		targets = targets[g.Controls:]
		g = g.Target
	}
	if len(controls) > 63 {
		return fmt.Errorf("more than 63 controls")
	}
	if g.MatrixFunc != nil && g.NumQubits() <= 1 {
		r, err := w.rep1(g, params, en)
		if err != nil {
			return err
		}
		if r, err = w.powRep(r, pw, g.Name); err != nil {
			return err
		}
		t := -1
		if len(targets) == 1 {
			t = targets[0]
		}
		return w.emitRep(out, r, t, controls, states, en, qname)
	}
	if g.Opaque {
		return fmt.Errorf("gate %s is opaque: modifiers on it cannot be expanded", g.Name)
	}
	body := g.Body
	if g.Lib == circuit.LibInternal && g.Name == "swap" {
		cx := circuit.QELib1Gates["cx"]
		body = []circuit.Op{bop(cx, nil, nil, 0, 1), bop(cx, nil, nil, 1, 0), bop(cx, nil, nil, 0, 1)}
	}
	if pw != math.Trunc(pw) {
		if g.NumQubits() == 1 {
			if vals, ok := w.constVals(params, en); ok {
				m, err := circuit.BodyMatrix(g, vals)
				if err == nil {
					if m, ok = circuit.Power(m, pw); ok {
						return w.emitRep(out, repOf(m), targets[0], controls, states, en, qname)
					}
				}
			} else {
				return &errSymbolic{fmt.Sprintf("pow(%s) @ %s with unbound parameters cannot be written in OpenQASM 2", formatSigned(pw), g.Name)}
			}
		}
		return fmt.Errorf("pow(%s) @ %s: OpenQASM 2 cannot write a non-integer power of a %d-qubit gate", formatSigned(pw), g.Name, g.NumQubits())
	}
	if body == nil && g.MatrixFunc != nil && g.NumQubits() > 1 {
		return fmt.Errorf("gate %s has no decomposition to write under modifiers", g.Name)
	}
	if math.Abs(pw) > 1<<16 {
		return fmt.Errorf("pow(%s) @ %s: power too large to expand", formatSigned(pw), g.Name)
	}
	mods := make([]circuit.Modifier, 0, len(controls)+1)
	for _, s := range states {
		k := circuit.NegCtrl
		if s {
			k = circuit.Ctrl
		}
		mods = append(mods, circuit.Modifier{Kind: k, N: 1})
	}
	if pw < 0 {
		mods = append(mods, circuit.Modifier{Kind: circuit.Inv})
	}
	reps := int(math.Abs(pw))
	for r := 0; r < reps; r++ {
		for k := range body {
			j := k
			if pw < 0 {
				j = len(body) - 1 - k
			}
			b := &body[j]
			if b.Kind != circuit.GateOp {
				continue
			}
			ps, qs, m := instantiate(b, params, controls, targets, mods)
			if err := w.gate2(out, b.Gate, ps, m, qs, en, qname); err != nil {
				return err
			}
		}
	}
	return nil
}

// rep is a one-qubit gate written as e^{i alpha} U(theta, phi, lambda)
// (Qiskit's U), or a phase e^{i alpha} alone. m holds its matrix when its
// parameters are numbers; fam says which closed forms its powers and roots
// have when they are symbolic.
type rep struct {
	alpha, theta, phi, lambda circuit.Expr
	phase                     bool
	fam                       byte // 'g' general, 'd' diagonal (theta = 0), 'x' rx-like, 'y' ry-like
	m                         circuit.Matrix
}

// repOf returns the rep of a numeric 1x1 or 2x2 unitary.
func repOf(m circuit.Matrix) rep {
	c := circuit.Const
	if len(m) == 1 {
		return rep{phase: true, alpha: c(cmplx.Phase(m[0])), m: m}
	}
	a, t, p, l := zyz(m)
	return rep{alpha: c(a), theta: c(t), phi: c(p), lambda: c(l), fam: 'g', m: m}
}

// zyz returns alpha, theta, phi, lambda with m = e^{i alpha} U(theta, phi,
// lambda), for a 2x2 unitary m.
func zyz(m circuit.Matrix) (alpha, theta, phi, lambda float64) {
	a, b, c, d := m[0], m[1], m[2], m[3]
	theta = 2 * math.Atan2(cmplx.Abs(c), cmplx.Abs(a))
	switch {
	case a != 0:
		alpha = cmplx.Phase(a)
		if c != 0 || b != 0 {
			phi = cmplx.Phase(c) - alpha
			lambda = cmplx.Phase(-b) - alpha
			if c == 0 {
				phi = cmplx.Phase(d) - alpha - lambda
			}
			if b == 0 {
				lambda = cmplx.Phase(d) - alpha - phi
			}
		} else {
			lambda = cmplx.Phase(d) - alpha
		}
	default: // theta = pi: choose lambda = 0
		alpha = cmplx.Phase(-b)
		phi = cmplx.Phase(c) - alpha
	}
	return
}

func (r rep) isX() bool {
	m := r.m
	return len(m) == 4 && m[0] == 0 && m[1] == 1 && m[2] == 1 && m[3] == 0
}

// constVals evaluates params if they are all numbers.
func (w *writer) constVals(params []circuit.Expr, en env) ([]float64, bool) {
	vals := make([]float64, len(params))
	for i, e := range params {
		if en.def == nil {
			e = w.bind(e)
		}
		if !circuit.IsConst(e) {
			return nil, false
		}
		vals[i] = e.Eval(nil)
	}
	return vals, true
}

// rep1 returns the rep of a built-in one-qubit gate (or gphase).
func (w *writer) rep1(g *circuit.GateDef, params []circuit.Expr, en env) (rep, error) {
	if vals, ok := w.constVals(params, en); ok {
		return repOf(g.MatrixFunc(vals)), nil
	}
	c := circuit.Const
	half := func(e circuit.Expr) circuit.Expr { return circuit.Div(e, c(2)) }
	zero := c(0)
	p := params
	lib := func(l circuit.Library, names ...string) bool {
		if g.Lib != l {
			return false
		}
		switch l {
		case circuit.LibStdGates:
			if circuit.StdGates[g.Name] != g {
				return false
			}
		case circuit.LibQELib1:
			if circuit.QELib1Gates[g.Name] != g {
				return false
			}
		}
		for _, n := range names {
			if g.Name == n {
				return true
			}
		}
		return false
	}
	std, qe, in := circuit.LibStdGates, circuit.LibQELib1, circuit.LibInternal
	switch {
	case g == circuit.GPhase:
		return rep{phase: true, alpha: p[0]}, nil
	case g == circuit.UQiskit || lib(qe, "u3", "u") || lib(in, "u"):
		return rep{alpha: zero, theta: p[0], phi: p[1], lambda: p[2], fam: 'g'}, nil
	case g == circuit.U3Spec:
		return rep{alpha: half(p[0]), theta: p[0], phi: p[1], lambda: p[2], fam: 'g'}, nil
	case lib(in, "u_phase"):
		return rep{alpha: p[3], theta: p[0], phi: p[1], lambda: p[2], fam: 'g'}, nil
	case lib(std, "rx") || lib(qe, "rx") || lib(in, "rx"):
		return rep{alpha: zero, theta: p[0], phi: circuit.Neg(circuit.Div(circuit.Pi, c(2))), lambda: circuit.Div(circuit.Pi, c(2)), fam: 'x'}, nil
	case lib(std, "ry") || lib(qe, "ry") || lib(in, "ry"):
		return rep{alpha: zero, theta: p[0], phi: zero, lambda: zero, fam: 'y'}, nil
	case lib(std, "rz") || lib(in, "rz"):
		return rep{alpha: circuit.Neg(half(p[0])), theta: zero, phi: zero, lambda: p[0], fam: 'd'}, nil
	case lib(qe, "rz", "p", "u1") || lib(std, "p", "u1", "phase") || lib(in, "p"):
		return rep{alpha: zero, theta: zero, phi: zero, lambda: p[0], fam: 'd'}, nil
	case lib(qe, "u0"):
		return rep{alpha: zero, theta: zero, phi: zero, lambda: zero, fam: 'd'}, nil
	case lib(std, "u2"):
		return rep{alpha: circuit.Neg(half(circuit.Add(p[0], p[1]))), theta: circuit.Div(circuit.Pi, c(2)), phi: p[0], lambda: p[1], fam: 'g'}, nil
	case lib(qe, "u2"):
		return rep{alpha: zero, theta: circuit.Div(circuit.Pi, c(2)), phi: p[0], lambda: p[1], fam: 'g'}, nil
	case lib(std, "u3"):
		return rep{alpha: circuit.Neg(half(circuit.Add(p[1], p[2]))), theta: p[0], phi: p[1], lambda: p[2], fam: 'g'}, nil
	}
	return rep{}, &errSymbolic{fmt.Sprintf("%s with unbound parameters under modifiers cannot be written in OpenQASM 2 (bind the parameters)", g.Name)}
}

func scaleExpr(k float64, e circuit.Expr) circuit.Expr {
	switch {
	case k == 1:
		return e
	case k == -1:
		return circuit.Neg(e)
	}
	if n, ok := e.(circuit.Num); ok && n.Name == "" {
		return circuit.Const(k * n.Value)
	}
	return circuit.Mul(circuit.Const(k), e)
}

// powRep returns r raised to the power pw, as circuit.Lower computes it.
func (w *writer) powRep(r rep, pw float64, name string) (rep, error) {
	if pw == 1 {
		return r, nil
	}
	if r.m != nil {
		m, ok := circuit.Power(r.m, pw)
		if !ok {
			return rep{}, fmt.Errorf("pow(%s) @ %s is not defined", formatSigned(pw), name)
		}
		return repOf(m), nil
	}
	if pw != math.Trunc(pw) {
		return rep{}, &errSymbolic{fmt.Sprintf("pow(%s) @ %s with unbound parameters cannot be written in OpenQASM 2 (bind the parameters)", formatSigned(pw), name)}
	}
	s := func(e circuit.Expr) circuit.Expr { return scaleExpr(pw, e) }
	switch {
	case r.phase:
		return rep{phase: true, alpha: s(r.alpha)}, nil
	case r.fam == 'd':
		return rep{alpha: s(r.alpha), theta: r.theta, phi: r.phi, lambda: s(r.lambda), fam: 'd'}, nil
	case r.fam == 'x' || r.fam == 'y':
		return rep{alpha: s(r.alpha), theta: s(r.theta), phi: r.phi, lambda: r.lambda, fam: r.fam}, nil
	case pw == -1:
		return r.dagger(), nil
	}
	return rep{}, &errSymbolic{fmt.Sprintf("pow(%s) @ %s with unbound parameters cannot be written in OpenQASM 2 (bind the parameters)", formatSigned(pw), name)}
}

func (r rep) dagger() rep {
	if r.m != nil {
		return repOf(circuit.Dagger(r.m))
	}
	n := circuit.Neg
	if r.phase {
		return rep{phase: true, alpha: n(r.alpha)}
	}
	if r.fam == 'd' {
		return rep{alpha: n(r.alpha), theta: r.theta, phi: r.phi, lambda: n(r.lambda), fam: 'd'}
	}
	return rep{alpha: n(r.alpha), theta: n(r.theta), phi: n(r.lambda), lambda: n(r.phi), fam: r.fam}
}

// sqrt returns a square root of r (any W with W*W = r).
func (r rep) sqrt(what string) (rep, error) {
	if r.m != nil {
		return repOf(sqrt2x2(r.m)), nil
	}
	h := func(e circuit.Expr) circuit.Expr { return scaleExpr(0.5, e) }
	switch r.fam {
	case 'd':
		return rep{alpha: h(r.alpha), theta: r.theta, phi: r.phi, lambda: h(r.lambda), fam: 'd'}, nil
	case 'x', 'y':
		return rep{alpha: h(r.alpha), theta: h(r.theta), phi: r.phi, lambda: r.lambda, fam: r.fam}, nil
	}
	return rep{}, &errSymbolic{fmt.Sprintf("multi-controlled %s with unbound parameters cannot be written in OpenQASM 2 (bind the parameters)", what)}
}

// sqrt2x2 returns a unitary square root of the 2x2 unitary v: by the
// Cayley-Hamilton theorem (v + sI)^2 = (tr v + 2s) v when s^2 = det v, and
// the sign of s that makes |tr v + 2s| largest (at least sqrt 2) keeps
// the result accurate even when v's eigenvalues nearly coincide, where an
// eigendecomposition loses digits.
func sqrt2x2(v circuit.Matrix) circuit.Matrix {
	tr, det := v[0]+v[3], v[0]*v[3]-v[1]*v[2]
	s := cmplx.Sqrt(det)
	if cmplx.Abs(tr-2*s) > cmplx.Abs(tr+2*s) {
		s = -s
	}
	t := cmplx.Sqrt(tr + 2*s)
	return circuit.Matrix{(v[0] + s) / t, v[1] / t, v[2] / t, (v[3] + s) / t}
}

func isZero(e circuit.Expr) bool {
	n, ok := e.(circuit.Num)
	return ok && n.Value == 0
}

// emitRep writes r on target t (-1 for a phase) controlled by controls
// (control i in state states[i]; nil states means all 1).
func (w *writer) emitRep(out *[]string, r rep, t int, controls []int, states []bool, en env, qname func(int) string) error {
	if en.def == nil {
		for _, e := range []*circuit.Expr{&r.alpha, &r.theta, &r.phi, &r.lambda} {
			if *e != nil {
				*e = w.bind(*e)
			}
		}
	}
	var flips []int
	for i, s := range states {
		if !s {
			flips = append(flips, controls[i])
		}
	}
	x := circuit.QELib1Gates["x"]
	for _, q := range flips {
		line, _ := w.call(nil, x.Name, nil, []int{q}, en, qname)
		*out = append(*out, line)
	}
	if err := w.emitPos(out, r, t, controls, en, qname); err != nil {
		return err
	}
	for _, q := range flips {
		line, _ := w.call(nil, x.Name, nil, []int{q}, en, qname)
		*out = append(*out, line)
	}
	return nil
}

// emitPos is emitRep with every control in state 1.
func (w *writer) emitPos(out *[]string, r rep, t int, controls []int, en env, qname func(int) string) error {
	nc := len(controls)
	emit := func(name string, params []circuit.Expr, qubits ...int) error {
		line, err := w.call(nil, name, params, qubits, en, qname)
		*out = append(*out, line)
		return err
	}
	if r.phase {
		if nc == 0 {
			if isZero(r.alpha) {
				return nil
			}
			return w.globalPhase(out, r.alpha, en, qname)
		}
		// A phase under controls is a phase gate on the last control.
		pr := rep{alpha: circuit.Const(0), theta: circuit.Const(0), phi: circuit.Const(0), lambda: r.alpha, fam: 'd'}
		if r.m != nil {
			pr.m = circuit.Diag(1, r.m[0])
		}
		return w.emitPos(out, pr, controls[nc-1], controls[:nc-1], en, qname)
	}
	params := []circuit.Expr{r.theta, r.phi, r.lambda}
	switch {
	case nc == 0:
		if r.isX() {
			return emit("x", nil, t)
		}
		if err := emit("U", params, t); err != nil {
			return err
		}
		if isZero(r.alpha) {
			return nil
		}
		return w.globalPhase(out, r.alpha, en, qname)
	case nc == 1:
		if r.isX() {
			return emit("cx", nil, controls[0], t)
		}
		return emit("cu", append(params, r.alpha), controls[0], t)
	case r.isX() && nc <= 4:
		name := map[int]string{2: "ccx", 3: "c3x", 4: "c4x"}[nc]
		return emit(name, nil, append(append([]int(nil), controls...), t)...)
	case nc > maxControls2:
		return fmt.Errorf("a gate with %d controls cannot be written in OpenQASM 2 (at most %d)", nc, maxControls2)
	}
	// Barenco et al. lemma 7.5: C^k(V) = C(W)[ck] C^{k-1}X[.., ck] C(W')[ck]
	// C^{k-1}X[.., ck] C^{k-1}(W) with W*W = V, W' its inverse.
	sq, err := r.sqrt("gate")
	if err != nil {
		return err
	}
	last, rest := controls[nc-1], controls[:nc-1]
	x := repOf(circuit.Matrix{0, 1, 1, 0})
	steps := []struct {
		r     rep
		t     int
		ctrls []int
	}{
		{sq, t, []int{last}}, {x, last, rest}, {sq.dagger(), t, []int{last}}, {x, last, rest}, {sq, t, rest},
	}
	for _, s := range steps {
		if err := w.emitPos(out, s.r, s.t, s.ctrls, en, qname); err != nil {
			return err
		}
	}
	return nil
}

// globalPhase writes e^{i alpha} times the identity with the helper gate
// global_phase, whose body u1(a) q; x q; u1(a) q; x q; is exactly that. It
// acts on qubit 0 (a gate's first qubit inside a definition).
func (w *writer) globalPhase(out *[]string, alpha circuit.Expr, en env, qname func(int) string) error {
	if en.def == nil && w.c.NumQubits == 0 {
		return fmt.Errorf("OpenQASM 2 cannot write a global phase in a program without qubits")
	}
	if w.gphase2 == nil {
		u1, x := circuit.QELib1Gates["u1"], circuit.QELib1Gates["x"]
		a := []circuit.Expr{circuit.Sym{Name: "gamma", Index: 0}}
		w.gphase2 = &circuit.GateDef{Name: "global_phase", Params: []string{"gamma"}, QubitNames: []string{"q"}, Lib: circuit.LibUser,
			Body: []circuit.Op{bop(u1, a, nil, 0), bop(x, nil, nil, 0), bop(u1, a, nil, 0), bop(x, nil, nil, 0)}}
	}
	if err := w.need(w.gphase2); err != nil {
		return err
	}
	line, err := w.call(nil, w.names[w.gphase2], []circuit.Expr{alpha}, []int{0}, en, qname)
	*out = append(*out, line)
	return err
}
