package qasm

// Quantum operations: gate applications with broadcasting, measure, reset,
// barrier and if.

import (
	"math"
	"slices"

	"born/circuit"
)

// qarg is a qubit or bit argument: a register, or an element of one.
type qarg struct {
	name     string
	pos      Pos
	indexed  bool
	index    uint64 // math.MaxUint64 if it does not fit
	indexLit string // the index as written
	indexPos Pos
}

// argList reads arg {, arg}. In a gate body (body) arguments cannot be
// indexed.
func (p *parser) argList(body bool) ([]qarg, bool) {
	return p.argListTo(nil, body)
}

// argListTo is argList appending to dst (a buffer the caller reuses).
func (p *parser) argListTo(dst []qarg, body bool) ([]qarg, bool) {
	args := dst
	for {
		a, ok := p.arg(body)
		if !ok {
			return nil, false
		}
		args = append(args, a)
		if !p.got(tComma) {
			return args, true
		}
	}
}

func (p *parser) arg(body bool) (qarg, bool) {
	if p.tok.kind != tIdent {
		if body {
			p.errorExpected("qubit argument")
		} else {
			p.errorExpected("register or register[index]")
		}
		return qarg{}, false
	}
	a := qarg{name: p.tok.lit, pos: p.pos()}
	p.next()
	if p.tok.kind != tLBrack {
		return a, true
	}
	if body {
		p.errorf(p.pos(), "qubit arguments cannot be indexed inside a gate body")
		// Skip the index and go on: the statement is otherwise readable.
		p.next()
		p.got(tInt)
		p.got(tRBrack)
		return a, true
	}
	p.next()
	lit := shorten(string(p.sc.src[p.tok.off:p.tok.end]))
	idx, ipos, ok := p.intLit("index")
	if !ok || !p.want(tRBrack) {
		return qarg{}, false
	}
	a.indexed, a.index, a.indexLit, a.indexPos = true, idx, lit, ipos
	return a, true
}

// ref is a resolved argument: a whole register (reg) or one element.
type ref struct {
	start, size int
	reg         bool
}

// resolve maps an argument to qubits (quantum) or classical bits.
func (p *parser) resolve(a qarg, quantum bool) (ref, bool) {
	want, unit := symCReg, "bit"
	what := "classical register"
	if quantum {
		want, unit, what = symQReg, "qubit", "quantum register"
	}
	s := p.names[a.name]
	if s == nil {
		p.errorf(a.pos, "undeclared %s '%s'", what, a.name)
		return ref{}, false
	}
	if s.kind != want {
		p.errorf(a.pos, "'%s' is a %s, expected a %s", a.name, s.describe(), what)
		return ref{}, false
	}
	if !a.indexed {
		return ref{start: s.reg.Start, size: s.reg.Size, reg: true}, true
	}
	if a.index >= uint64(s.reg.Size) {
		p.errorf(a.indexPos, "index %s out of range: register '%s' has %s", a.indexLit, a.name, plural(s.reg.Size, unit))
		return ref{}, false
	}
	return ref{start: s.reg.Start + int(a.index), size: 1}, true
}

// resolveGate finds the gate a statement applies and checks its arity.
func (p *parser) resolveGate(nameTok token, nparams, nargs int) *circuit.GateDef {
	name, pos := nameTok.lit, p.posOf(nameTok)
	if p.scope != nil && name == p.scope.name {
		p.errorf(pos, "gate '%s' is used in its own definition (recursive gates are not allowed)", name)
		return nil
	}
	s := p.names[name]
	if s == nil {
		if _, ok := circuit.QELib1Gates[name]; ok && !p.qelib1 {
			p.errorf(pos, "unknown gate '%s' (not declared; missing include \"qelib1.inc\"?)", name)
		} else if hint := p.gateHint(name); hint != "" {
			p.errorf(pos, "unknown gate '%s' (not declared%s)", name, hint)
		} else {
			p.errorf(pos, "unknown gate '%s' (not declared; missing include?)", name)
		}
		return nil
	}
	if s.kind != symGate {
		p.errorf(pos, "'%s' is a %s, not a gate", name, s.describe())
		return nil
	}
	g := s.gate
	if g.Opaque && !p.allowOpaque {
		p.errorf(pos, "cannot apply opaque gate '%s' (declared at %s without a definition, so it cannot be simulated)", name, s.pos)
		return nil
	}
	if len(g.Params) != nparams {
		p.errorf(pos, "gate '%s' takes %s, found %d", name, plural(len(g.Params), "parameter"), nparams)
		return nil
	}
	if g.NumQubits() != nargs {
		p.errorf(pos, "gate '%s' takes %s, found %d", name, plural(g.NumQubits(), "qubit argument"), nargs)
		return nil
	}
	return g
}

// spend takes n qubit operands from the budget of Options.MaxOps.
func (p *parser) spend(n int, pos Pos) {
	if n < 1 {
		n = 1
	}
	if n > p.budget {
		p.tooLarge(pos)
	}
	p.budget -= n
}

// tooLarge ends the reading: the program spends more than the budget.
func (p *parser) tooLarge(pos Pos) {
	p.fatalf(pos, "circuit too large: more than %d qubit operations after broadcasting registers and unrolling loops, the most born reads", p.maxOps)
}

// expand adds copies applications of the gate operation op to the count of
// instructions the circuit lowers to, and reports false (with an error at
// pos) when one application nests gate definitions too deep, or when the
// count passes circuit.MaxInstrs: the lowering's own budget, refused here
// before anything is expanded and with a position.
func (p *parser) expand(op *circuit.Op, copies int, pos Pos) bool {
	n := p.sizer.Op(op)
	if p.sizer.TooDeep() {
		p.errorf(pos, "%s", p.sizer.DepthMessage())
		p.sizer = circuit.Sizer{}
		return false
	}
	p.expanded += n * float64(copies)
	if p.expanded > float64(circuit.MaxInstrs) && !p.noExpand {
		p.fatalf(pos, "%s", circuit.SizeMessage(op, n, p.expanded))
	}
	return true
}

// builtin reports whether g is a built-in gate, which acts on every qubit
// it is applied to (a user gate's body may leave some alone).
func builtin(g *circuit.GateDef) bool { return g.MatrixFunc != nil || g.Target != nil }

// touch records that an operation acts on qubits qs and, with
// Options.MaxTouched set, ends the reading with an error at pos when the
// program now acts on more qubits than that: a statement on a register the
// engine cannot hold is refused at once, before it is read into memory.
func (p *parser) touch(qs []int, pos Pos) {
	if p.maxTouched <= 0 {
		return
	}
	for _, q := range qs {
		if q >= len(p.touched) {
			p.touched = append(p.touched, make([]bool, q+1-len(p.touched))...)
		}
		if !p.touched[q] {
			p.touched[q] = true
			p.nTouched++
		}
	}
	if p.nTouched > p.maxTouched {
		why := p.touchedWhy
		if why == "" {
			why = "the most this run takes"
		}
		p.fatalf(pos, "the program acts on more than %d qubits here: %s", p.maxTouched, why)
	}
}

// alloc returns a slice of n ints, carved from a shared block when small.
func (p *parser) alloc(n int) []int {
	if n > 64 {
		return make([]int, n)
	}
	if len(p.slab) < n {
		p.slab = make([]int, 4096)
	}
	s := p.slab[:n:n]
	p.slab = p.slab[n:]
	return s
}

// dupIndex returns the index of the first element of qs equal to an earlier
// one, or -1. It takes time linear in len(qs).
func (p *parser) dupIndex(qs []int) int {
	if len(qs) <= 16 {
		for j := 1; j < len(qs); j++ {
			for i := 0; i < j; i++ {
				if qs[i] == qs[j] {
					return j
				}
			}
		}
		return -1
	}
	seen := make(map[int]struct{}, len(qs))
	for j, q := range qs {
		if _, ok := seen[q]; ok {
			return j
		}
		seen[q] = struct{}{}
	}
	return -1
}

// dedup returns qs without repeats, in order of first appearance.
func (p *parser) dedup(qs []int) []int {
	if p.dupIndex(qs) < 0 {
		return qs
	}
	out := qs[:0]
	seen := make(map[int]struct{}, len(qs))
	for _, q := range qs {
		if _, ok := seen[q]; !ok {
			seen[q] = struct{}{}
			out = append(out, q)
		}
	}
	return out
}

// qop reads a quantum operation (a gate application, measure or reset) under
// the conditions cond.
func (p *parser) qop(cond []circuit.Condition) {
	switch p.tok.kind {
	case tIdent:
		p.gateStmt(cond)
	case tMeasure:
		p.measureStmt(cond)
	case tReset:
		p.resetStmt(cond)
	default:
		p.errorExpected("gate application, measure or reset")
		p.sync()
	}
}

func (p *parser) gateStmt(cond []circuit.Condition) {
	nameTok := p.tok
	p.next()
	// The argument lists are read into buffers reused from statement to
	// statement: for a file of 2^22 gates they were about 450 MB.
	params, ok := p.paramListTo(p.paramBuf[:0])
	if !ok {
		p.sync()
		return
	}
	p.paramBuf = params[:0]
	args, ok := p.argListTo(p.argBuf[:0], false)
	if !ok {
		p.sync()
		return
	}
	p.argBuf = args[:0]
	if p.complete() {
		p.applyGate(nameTok, params, args, cond)
	}
	p.expectSemi()
}

// applyGate appends a gate application, broadcast over registers: register
// arguments must have one size n, and the gate is applied n times, element
// i of each register with the single qubits.
func (p *parser) applyGate(nameTok token, params []pexpr, args []qarg, cond []circuit.Condition) {
	g := p.resolveGate(nameTok, len(params), len(args))
	if g == nil {
		return
	}
	refs := slices.Grow(p.refBuf[:0], len(args))[:len(args)]
	p.refBuf = refs
	n, first := 1, -1
	for j, a := range args {
		r, ok := p.resolve(a, true)
		if !ok {
			return
		}
		refs[j] = r
		if r.reg {
			if first < 0 {
				n, first = r.size, j
			} else if r.size != n {
				p.errorf(a.pos, "registers of different sizes in one statement: '%s' has %s, '%s' has %d",
					args[first].name, plural(n, "qubit"), a.name, r.size)
				return
			}
		}
	}
	p.spend(n*len(args), p.posOf(nameTok))
	ps := exprs(params)
	if !p.expand(&circuit.Op{Kind: circuit.GateOp, Gate: g, Params: ps}, n, p.posOf(nameTok)) {
		return
	}
	if p.maxTouched <= 0 { // (with a limit, a large broadcast may stop early)
		p.circ.Ops = slices.Grow(p.circ.Ops, n) // one allocation for a broadcast
	}
	for i := 0; i < n; i++ {
		qs := p.alloc(len(args))
		for j, r := range refs {
			qs[j] = r.start
			if r.reg {
				qs[j] += i
			}
		}
		if j := p.dupIndex(qs); j >= 0 {
			p.errorf(args[j].pos, "qubit %s used twice in one gate", p.circ.QubitLabel(qs[j]))
			return
		}
		opParams := ps // the first op takes ps, each other one a copy
		if i > 0 && len(ps) > 0 {
			opParams = append([]circuit.Expr(nil), ps...)
		}
		if builtin(g) {
			p.touch(qs, p.posOf(nameTok))
		}
		p.circ.Ops = append(p.circ.Ops, circuit.Op{Kind: circuit.GateOp, Gate: g, Params: opParams, Qubits: qs, Cond: cond})
	}
}

func (p *parser) measureStmt(cond []circuit.Condition) {
	p.next()
	q, ok := p.arg(false)
	if !ok || !p.want(tArrow) {
		p.sync()
		return
	}
	c, ok := p.arg(false)
	if !ok {
		p.sync()
		return
	}
	if p.complete() {
		p.applyMeasure(q, c, cond)
	}
	p.expectSemi()
}

func (p *parser) applyMeasure(q, c qarg, cond []circuit.Condition) {
	qr, ok := p.resolve(q, true)
	if !ok {
		return
	}
	cr, ok := p.resolve(c, false)
	if !ok {
		return
	}
	n := qr.size
	switch {
	case qr.reg && cr.reg && qr.size != cr.size:
		p.errorf(c.pos, "cannot measure register '%s' of %s into register '%s' of %s",
			q.name, plural(qr.size, "qubit"), c.name, plural(cr.size, "bit"))
		return
	case qr.reg && !cr.reg && qr.size != 1:
		p.errorf(c.pos, "cannot measure register '%s' of %s into one bit", q.name, plural(qr.size, "qubit"))
		return
	case !qr.reg && cr.reg && cr.size != 1:
		p.errorf(c.pos, "cannot measure one qubit into register '%s' of %s", c.name, plural(cr.size, "bit"))
		return
	}
	p.spend(n, q.pos)
	for i := 0; i < n; i++ {
		qs, cs := p.alloc(1), p.alloc(1)
		qs[0], cs[0] = qr.start, cr.start
		if qr.reg {
			qs[0] += i
		}
		if cr.reg {
			cs[0] += i
		}
		p.touch(qs, q.pos)
		p.circ.Ops = append(p.circ.Ops, circuit.Op{Kind: circuit.Measure, Qubits: qs, Clbits: cs, Cond: cond})
	}
}

func (p *parser) resetStmt(cond []circuit.Condition) {
	p.next()
	q, ok := p.arg(false)
	if !ok {
		p.sync()
		return
	}
	if p.complete() {
		if r, ok := p.resolve(q, true); ok {
			p.spend(r.size, q.pos)
			for i := 0; i < r.size; i++ {
				qs := p.alloc(1)
				qs[0] = r.start + i
				p.touch(qs, q.pos)
				p.circ.Ops = append(p.circ.Ops, circuit.Op{Kind: circuit.Reset, Qubits: qs, Cond: cond})
			}
		}
	}
	p.expectSemi()
}

func (p *parser) barrierStmt() {
	p.next()
	args, ok := p.argList(false)
	if !ok {
		p.sync()
		return
	}
	if p.complete() {
		var qs []int
		for _, a := range args {
			r, ok := p.resolve(a, true)
			if !ok {
				qs = nil
				break
			}
			p.spend(r.size, a.pos)
			for i := 0; i < r.size; i++ {
				qs = append(qs, r.start+i)
			}
		}
		if qs != nil {
			p.circ.Ops = append(p.circ.Ops, circuit.Op{Kind: circuit.Barrier, Qubits: p.dedup(qs)})
		}
	}
	p.expectSemi()
}

// ifStmt reads if (creg == int) qop.
func (p *parser) ifStmt() {
	p.next()
	if !p.want(tLParen) {
		p.sync()
		return
	}
	c, ok := p.arg(false)
	if !ok || !p.want(tEqEq) {
		p.sync()
		return
	}
	val, valPos, ok := p.intLit("integer")
	if !ok || !p.want(tRParen) {
		p.sync()
		return
	}
	var cond []circuit.Condition
	if p.stmtOK() {
		if r, ok := p.resolve(c, false); ok {
			switch {
			case val == math.MaxUint64:
				p.errorf(valPos, "condition value out of range")
			case c.indexed:
				p.warnf(c.pos, "a condition on one bit is not OpenQASM 2.0 (only whole registers)")
			case r.size > 64:
				p.errorf(c.pos, "conditions on registers of more than 64 bits are not supported ('%s' has %d)", c.name, r.size)
			}
			if r.size < 64 && val >= 1<<uint(r.size) && val != math.MaxUint64 {
				p.warnf(valPos, "condition can never hold: '%s' has %s and cannot equal %d", c.name, plural(r.size, "bit"), val)
			}
			bits := make([]int, r.size)
			for i := range bits {
				bits[i] = r.start + i
			}
			cond = []circuit.Condition{{Clbits: bits, Value: val}}
		}
	}
	switch p.tok.kind {
	case tIdent, tMeasure, tReset:
		p.qop(cond)
	default:
		p.errorExpected("gate application, measure or reset after if (...)")
		p.sync()
	}
}
