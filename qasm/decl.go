package qasm

// Declarations: registers, gates (with their bodies) and opaque gates.

import (
	"math"
	"strings"

	"born/circuit"
)

// declName reads the name in a declaration.
func (p *parser) declName() (string, Pos, bool) {
	if p.tok.kind != tIdent {
		p.errorExpected("name")
		return "", Pos{}, false
	}
	name, pos := p.tok.lit, p.pos()
	p.next()
	if p.reserved[name] {
		p.errorf(pos, "'%s' is a reserved word", name)
	}
	return name, pos, true
}

// checkNew reports whether name can be declared as a register (gate false)
// or a gate (gate true). Redefining a gate of qelib1.inc is allowed with a
// warning.
func (p *parser) checkNew(name string, pos Pos, gate bool) bool {
	s := p.names[name]
	if s == nil {
		return true
	}
	if gate && s.kind == symGate {
		switch s.origin {
		case originQELib1:
			p.warnf(pos, "gate '%s' redefines the qelib1.inc gate; using the new definition", name)
			return true
		case originStdGates:
			p.warnf(pos, "gate '%s' redefines the stdgates.inc gate; using the new definition", name)
			return true
		case originCore:
			p.errorf(pos, "cannot redefine built-in gate '%s'", name)
			return false
		}
	}
	if s.origin == originCore {
		p.errorf(pos, "'%s' is a built-in gate", name)
		return false
	}
	p.errorf(pos, "'%s' already declared (%s at %s)", name, s.describe(), s.pos)
	return false
}

// intLit reads a non-negative integer literal. A value that does not fit
// in a uint64 is math.MaxUint64.
func (p *parser) intLit(what string) (uint64, Pos, bool) {
	if p.tok.kind != tInt {
		p.errorExpected(what)
		return 0, Pos{}, false
	}
	pos := p.pos()
	var v uint64
	for _, c := range p.sc.src[p.tok.off:p.tok.end] {
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			v = math.MaxUint64
			break
		}
		v = v*10 + d
	}
	p.next()
	return v, pos, true
}

func (p *parser) regDecl() {
	quantum := p.tok.kind == tQreg
	p.next()
	name, pos, ok := p.declName()
	if !ok || !p.want(tLBrack) {
		p.sync()
		return
	}
	size, sizePos, ok := p.intLit("register size")
	if !ok || !p.want(tRBrack) {
		p.sync()
		return
	}
	if p.complete() && p.checkNew(name, pos, false) {
		p.declareReg(quantum, name, pos, size, sizePos)
	}
	p.expectSemi()
}

func (p *parser) declareReg(quantum bool, name string, pos Pos, size uint64, sizePos Pos) {
	unit, have, max := "bit", p.circ.NumClbits, uint64(MaxClbits)
	if quantum {
		unit, have, max = "qubit", p.circ.NumQubits, MaxQubits
		if p.phys != nil {
			p.errorf(pos, "qubit declaration in a program that uses physical qubits (%s at %s): use one or the other", "$k", p.phys.pos)
			return
		}
	}
	switch {
	case size == 0:
		p.errorf(sizePos, "register '%s' must have at least one %s", name, unit)
		return
	case size > max:
		p.errorf(sizePos, "register '%s' is too large: %d %ss (at most %d)", name, size, unit, max)
		return
	case uint64(have)+size > max:
		p.errorf(sizePos, "too many %ss: register '%s' brings the total to %d (at most %d)", unit, name, uint64(have)+size, max)
		return
	}
	s := &symbol{kind: symCReg, pos: pos}
	if quantum {
		s.kind = symQReg
		s.reg = p.circ.AddQReg(name, int(size))
	} else {
		s.reg = p.circ.AddCReg(name, int(size))
	}
	p.names[name] = s
}

// idList reads name {, name}.
func (p *parser) idList(what string) ([]string, []Pos, bool) {
	var names []string
	var poss []Pos
	for {
		if p.tok.kind != tIdent {
			p.errorExpected(what)
			return nil, nil, false
		}
		names = append(names, p.tok.lit)
		poss = append(poss, p.pos())
		p.next()
		if !p.got(tComma) {
			return names, poss, true
		}
	}
}

// gateHead reads name [(params)] qubits of a gate or opaque declaration and
// checks the names.
func (p *parser) gateHead() (name string, pos Pos, params, qubits []string, ok bool) {
	name, pos, ok = p.declName()
	if !ok {
		return
	}
	var ppos, qpos []Pos
	if p.got(tLParen) {
		if !p.got(tRParen) {
			if params, ppos, ok = p.idList("parameter name"); !ok {
				return
			}
			if ok = p.want(tRParen); !ok {
				return
			}
		}
	}
	if qubits, qpos, ok = p.idList("qubit argument name"); !ok {
		return
	}
	seen := make(map[string]bool, len(params)+len(qubits))
	check := func(names []string, poss []Pos, what string) {
		for i, n := range names {
			switch {
			case p.reserved[n]:
				p.errorf(poss[i], "'%s' is a reserved word", n)
			case seen[n]:
				p.errorf(poss[i], "duplicate %s '%s' in gate '%s'", what, n, name)
			}
			seen[n] = true
		}
	}
	check(params, ppos, "parameter")
	check(qubits, qpos, "qubit argument")
	return name, pos, params, qubits, true
}

func (p *parser) declareGate(g *circuit.GateDef, pos Pos) {
	p.names[g.Name] = &symbol{kind: symGate, origin: originUser, pos: pos, gate: g}
	p.circ.Defs = append(p.circ.Defs, g)
}

func (p *parser) opaqueDecl() {
	p.next()
	name, pos, params, qubits, ok := p.gateHead()
	if !ok {
		p.sync()
		return
	}
	if p.complete() && p.checkNew(name, pos, true) {
		p.declareGate(&circuit.GateDef{Name: name, Params: params, QubitNames: qubits, Lib: circuit.LibUser, Opaque: true}, pos)
	}
	p.expectSemi()
}

func (p *parser) gateDecl() {
	p.next()
	name, pos, params, qubits, ok := p.gateHead()
	if !ok {
		p.sync()
		return
	}
	// Declared even if its header or body has errors, so that uses of it do
	// not add "unknown gate" errors (the program is rejected anyway).
	declare := p.checkNew(name, pos, true)
	if !p.want(tLBrace) {
		p.sync()
		return
	}
	sc := &gateScope{name: name, params: map[string]int{}, qubits: map[string]int{}, qnames: qubits}
	for i, n := range params {
		sc.params[n] = i
	}
	for i, n := range qubits {
		sc.qubits[n] = i
	}
	g := &circuit.GateDef{Name: name, Params: params, QubitNames: qubits, Lib: circuit.LibUser}
	p.scope = sc
	for p.tok.kind != tRBrace && p.tok.kind != tEOF {
		if k := p.tok.kind; k == tOpenQASM || k == tInclude || k == tQreg || k == tCreg || k == tGate || k == tOpaque {
			break // a missing '}': let the top level read the statement
		}
		if op, ok := p.bodyStatement(sc); ok {
			g.Body = append(g.Body, op)
		}
	}
	p.scope = nil
	if p.tok.kind == tRBrace {
		p.next()
	} else {
		p.errorf(p.pos(), "expected '}' to end the body of gate '%s', found %s", name, p.desc(p.tok))
	}
	if declare {
		p.declareGate(g, pos)
		if p.version == 3 {
			p.defined(g)
		}
	}
}

// ---------------------------------------------------------------------------
// Gate bodies

// bodyStatement reads one statement of a gate body: a gate application or a
// barrier on the formal qubits.
func (p *parser) bodyStatement(sc *gateScope) (circuit.Op, bool) {
	if p.version == 3 {
		return p.bodyStatement3(sc)
	}
	p.stmtErr = p.nerr
	switch p.tok.kind {
	case tIdent:
		p.checkQASM3()
		return p.bodyGate(sc)
	case tBarrier:
		return p.bodyStatementBarrier(sc)
	case tSemi:
		p.warnf(p.pos(), "empty statement")
		p.next()
		return circuit.Op{}, false
	case tMeasure, tReset, tIf:
		p.errorf(p.pos(), "%s is not allowed inside a gate body", p.tok.kind)
	default:
		p.errorExpected("gate application or barrier in the body of gate '" + sc.name + "'")
	}
	p.next()
	p.sync()
	return circuit.Op{}, false
}

// bodyStatementBarrier reads a barrier on formal qubits in a gate body.
func (p *parser) bodyStatementBarrier(sc *gateScope) (circuit.Op, bool) {
	p.next()
	args, ok := p.argList(true)
	if !ok {
		p.sync()
		return circuit.Op{}, false
	}
	var op circuit.Op
	ok = p.complete()
	if ok {
		var qs []int
		if qs, ok = p.formalQubits(sc, args, false); ok {
			p.spend(len(qs), args[0].pos)
			op = circuit.Op{Kind: circuit.Barrier, Qubits: qs}
		}
	}
	p.expectSemi()
	return op, ok
}

func (p *parser) bodyGate(sc *gateScope) (circuit.Op, bool) {
	nameTok := p.tok
	p.next()
	params, ok := p.paramList()
	if !ok {
		p.sync()
		return circuit.Op{}, false
	}
	args, ok := p.argList(true)
	if !ok {
		p.sync()
		return circuit.Op{}, false
	}
	var op circuit.Op
	ok = p.complete()
	if ok {
		ok = false
		if g := p.resolveGate(nameTok, len(params), len(args)); g != nil {
			if qs, good := p.formalQubits(sc, args, true); good {
				p.spend(len(qs), p.posOf(nameTok))
				op = circuit.Op{Kind: circuit.GateOp, Gate: g, Params: exprs(params), Qubits: qs}
				ok = true
			}
		}
	}
	p.expectSemi()
	return op, ok
}

// formalQubits maps the arguments of a body statement to formal qubit
// indices. For a gate (distinct) no qubit may appear twice.
func (p *parser) formalQubits(sc *gateScope, args []qarg, distinct bool) ([]int, bool) {
	qs := make([]int, 0, len(args))
	for _, a := range args {
		i, ok := sc.qubits[a.name]
		if !ok {
			if _, isParam := sc.params[a.name]; isParam {
				p.errorf(a.pos, "'%s' is a parameter of gate '%s', not a qubit argument", a.name, sc.name)
			} else {
				names := sc.qnames
				if len(names) > 8 {
					names = append(names[:8:8], "...")
				}
				p.errorf(a.pos, "undeclared qubit '%s' in gate '%s' (its qubit arguments: %s)", a.name, sc.name, strings.Join(names, ", "))
			}
			return nil, false
		}
		qs = append(qs, i)
	}
	if j := p.dupIndex(qs); j >= 0 {
		if distinct {
			p.errorf(args[j].pos, "qubit '%s' used twice in one gate", args[j].name)
			return nil, false
		}
		qs = p.dedup(qs)
	}
	return qs, true
}
