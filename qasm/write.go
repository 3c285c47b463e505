package qasm

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"born/circuit"
)

// WriteOptions configure Write.
type WriteOptions struct {
	// Version is the OpenQASM version to write: 2 or 3. Zero means 3.
	Version int

	// Flatten inlines the circuit's own gate definitions, so that the
	// program applies only gates of the target's standard library (and, for
	// OpenQASM 2, helper gates that account for global phase exactly).
	Flatten bool

	// Params binds circuit symbols by name: a bound symbol is written as its
	// value. OpenQASM 2 has no parameters, so writing it needs every symbol
	// bound; in OpenQASM 3 each unbound symbol becomes an input declaration.
	Params map[string]float64
}

// Write writes c as an OpenQASM program. The program reads back (with
// Parse) as a circuit with the same unitary, global phase included, or, for
// circuits that measure, the same operations; numbers are printed so that
// they read back bit for bit; the output depends only on c and opts.
//
// Gates of the other version's library are written exactly: as the gate of
// the target's library with the same matrix, or as a helper gate defined in
// the program whose body adds the difference in global phase (gphase in
// OpenQASM 3; in OpenQASM 2, which has no gphase, a global_phase gate whose
// body u1(g) a; x a; u1(g) a; x a; is e^{ig} times the identity).
//
// OpenQASM 2 has no gate modifiers either: ctrl @, negctrl @, inv @ and
// pow @ are written by decomposition. A controlled one-qubit gate becomes
// cu(theta, phi, lambda, gamma) (which carries the phase), a multi-controlled
// X becomes ccx, c3x or c4x, and other multi-controlled gates use the
// construction of Barenco et al. (1995, lemma 7.5) with square roots of the
// target; inverses and integer powers of multi-qubit gates expand their
// bodies. What cannot be written exactly is refused with an error: a
// non-integer power of a multi-qubit gate, and multi-controlled or powered
// gates whose parameters are unbound (symbolic) where no closed form
// exists.
//
// OpenQASM 3 has no opaque gates: their declarations are left out, and
// applying one is an error.
//
// Nothing is written if there is an error.
func Write(w io.Writer, c *circuit.Circuit, opts WriteOptions) error {
	b, err := Format(c, opts)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Format returns c as an OpenQASM program; see Write.
func Format(c *circuit.Circuit, opts WriteOptions) ([]byte, error) {
	v := opts.Version
	if v == 0 {
		v = 3
	}
	if v != 2 && v != 3 {
		return nil, fmt.Errorf("qasm: cannot write OpenQASM version %d (only 2 and 3)", opts.Version)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("qasm: invalid circuit: %w", err)
	}
	wr := &writer{v: v, flatten: opts.Flatten, c: c,
		state: map[*circuit.GateDef]defState{}, names: map[*circuit.GateDef]string{},
		helpers: map[*circuit.GateDef]*circuit.GateDef{}, taken: map[string]bool{},
		pnames: map[*circuit.GateDef][]string{}, qnamesOf: map[*circuit.GateDef][]string{}}
	if err := wr.run(opts.Params); err != nil {
		return nil, err
	}
	return wr.out.Bytes(), nil
}

// maxStatements bounds the statements Format writes: expanding nested gate
// definitions (Flatten, or OpenQASM 2 modifiers) can multiply them.
const maxStatements = 1 << 21

type defState uint8

const (
	defNone       defState = iota
	defBusy                // being written (a cycle if met again)
	defDone                // written
	defInlineOnly          // OpenQASM 2: cannot be defined; expanded where applied
)

type writer struct {
	v       int
	flatten bool
	c       *circuit.Circuit

	vals  []float64 // symbol values
	bound []bool    // symbol is bound

	out    bytes.Buffer
	defs   []string // gate definitions, dependencies first
	lines  []string // operations
	indent string

	state    map[*circuit.GateDef]defState
	names    map[*circuit.GateDef]string
	helpers  map[*circuit.GateDef]*circuit.GateDef // foreign library gate -> helper definition
	taken    map[string]bool
	pnames   map[*circuit.GateDef][]string // written names of a definition's parameters
	qnamesOf map[*circuit.GateDef][]string // and of its qubits

	qubit    []string // written name of each qubit: q[3] or $3
	clbit    []string
	cregs    []string // declarations of the registers
	qregs    []string
	cregList []circuit.Register // classical registers as written

	gphase2 *circuit.GateDef // OpenQASM 2's global_phase helper, once needed

	statements int             // written so far, at most maxStatements
	inputName  map[string]bool // names of the inputs
	stdUsed    bool            // a gate of stdgates.inc is written
	sizes      map[*circuit.GateDef]int
}

// expandSize is a lower bound on the statements that expanding an
// application of g writes (its gate applications other than gphase, over
// nested definitions), saturating above maxStatements.
func (w *writer) expandSize(g *circuit.GateDef) int {
	if g.Lib != circuit.LibUser || g.Opaque {
		if g == circuit.GPhase {
			return 0
		}
		return 1
	}
	if n, ok := w.sizes[g]; ok {
		return n
	}
	if w.sizes == nil {
		w.sizes = map[*circuit.GateDef]int{}
	}
	w.sizes[g] = maxStatements + 1 // a cycle, if met again
	n := 0
	for i := range g.Body {
		op := &g.Body[i]
		if op.Kind != circuit.GateOp {
			continue
		}
		_, pw, _ := splitMods(op.Mods)
		reps := 1
		if pw == math.Trunc(pw) {
			reps = int(math.Min(math.Abs(pw), maxStatements+1))
		}
		n = min(n+reps*w.expandSize(op.Gate), maxStatements+1)
	}
	w.sizes[g] = n
	return n
}

// errSymbolic marks an operation that can be written in OpenQASM 2 only
// with numeric parameters. Inside a gate definition (whose parameters are
// symbols) it makes the gate be expanded where it is applied instead.
type errSymbolic struct{ msg string }

func (e *errSymbolic) Error() string { return e.msg }

// env says how to print the symbols of an expression: the circuit's
// symbols (top level), or a definition's formal parameters.
type env struct {
	def *circuit.GateDef // nil at the top level
}

var identRE = regexp.MustCompile(`^[\p{L}_][\p{L}\p{N}_]*$`)

func isIdent(s string) bool { return identRE.MatchString(s) }

func (w *writer) run(params map[string]float64) error {
	c := w.c
	// Symbols and their values.
	w.vals = make([]float64, len(c.Symbols))
	w.bound = make([]bool, len(c.Symbols))
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		i := c.SymbolIndex(name)
		if i < 0 {
			return fmt.Errorf("qasm: unknown parameter %q (the circuit's parameters: %v)", name, c.Symbols)
		}
		v := params[name]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("qasm: parameter %q = %v is not finite", name, v)
		}
		w.vals[i], w.bound[i] = v, true
	}
	var unbound []string
	for i, s := range c.Symbols {
		if !w.bound[i] {
			unbound = append(unbound, s)
		}
	}
	if w.v == 2 && len(unbound) > 0 {
		return fmt.Errorf("qasm: OpenQASM 2 has no parameters: bind %s (the circuit's unbound parameters)", strings.Join(unbound, ", "))
	}

	// Reserved names: the target's keywords and library gates. Inputs keep
	// their names, which are how parameters are bound: an input may have
	// the name of a standard gate the program does not use.
	reserved := reserved3
	lib := circuit.StdGatesOrder
	if w.v == 2 {
		reserved = reserved2
		lib = circuit.QELib1Order
		for k := range keywords2 {
			w.taken[k] = true
		}
		w.taken["U"], w.taken["CX"] = true, true
	} else {
		w.taken["U"], w.taken["gphase"] = true, true
	}
	for k := range reserved {
		w.taken[k] = true
	}
	inputs, err := w.inputs()
	if err != nil {
		return err
	}
	for _, g := range lib {
		w.taken[g] = true
	}
	w.registers()

	// Gate definitions, then operations.
	if !w.flatten {
		for _, d := range c.Defs {
			if d.Opaque && w.v == 3 {
				continue // OpenQASM 3 has no opaque gates; applying one is an error below
			}
			if err := w.need(d); err != nil {
				return err
			}
		}
	}
	for i := range c.Ops {
		if err := w.topOp(&c.Ops[i]); err != nil {
			return fmt.Errorf("qasm: op %d: %w", i, err)
		}
	}

	// Assemble.
	b := &w.out
	if w.v == 2 {
		b.WriteString("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n")
	} else {
		b.WriteString("OPENQASM 3.0;\n")
		if w.stdUsed {
			b.WriteString("include \"stdgates.inc\";\n")
		}
	}
	for _, s := range inputs {
		b.WriteString(s)
	}
	for _, d := range w.defs {
		b.WriteString(d)
	}
	for _, s := range w.qregs {
		b.WriteString(s)
	}
	for _, s := range w.cregs {
		b.WriteString(s)
	}
	for _, s := range w.lines {
		b.WriteString(s)
		b.WriteByte('\n')
	}
	return nil
}

var arrayElem = regexp.MustCompile(`^(.+)\[(0|[1-9][0-9]*)\]$`)

// inputs returns the input declarations of the unbound symbols (OpenQASM 3):
// name[0] ... name[n-1] in a row become one input array.
func (w *writer) inputs() ([]string, error) {
	var out []string
	syms := w.c.Symbols
	for i := 0; i < len(syms); i++ {
		if w.bound[i] {
			continue
		}
		s := syms[i]
		if m := arrayElem.FindStringSubmatch(s); m != nil && m[2] == "0" && isIdent(m[1]) {
			n := 1
			for i+n < len(syms) && !w.bound[i+n] && syms[i+n] == m[1]+"["+strconv.Itoa(n)+"]" {
				n++
			}
			if err := w.claim(m[1], "input array"); err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("input array[float[64], %d] %s;\n", n, m[1]))
			i += n - 1
			continue
		}
		if !isIdent(s) {
			if m := arrayElem.FindStringSubmatch(s); m != nil && w.c.SymbolIndex(m[1]+"[0]") >= 0 {
				return nil, fmt.Errorf("qasm: parameter %s is unbound but %s[0] is bound: bind all elements of input array %s or none", s, m[1], m[1])
			}
			return nil, fmt.Errorf("qasm: parameter %q is not an OpenQASM name (bind it, or name it like theta or theta[0], theta[1], ...)", s)
		}
		if err := w.claim(s, "input"); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("input float[64] %s;\n", s))
	}
	return out, nil
}

func (w *writer) claim(name, what string) error {
	if w.inputName == nil {
		w.inputName = map[string]bool{}
	}
	w.inputName[name] = true
	if w.taken[name] {
		return fmt.Errorf("qasm: parameter name %q is reserved in OpenQASM 3 or names a standard gate; rename the %s", name, what)
	}
	w.taken[name] = true
	return nil
}

// unique returns base, or base_2, base_3, ..., whichever is free, and takes
// it. base is made a valid name of the target version first.
func (w *writer) unique(base string) string {
	base = w.sanitize(base)
	name := base
	for k := 2; w.taken[name]; k++ {
		name = base + "_" + strconv.Itoa(k)
	}
	w.taken[name] = true
	return name
}

var greek = map[rune]string{
	'α': "alpha", 'β': "beta", 'γ': "gamma", 'δ': "delta", 'ε': "epsilon", 'ζ': "zeta", 'η': "eta",
	'θ': "theta", 'ι': "iota", 'κ': "kappa", 'λ': "lambda", 'μ': "mu", 'ν': "nu", 'ξ': "xi",
	'π': "pi", 'ρ': "rho", 'σ': "sigma", 'τ': "tau", 'υ': "upsilon", 'φ': "phi", 'χ': "chi",
	'ψ': "psi", 'ω': "omega",
}

// sanitize makes s a valid identifier: OpenQASM 2 names are ASCII and start
// with a letter.
func (w *writer) sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (isLetter(r) || '0' <= r && r <= '9'):
			b.WriteRune(r)
		case w.v == 3 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case greek[r] != "":
			b.WriteString(greek[r])
		default:
			b.WriteString(fmt.Sprintf("u%04x", r))
		}
	}
	out := b.String()
	if out == "" {
		out = "g"
	}
	if r, _ := utf8.DecodeRuneInString(out); !unicode.IsLetter(r) || w.v == 2 && (r == '_' || r >= utf8.RuneSelf || !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')) {
		out = "g" + out
	}
	if w.v == 2 && out[0] >= 'A' && out[0] <= 'Z' {
		// OpenQASM 2 identifiers start with a lowercase letter; U and CX
		// are the built-in exceptions.
		out = "g" + out
	}
	return out
}

// registers names the registers and their elements.
func (w *writer) registers() {
	c := w.c
	w.qubit = make([]string, c.NumQubits)
	w.clbit = make([]string, c.NumClbits)
	regs := c.QRegs
	if !covers(regs, c.NumQubits) {
		regs = []circuit.Register{{Name: "q", Size: c.NumQubits}}
		if c.NumQubits == 0 {
			regs = nil
		}
	}
	if w.v == 3 && len(regs) == 1 && regs[0].Name == "$" && w.usesQubit(regs[0].Size-1) {
		for k := range w.qubit {
			w.qubit[k] = "$" + strconv.Itoa(k)
		}
	} else {
		for _, r := range regs {
			name := r.Name
			if name == "$" {
				name = "q"
			}
			name = w.unique(name)
			if w.v == 2 {
				w.qregs = append(w.qregs, fmt.Sprintf("qreg %s[%d];\n", name, r.Size))
			} else {
				w.qregs = append(w.qregs, fmt.Sprintf("qubit[%d] %s;\n", r.Size, name))
			}
			for i := 0; i < r.Size; i++ {
				w.qubit[r.Start+i] = name + "[" + strconv.Itoa(i) + "]"
			}
		}
	}
	cregs := c.CRegs
	if !covers(cregs, c.NumClbits) {
		cregs = []circuit.Register{{Name: "c", Size: c.NumClbits}}
		if c.NumClbits == 0 {
			cregs = nil
		}
	}
	for _, r := range cregs {
		name := w.unique(r.Name)
		if w.v == 2 {
			w.cregs = append(w.cregs, fmt.Sprintf("creg %s[%d];\n", name, r.Size))
		} else {
			w.cregs = append(w.cregs, fmt.Sprintf("bit[%d] %s;\n", r.Size, name))
		}
		for i := 0; i < r.Size; i++ {
			w.clbit[r.Start+i] = name + "[" + strconv.Itoa(i) + "]"
		}
		w.cregList = append(w.cregList, circuit.Register{Name: name, Start: r.Start, Size: r.Size})
	}
}

// covers reports whether regs lie back to back from 0 and hold n elements.
func covers(regs []circuit.Register, n int) bool {
	next := 0
	for _, r := range regs {
		if r.Start != next || r.Size < 1 {
			return false
		}
		next += r.Size
	}
	return next == n
}

func (w *writer) usesQubit(q int) bool {
	for _, op := range w.c.Ops {
		for _, x := range op.Qubits {
			if x == q {
				return true
			}
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Expressions

// expr prints e. At the top level (e.def nil) bound symbols print as their
// values; in a definition, symbols are its formal parameters.
func (w *writer) expr(e circuit.Expr, en env) (string, error) {
	if en.def == nil {
		e = w.bind(e)
	}
	return w.print(e, en)
}

// bind replaces bound symbols by their values; an expression without
// unbound symbols becomes its value, as circuit.Bind computes it.
func (w *writer) bind(e circuit.Expr) circuit.Expr {
	free := false
	for _, s := range circuit.Symbols(nil, e) {
		if !w.bound[s] {
			free = true
		}
	}
	if !free {
		if n, ok := e.(circuit.Num); ok {
			return n
		}
		return circuit.Const(e.Eval(w.vals))
	}
	return w.subst(e)
}

func (w *writer) subst(e circuit.Expr) circuit.Expr {
	switch e := e.(type) {
	case circuit.Sym:
		if w.bound[e.Index] {
			return circuit.Const(w.vals[e.Index])
		}
		return e
	case circuit.Unary:
		return circuit.Unary{X: w.subst(e.X)}
	case circuit.Binary:
		return circuit.Binary{Op: e.Op, X: w.subst(e.X), Y: w.subst(e.Y)}
	case circuit.Call:
		return circuit.Call{Fn: e.Fn, X: w.subst(e.X)}
	}
	return e
}

// formatNum prints a number so that it reads back to the same float64 in
// both versions: the shortest round-trip form, with a decimal point before
// any exponent (1.0e-07).
func formatNum(v float64) string {
	s := circuit.FormatFloat(v)
	if i := strings.IndexAny(s, "eE"); i >= 0 && !strings.Contains(s[:i], ".") {
		s = s[:i] + ".0" + s[i:]
	}
	return s
}

func exprPrec(e circuit.Expr) int {
	switch e := e.(type) {
	case circuit.Binary:
		switch e.Op {
		case '+', '-':
			return 1
		case '*', '/':
			return 2
		case '^':
			return 4
		}
	case circuit.Unary:
		return 3
	case circuit.Num:
		if e.Name != "pi" && (e.Value < 0 || e.Value == 0 && math.Signbit(e.Value)) {
			return 3
		}
	}
	return 5
}

func (w *writer) print(e circuit.Expr, en env) (string, error) {
	paren := func(x circuit.Expr, need bool) (string, error) {
		s, err := w.print(x, en)
		if need {
			s = "(" + s + ")"
		}
		return s, err
	}
	switch e := e.(type) {
	case circuit.Num:
		if math.IsNaN(e.Value) || math.IsInf(e.Value, 0) {
			return "", fmt.Errorf("parameter value %v is not finite", e.Value)
		}
		if e.Name == "pi" && e.Value == math.Pi {
			return "pi", nil
		}
		if e.Value < 0 || e.Value == 0 && math.Signbit(e.Value) {
			return "-" + formatNum(-e.Value), nil
		}
		return formatNum(e.Value), nil
	case circuit.Sym:
		if en.def != nil {
			names := w.pnames[en.def]
			if e.Index < 0 || e.Index >= len(names) {
				return "", fmt.Errorf("gate %s: parameter index %d out of range", en.def.Name, e.Index)
			}
			return names[e.Index], nil
		}
		if e.Index < 0 || e.Index >= len(w.c.Symbols) {
			return "", fmt.Errorf("symbol index %d out of range", e.Index)
		}
		return w.c.Symbols[e.Index], nil
	case circuit.Unary:
		s, err := paren(e.X, exprPrec(e.X) <= 3)
		return "-" + s, err
	case circuit.Binary:
		p := exprPrec(e)
		var l, r bool
		if e.Op == '^' {
			l, r = exprPrec(e.X) <= p, exprPrec(e.Y) < 3
		} else {
			l, r = exprPrec(e.X) < p, exprPrec(e.Y) <= p
		}
		x, err := paren(e.X, l)
		if err != nil {
			return "", err
		}
		y, err := paren(e.Y, r)
		if err != nil {
			return "", err
		}
		op := string(e.Op)
		if e.Op == '^' && w.v == 3 {
			op = "**"
		}
		return x + op + y, nil
	case circuit.Call:
		fn := e.Fn
		switch {
		case w.v == 3 && fn == "ln":
			fn = "log"
		case w.v == 2 && !funcs2[fn]:
			if circuit.IsConst(e) {
				return w.print(circuit.Const(e.Eval(nil)), en)
			}
			return "", fmt.Errorf("%s is not a function of OpenQASM 2", fn)
		}
		x, err := w.print(e.X, en)
		return fn + "(" + x + ")", err
	}
	return "", fmt.Errorf("unknown expression %T", e)
}

func (w *writer) exprs(es []circuit.Expr, en env) (string, error) {
	parts := make([]string, len(es))
	for i, e := range es {
		s, err := w.expr(e, en)
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	return strings.Join(parts, ", "), nil
}

// ---------------------------------------------------------------------------
// Gates and definitions

// native reports whether g belongs to the target's library or core.
func (w *writer) native(g *circuit.GateDef) bool {
	if w.v == 3 {
		return g == circuit.U3Spec || g == circuit.GPhase || g.Lib == circuit.LibStdGates && circuit.StdGates[g.Name] == g
	}
	return g == circuit.UQiskit || g == circuit.CoreQASM2["CX"] || g.Lib == circuit.LibQELib1 && circuit.QELib1Gates[g.Name] == g
}

// need makes sure the definition of user or helper gate g is written, its
// dependencies first.
func (w *writer) need(g *circuit.GateDef) error {
	switch w.state[g] {
	case defDone, defInlineOnly:
		return nil
	case defBusy:
		return fmt.Errorf("gate %s is defined in terms of itself", g.Name)
	}
	if g.NumQubits() == 0 {
		return fmt.Errorf("gate %s has no qubits: OpenQASM cannot define it", g.Name)
	}
	w.state[g] = defBusy
	name := w.unique(g.Name)
	w.names[g] = name
	taken := map[string]bool{}
	fresh := func(s string) string {
		s = w.sanitize(s)
		if reserved3[s] || reserved2[s] || keywords2[s] != 0 || s == "U" || s == "CX" || s == "gphase" {
			s += "_"
		}
		n := s
		for k := 2; taken[n]; k++ {
			n = s + strconv.Itoa(k)
		}
		taken[n] = true
		return n
	}
	ps := make([]string, len(g.Params))
	for i, p := range g.Params {
		ps[i] = fresh(p)
	}
	qs := make([]string, len(g.QubitNames))
	for i, q := range g.QubitNames {
		qs[i] = fresh(q)
	}
	w.pnames[g], w.qnamesOf[g] = ps, qs
	head := name
	if len(ps) > 0 {
		head += "(" + strings.Join(ps, ", ") + ")"
	}
	head += " " + strings.Join(qs, ", ")
	if g.Opaque {
		if w.v == 3 {
			return fmt.Errorf("gate %s is opaque: OpenQASM 3 has no opaque gates", g.Name)
		}
		w.defs = append(w.defs, "opaque "+head+";\n")
		w.state[g] = defDone
		return nil
	}
	var body []string
	for i := range g.Body {
		op := &g.Body[i]
		lines, err := w.op(op, env{def: g}, func(q int) string { return qs[q] })
		if err != nil {
			var sym *errSymbolic
			if errors.As(err, &sym) {
				w.state[g] = defInlineOnly
				delete(w.taken, name)
				return nil
			}
			return fmt.Errorf("in gate %s: %w", g.Name, err)
		}
		body = append(body, lines...)
	}
	var b strings.Builder
	b.WriteString("gate " + head + " {")
	if len(body) == 0 {
		b.WriteString(" }\n")
	} else {
		b.WriteString("\n")
		for _, l := range body {
			b.WriteString("  " + l + "\n")
		}
		b.WriteString("}\n")
	}
	w.defs = append(w.defs, b.String())
	w.state[g] = defDone
	return nil
}

// helper returns the helper definition that writes foreign library gate g
// in the target version.
func (w *writer) helper(g *circuit.GateDef, body []circuit.Op) *circuit.GateDef {
	if h := w.helpers[g]; h != nil {
		return h
	}
	name := g.Name
	if w.taken[name] {
		switch {
		case g == circuit.UQiskit:
			name = "U_qasm2"
		case g == circuit.U3Spec:
			name = "U_qasm3"
		case g.Lib == circuit.LibQELib1:
			name += "_qelib1"
		default:
			name += "_std"
		}
	}
	qn := make([]string, g.NumQubits())
	for i := range qn {
		qn[i] = string(rune('a' + i%26))
		if i >= 26 {
			qn[i] += strconv.Itoa(i / 26)
		}
	}
	h := &circuit.GateDef{Name: name, Params: g.Params, QubitNames: qn, Lib: circuit.LibUser, Body: body}
	w.helpers[g] = h
	return h
}

// resolve returns how to write an application of g: as g itself (native or
// a user gate), renamed to an equivalent gate of the target's library with
// mapped parameters and extra modifiers, or as a helper definition.
func (w *writer) resolve(g *circuit.GateDef, params []circuit.Expr) (*circuit.GateDef, []circuit.Expr, []circuit.Modifier, error) {
	if g.Lib == circuit.LibUser || w.native(g) {
		return g, params, nil, nil
	}
	body, ok := equivBody(w.v, g)
	if !ok {
		return nil, nil, nil, fmt.Errorf("gate %s (%v) has no OpenQASM %d equivalent", g.Name, g.Lib, w.v)
	}
	if len(body) == 1 && body[0].Gate != circuit.GPhase && isSeq(body[0].Qubits) && len(body[0].Qubits) == g.NumQubits() {
		b := body[0]
		ps := make([]circuit.Expr, len(b.Params))
		for i, e := range b.Params {
			ps[i] = circuit.Subst(e, params)
		}
		g2, ps2, mods2, err := w.resolve(b.Gate, ps)
		return g2, ps2, append(append([]circuit.Modifier(nil), b.Mods...), mods2...), err
	}
	return w.helper(g, body), params, nil, nil
}

func isSeq(qs []int) bool {
	for i, q := range qs {
		if q != i {
			return false
		}
	}
	return true
}

// topOp writes one operation of the circuit.
func (w *writer) topOp(op *circuit.Op) error {
	qname := func(q int) string { return w.qubit[q] }
	lines, err := w.op(op, env{}, qname)
	if err != nil {
		return err
	}
	if len(op.Cond) == 0 || op.Kind == circuit.Barrier && w.v == 2 {
		w.lines = append(w.lines, lines...)
		return nil
	}
	if w.v == 3 {
		cond, err := w.cond3(op.Cond)
		if err != nil {
			return err
		}
		if len(lines) == 1 {
			w.lines = append(w.lines, "if ("+cond+") "+lines[0])
		} else if len(lines) > 1 {
			w.lines = append(w.lines, "if ("+cond+") {")
			for _, l := range lines {
				w.lines = append(w.lines, "  "+l)
			}
			w.lines = append(w.lines, "}")
		}
		return nil
	}
	prefixes, err := w.cond2(op)
	if err != nil {
		return err
	}
	for _, pre := range prefixes {
		for _, l := range lines {
			w.lines = append(w.lines, pre+l)
		}
	}
	return nil
}

// op returns the statements that write op (without its conditions).
func (w *writer) op(op *circuit.Op, en env, qname func(int) string) ([]string, error) {
	qlist := func(qs []int) string {
		parts := make([]string, len(qs))
		for i, q := range qs {
			parts[i] = qname(q)
		}
		return strings.Join(parts, ", ")
	}
	switch op.Kind {
	case circuit.Barrier:
		if len(op.Qubits) == 0 {
			return nil, nil
		}
		return []string{"barrier " + qlist(op.Qubits) + ";"}, nil
	case circuit.Reset:
		var out []string
		for _, q := range op.Qubits {
			out = append(out, "reset "+qname(q)+";")
		}
		return out, nil
	case circuit.Measure:
		var out []string
		for i, q := range op.Qubits {
			if w.v == 2 {
				out = append(out, "measure "+qname(q)+" -> "+w.clbit[op.Clbits[i]]+";")
			} else {
				out = append(out, w.clbit[op.Clbits[i]]+" = measure "+qname(q)+";")
			}
		}
		return out, nil
	case circuit.GateOp:
		var out []string
		var err error
		if w.v == 2 {
			err = w.gate2(&out, op.Gate, op.Params, op.Mods, op.Qubits, en, qname)
		} else {
			err = w.gate3(&out, op.Gate, op.Params, op.Mods, op.Qubits, en, qname)
		}
		return out, err
	}
	return nil, fmt.Errorf("unknown operation kind %v", op.Kind)
}

// call prints name(params) qubits;.
func (w *writer) call(mods []circuit.Modifier, name string, params []circuit.Expr, qubits []int, en env, qname func(int) string) (string, error) {
	if w.statements++; w.statements > maxStatements {
		return "", fmt.Errorf("the program would have more than %d statements (expanding gate definitions)", maxStatements)
	}
	var b strings.Builder
	for _, m := range mods {
		switch m.Kind {
		case circuit.Ctrl, circuit.NegCtrl:
			b.WriteString(map[bool]string{true: "ctrl", false: "negctrl"}[m.Kind == circuit.Ctrl])
			if m.N != 1 {
				b.WriteString("(" + strconv.Itoa(m.N) + ")")
			}
		case circuit.Inv:
			b.WriteString("inv")
		case circuit.Pow:
			b.WriteString("pow(" + formatSigned(m.Exp) + ")")
		}
		b.WriteString(" @ ")
	}
	b.WriteString(name)
	if len(params) > 0 {
		s, err := w.exprs(params, en)
		if err != nil {
			return "", err
		}
		b.WriteString("(" + s + ")")
	}
	for i, q := range qubits {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteString(", ")
		}
		b.WriteString(qname(q))
	}
	b.WriteByte(';')
	return b.String(), nil
}

func formatSigned(v float64) string {
	if v < 0 || v == 0 && math.Signbit(v) {
		return "-" + formatNum(-v)
	}
	return formatNum(v)
}

// gate3 writes a gate application in OpenQASM 3, where modifiers are
// native. With Flatten, user gates are expanded into their bodies.
func (w *writer) gate3(out *[]string, g *circuit.GateDef, params []circuit.Expr, mods []circuit.Modifier, qubits []int, en env, qname func(int) string) error {
	if g.Lib == circuit.LibUser && g.Opaque {
		return fmt.Errorf("gate %s is opaque: OpenQASM 3 has no opaque gates", g.Name)
	}
	_, pw, _ := splitMods(mods)
	frac := pw != math.Trunc(pw)
	if g.Lib == circuit.LibUser && !frac {
		if !w.flatten {
			if err := w.need(g); err != nil {
				return err
			}
		}
		if w.flatten || w.state[g] == defInlineOnly {
			return w.inline(out, g, params, mods, qubits, en, qname, w.gate3)
		}
		// A non-integer power of a definition is not its body's: keep the
		// definition.
	}
	g2, ps, extra, err := w.resolve(g, params)
	if err != nil {
		return err
	}
	if frac && g2 != g && g2.Lib == circuit.LibUser {
		return w.fracForeign3(out, g, params, mods, qubits, en, qname)
	}
	if g2.Lib == circuit.LibUser {
		if err := w.need(g2); err != nil {
			return err
		}
		if w.state[g2] == defInlineOnly {
			return fmt.Errorf("pow(%s) @ %s: the definition of %s needs numeric parameters, and a non-integer power of it cannot be expanded", formatSigned(pw), g2.Name, g2.Name)
		}
	}
	name := g2.Name
	if n, ok := w.names[g2]; ok {
		name = n
	} else if err := w.useStd(name); err != nil {
		return err
	}
	line, err := w.call(append(append([]circuit.Modifier(nil), mods...), extra...), name, ps, qubits, en, qname)
	if err != nil {
		return err
	}
	*out = append(*out, line)
	return nil
}

// useStd notes that the program applies the stdgates.inc gate name (or U
// or gphase), which must not be the name of an input.
func (w *writer) useStd(name string) error {
	if circuit.StdGates[name] == nil {
		return nil
	}
	if w.inputName[name] {
		return fmt.Errorf("input %q has the name of a gate of stdgates.inc that the program uses; rename the parameter", name)
	}
	w.stdUsed = true
	return nil
}

// fracForeign3 writes a non-integer power of a gate of OpenQASM 2's library
// that OpenQASM 3 writes with a helper definition. The reader would refuse
// a non-integer power of a definition that is controlled (qelib1's ch) or
// has symbolic parameters, so the power is written as circuit.Lower takes
// it: a controlled gate's phase to the power on the outer controls, then
// the power of its target under all controls; a one-qubit gate's power as
// U and gphase computed from its matrix.
func (w *writer) fracForeign3(out *[]string, g *circuit.GateDef, params []circuit.Expr, mods []circuit.Modifier, qubits []int, en env, qname func(int) string) error {
	ctl, pw, nc := splitMods(mods)
	controls := qubits[:nc]
	if g.Controls > 0 && g.Target != nil {
		tgt := circuit.StdGates[g.Target.Name]
		if g.Target.Lib != circuit.LibInternal || tgt == nil || tgt.MatrixFunc == nil || tgt.Controls > 0 || len(tgt.Params) != len(params) {
			return fmt.Errorf("pow(%s) @ %s cannot be written in OpenQASM 3", formatSigned(pw), g.Name)
		}
		if g.Phase != 0 {
			line, err := w.call(ctl, "gphase", []circuit.Expr{circuit.Const(g.Phase * pw)}, controls, en, qname)
			if err != nil {
				return err
			}
			*out = append(*out, line)
		}
		m := append(append([]circuit.Modifier(nil), ctl...), circuit.Modifier{Kind: circuit.Ctrl, N: g.Controls}, circuit.Modifier{Kind: circuit.Pow, Exp: pw})
		if err := w.useStd(tgt.Name); err != nil {
			return err
		}
		line, err := w.call(m, tgt.Name, params, qubits, en, qname)
		*out = append(*out, line)
		return err
	}
	vals, ok := w.constVals(params, en)
	if !ok || g.NumQubits() != 1 {
		return &errSymbolic{fmt.Sprintf("pow(%s) @ %s (OpenQASM 2's) with unbound parameters cannot be written exactly in OpenQASM 3 (bind the parameters)", formatSigned(pw), g.Name)}
	}
	pm, ok := circuit.Power(g.MatrixFunc(vals), pw)
	if !ok {
		return fmt.Errorf("pow(%s) @ %s is not defined", formatSigned(pw), g.Name)
	}
	a, t, p, l := zyz(pm)
	c := circuit.Const
	line, err := w.call(ctl, "U", []circuit.Expr{c(t), c(p), c(l)}, qubits, en, qname)
	if err != nil {
		return err
	}
	*out = append(*out, line)
	if ph := a - t/2; ph != 0 {
		line, err = w.call(ctl, "gphase", []circuit.Expr{c(ph)}, controls, en, qname)
		*out = append(*out, line)
	}
	return err
}

type gateFunc func(out *[]string, g *circuit.GateDef, params []circuit.Expr, mods []circuit.Modifier, qubits []int, en env, qname func(int) string) error

// inline writes g(params) on qubits under mods as its body: the control
// modifiers and the inverse apply to each body operation, an integer power
// repeats the body.
func (w *writer) inline(out *[]string, g *circuit.GateDef, params []circuit.Expr, mods []circuit.Modifier, qubits []int, en env, qname func(int) string, emit gateFunc) error {
	if g.Opaque {
		return fmt.Errorf("gate %s is opaque: it has no body to expand", g.Name)
	}
	ctl, pw, nc := splitMods(mods)
	if pw != math.Trunc(pw) || math.Abs(pw) > 1<<16 {
		return fmt.Errorf("pow(%s) @ %s: a non-integer power of a gate definition cannot be expanded into its body", formatSigned(pw), g.Name)
	}
	if w.statements+int(math.Abs(pw))*w.expandSize(g) > maxStatements {
		return fmt.Errorf("expanding %s would write more than %d statements", g.Name, maxStatements)
	}
	controls, args := qubits[:nc], qubits[nc:]
	pre := ctl // the modifiers of every body operation
	if pw < 0 {
		pre = append(pre, circuit.Modifier{Kind: circuit.Inv})
	}
	reps := int(math.Abs(pw))
	for r := 0; r < reps; r++ {
		for k := range g.Body {
			j := k
			if pw < 0 {
				j = len(g.Body) - 1 - k
			}
			b := &g.Body[j]
			if b.Kind != circuit.GateOp {
				if b.Kind == circuit.Barrier && nc == 0 && pw == 1 {
					qs := make([]int, len(b.Qubits))
					for i, f := range b.Qubits {
						qs[i] = args[f]
					}
					line, err := w.op(&circuit.Op{Kind: circuit.Barrier, Qubits: qs}, en, qname)
					if err != nil {
						return err
					}
					*out = append(*out, line...)
				}
				continue
			}
			ps, qs, m := instantiate(b, params, controls, args, pre)
			if err := emit(out, b.Gate, ps, m, qs, en, qname); err != nil {
				return err
			}
		}
	}
	return nil
}

// instantiate returns the parameters, qubits and modifiers of gate
// application b of a body, applied with params on args under controls: b's
// parameters with params substituted, the controls then b's formal qubits
// mapped to args, and mods then b's own modifiers.
func instantiate(b *circuit.Op, params []circuit.Expr, controls, args []int, mods []circuit.Modifier) ([]circuit.Expr, []int, []circuit.Modifier) {
	ps := make([]circuit.Expr, len(b.Params))
	for i, e := range b.Params {
		ps[i] = circuit.Subst(e, params)
	}
	qs := append([]int(nil), controls...)
	for _, f := range b.Qubits {
		qs = append(qs, args[f])
	}
	return ps, qs, append(append([]circuit.Modifier(nil), mods...), b.Mods...)
}

// splitMods returns the control modifiers of mods, the total power that
// the inverse and power modifiers give, and the number of control qubits.
func splitMods(mods []circuit.Modifier) (ctl []circuit.Modifier, pw float64, nc int) {
	pw = 1
	for _, m := range mods {
		switch m.Kind {
		case circuit.Ctrl, circuit.NegCtrl:
			ctl = append(ctl, m)
			nc += m.N
		case circuit.Inv:
			pw = -pw
		case circuit.Pow:
			pw *= m.Exp
		}
	}
	return ctl, pw, nc
}

// ---------------------------------------------------------------------------
// Conditions

// cond3 prints the conditions of an operation for OpenQASM 3.
func (w *writer) cond3(conds []circuit.Condition) (string, error) {
	var parts []string
	for _, c := range conds {
		op := " == "
		if c.Negate {
			op = " != "
		}
		if name, ok := w.wholeReg(c.Clbits); ok {
			parts = append(parts, name+op+strconv.FormatUint(c.Value, 10))
			continue
		}
		if len(c.Clbits) == 1 {
			parts = append(parts, w.clbit[c.Clbits[0]]+op+strconv.FormatUint(c.Value, 10))
			continue
		}
		if c.Negate {
			return "", fmt.Errorf("a negated condition on bits that are not one register cannot be written")
		}
		if len(c.Clbits) < 64 && c.Value>>uint(len(c.Clbits)) != 0 {
			parts = append(parts, "false")
			continue
		}
		for i, b := range c.Clbits {
			parts = append(parts, w.clbit[b]+" == "+strconv.FormatUint(c.Value>>uint(i)&1, 10))
		}
	}
	return strings.Join(parts, " && "), nil
}

// wholeReg reports whether bits are one whole classical register, in order.
func (w *writer) wholeReg(bits []int) (string, bool) {
	if len(bits) == 0 {
		return "", false
	}
	for _, r := range w.cregList {
		if r.Start == bits[0] && r.Size == len(bits) {
			for i, b := range bits {
				if b != r.Start+i {
					return "", false
				}
			}
			return r.Name, true
		}
	}
	return "", false
}

// cond2 returns the "if (c==v) " prefixes under which an operation is
// written in OpenQASM 2, which can only compare one whole register with a
// value: conditions on part of a register, negated ones and several on one
// register become one copy of the operation per value of the register that
// satisfies them.
func (w *writer) cond2(op *circuit.Op) ([]string, error) {
	if len(op.Cond) == 1 && !op.Cond[0].Negate {
		if name, ok := w.wholeReg(op.Cond[0].Clbits); ok {
			return []string{fmt.Sprintf("if (%s == %d) ", name, op.Cond[0].Value)}, nil
		}
	}
	var reg *circuit.Register
	for _, c := range op.Cond {
		for _, b := range c.Clbits {
			r := w.cregOf(b)
			if reg == nil {
				reg = r
			} else if r != reg {
				return nil, fmt.Errorf("OpenQASM 2 cannot condition an operation on bits of two registers (%s and %s)", reg.Name, r.Name)
			}
		}
	}
	if reg == nil {
		return []string{""}, nil
	}
	if reg.Size > 16 {
		return nil, fmt.Errorf("OpenQASM 2 cannot write this condition on part of register %s of %d bits", reg.Name, reg.Size)
	}
	bits := make([]bool, w.c.NumClbits)
	var vals []uint64
	for v := uint64(0); v < 1<<uint(reg.Size); v++ {
		for i := 0; i < reg.Size; i++ {
			bits[reg.Start+i] = v>>uint(i)&1 == 1
		}
		all := true
		for _, c := range op.Cond {
			all = all && c.Holds(bits)
		}
		if all {
			vals = append(vals, v)
		}
	}
	switch {
	case len(vals) == 1<<uint(reg.Size):
		return []string{""}, nil
	case len(vals) > 64:
		return nil, fmt.Errorf("OpenQASM 2 would need %d copies of the operation to write its condition on %s", len(vals), reg.Name)
	case len(vals) > 1 && op.Kind == circuit.Measure:
		for _, b := range op.Clbits {
			if w.cregOf(b) == reg {
				return nil, fmt.Errorf("OpenQASM 2 cannot write a measurement into %s under this condition on %s", w.clbit[b], reg.Name)
			}
		}
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = fmt.Sprintf("if (%s == %d) ", reg.Name, v)
	}
	return out, nil
}

func (w *writer) cregOf(b int) *circuit.Register {
	for i := range w.cregList {
		r := &w.cregList[i]
		if b >= r.Start && b < r.Start+r.Size {
			return r
		}
	}
	return nil
}
