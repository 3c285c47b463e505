package qasm

// OpenQASM 3 statements.

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"

	"born/circuit"
)

// Limits of the OpenQASM 3 reader, besides those of OpenQASM 2.
const (
	// maxUnrollTokens bounds the tokens read again to unroll for loops, in
	// all loops of a program together.
	maxUnrollTokens = 1 << 22
	// minIterTokens is what one loop iteration costs at least, in tokens.
	minIterTokens = 16
	// maxLoopIters bounds the iterations of one loop.
	maxLoopIters = 1 << 24
	// maxSymbols bounds the number of input parameters.
	maxSymbols = 1 << 20
	// maxCheckSize bounds the size of a gate application that the reader
	// lowers to check a non-integer pow @ early (with a position); larger
	// ones are checked when the circuit is lowered.
	maxCheckSize = 1 << 14
)

// q3 is the parser state that only OpenQASM 3 uses.
type q3 struct {
	locals []local             // names declared in blocks, innermost last
	scopes []int               // start of each open block's names in locals
	conds  []circuit.Condition // conditions of the enclosing if blocks
	depth  int                 // nesting of blocks: for, if, { }
	phys   *symbol             // the register of physical qubits $k, once used

	ntok       int // tokens read
	unrollLeft int // tokens that loops may still read again

	// size is a bound on the number of primitive gates one application of
	// a user gate lowers to (saturating), and frac reports whether it
	// contains a non-integer pow @.
	size map[*circuit.GateDef]int
	frac map[*circuit.GateDef]bool
}

// local is a name declared in a block.
type local struct {
	name string
	sym  *symbol
}

// lookup finds a name in the blocks, innermost first, then globally.
func (p *parser) lookup(name string) *symbol {
	for i := len(p.locals) - 1; i >= 0; i-- {
		if p.locals[i].name == name {
			return p.locals[i].sym
		}
	}
	return p.names[name]
}

// declare3 declares a classical name in the innermost scope.
func (p *parser) declare3(name string, pos Pos, s *symbol) bool {
	if old := p.lookup(name); old != nil {
		if old.origin == originCore || old.kind == symGate && old.origin != originUser {
			p.errorf(pos, "'%s' is %s", name, article(old.describe()))
		} else {
			p.errorf(pos, "'%s' already declared (%s at %s)", name, old.describe(), old.pos)
		}
		return false
	}
	s.pos = pos
	if len(p.scopes) > 0 {
		p.locals = append(p.locals, local{name, s})
	} else {
		p.names[name] = s
	}
	return true
}

func (p *parser) pushScope() { p.scopes = append(p.scopes, len(p.locals)) }

func (p *parser) popScope() {
	p.locals = p.locals[:p.scopes[len(p.scopes)-1]]
	p.scopes = p.scopes[:len(p.scopes)-1]
}

// global reports whether a declaration may be made here (not inside a
// block), reporting an error and skipping the statement if not.
func (p *parser) global(what string) bool {
	if p.depth == 0 {
		return true
	}
	p.errorf(p.pos(), "%s must be at the top level of the program, not inside a block", what)
	p.next()
	p.sync3()
	return false
}

// ---------------------------------------------------------------------------
// Recovery

// sync3 skips to the end of a statement after an error: past the next ';'
// or block { ... } at this level, or to a '}' that closes the enclosing
// block, or the end of the file.
func (p *parser) sync3() {
	depth, nest := 0, 0 // braces; parentheses and brackets
	for {
		switch p.tok.kind {
		case tEOF:
			return
		case tSemi:
			if depth == 0 {
				p.next()
				return
			}
		case tLParen, tLBrack:
			nest++
		case tRParen, tRBrack:
			if nest > 0 {
				nest--
			}
		case tLBrace:
			depth++
		case tRBrace:
			if depth == 0 {
				return
			}
			depth--
			if depth == 0 && nest == 0 {
				p.next()
				return
			}
		}
		p.next()
	}
}

// skipBalanced skips a bracketed group that starts at the current token.
func (p *parser) skipBalanced(open, close tokenKind) {
	depth := 0
	for p.tok.kind != tEOF {
		switch p.tok.kind {
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				p.next()
				return
			}
		}
		p.next()
	}
}

// skipStmt skips a statement or block without acting on it: the branch of
// an if that is known not to run, or the body of a loop without iterations.
func (p *parser) skipStmt() {
	switch {
	case p.tok.kind == tLBrace:
		p.skipBalanced(tLBrace, tRBrace)
	case p.tok.kind == tIf || p.tok.kind == tIdent && p.tok.lit == "while":
		p.next()
		if p.tok.kind == tLParen {
			p.skipBalanced(tLParen, tRParen)
		}
		p.skipStmt()
		if p.tok.kind == tIdent && p.tok.lit == "else" {
			p.next()
			p.skipStmt()
		}
	case p.tok.kind == tIdent && p.tok.lit == "for":
		for p.tok.kind != tEOF && !(p.tok.kind == tIdent && p.tok.lit == "in") {
			p.next()
		}
		p.next()
		switch p.tok.kind {
		case tLBrack:
			p.skipBalanced(tLBrack, tRBrack)
		case tLBrace:
			p.skipBalanced(tLBrace, tRBrace)
		default:
			p.next()
		}
		p.skipStmt()
	default:
		p.sync3()
	}
}

// skipLine skips the tokens on the current line (pragmas end at the end of
// their line, not at a ';').
func (p *parser) skipLine() {
	line := p.tok.line
	for p.tok.kind != tEOF && p.tok.line == line {
		p.next()
	}
}

// ---------------------------------------------------------------------------
// Statements

// statement3 reads one OpenQASM 3 statement.
func (p *parser) statement3() {
	p.stmtErr = p.nerr
	switch p.tok.kind {
	case tOpenQASM:
		p.errorf(p.pos(), "OPENQASM must be the first statement of the file")
		p.next()
		p.sync3()
	case tInclude:
		if p.global("include") {
			p.includeStmt()
		}
	case tQreg, tCreg:
		if p.global("a register declaration") {
			p.regDecl()
		}
	case tGate:
		if p.global("a gate definition") {
			p.gateDecl()
		}
	case tBarrier:
		p.barrier3()
	case tMeasure:
		p.measure3()
	case tReset:
		p.reset3()
	case tIf:
		p.if3()
	case tLBrace:
		p.block3()
	case tRBrace:
		p.errorf(p.pos(), "unexpected '}'")
		p.next()
	case tSemi:
		p.warnf(p.pos(), "empty statement")
		p.next()
	case tAt:
		p.errorf(p.pos(), "annotations (@...) are not supported")
		p.skipLine()
	case tIdent:
		p.identStmt3()
	default:
		if p.tok.kind == tOther && p.sc.src[p.tok.off] == '#' {
			p.errorf(p.pos(), "directives (#pragma, #dim, ...) are not supported")
			p.skipLine()
			return
		}
		p.errorExpected("statement")
		p.next()
		p.sync3()
	}
}

// identStmt3 reads a statement that starts with a name: a declaration, a
// loop, a gate application or a measurement assigned to bits.
func (p *parser) identStmt3() {
	name := p.tok.lit
	switch name {
	case "qubit":
		p.qubitDecl()
		return
	case "bit":
		p.bitDecl()
		return
	case "const":
		p.classicalDecl(true)
		return
	case "int", "uint", "float", "angle", "bool":
		p.classicalDecl(false)
		return
	case "input":
		p.inputDecl()
		return
	case "for":
		p.for3()
		return
	case "else":
		p.errorf(p.pos(), "else without if")
		p.next()
		p.skipStmt()
		return
	case "ctrl", "negctrl", "inv", "pow", "gphase", "U":
		p.gateStmt3()
		return
	}
	if _, ok := unsupported3[name]; ok {
		p.unsupported(name)
		return
	}
	if s := p.lookup(name); s != nil {
		switch s.kind {
		case symCReg:
			p.assignMeasure3()
			return
		case symConst, symInput, symNoValue:
			p.errorf(p.pos(), "assignment to %s '%s' is not supported (born does not run classical computations)", s.describe(), name)
			p.next()
			p.sync3()
			return
		case symSub:
			p.errorf(p.pos(), "call of subroutine '%s': subroutines (def, extern) are not supported", name)
			p.next()
			p.sync3()
			return
		}
	}
	p.gateStmt3()
}

// unsupported reports a statement that starts with a word of an
// unsupported feature, and skips it.
func (p *parser) unsupported(word string) {
	pos := p.pos()
	desc := unsupported3[word]
	switch word {
	case "array":
		p.errorf(pos, "array declarations are not supported (only input array[float[64], N] is)")
	case "opaque":
		p.errorf(pos, "opaque gates are not supported in OpenQASM 3 (opaque is OpenQASM 2)")
	default:
		p.errorf(pos, "%s are not supported", desc)
	}
	p.next()
	if (word == "def" || word == "extern") && p.tok.kind == tIdent && p.lookup(p.tok.lit) == nil {
		p.declare3(p.tok.lit, p.pos(), &symbol{kind: symSub, typ: word})
	}
	if word == "pragma" {
		p.skipLine()
		return
	}
	p.sync3()
}

// nest enters one more level of blocks (for, if, { }), refusing more than
// maxBlockNesting with an error at pos that ends the reading.
func (p *parser) nest(pos Pos) {
	if p.depth >= maxBlockNesting {
		p.fatalf(pos, "blocks nested too deeply (more than %d levels of for, if and { })", maxBlockNesting)
	}
	p.depth++
}

// block3 reads { statements } in a new scope.
func (p *parser) block3() {
	open := p.pos()
	p.nest(open)
	p.next()
	p.pushScope()
	for p.tok.kind != tRBrace && p.tok.kind != tEOF {
		p.statement3()
	}
	p.depth--
	p.popScope()
	if !p.got(tRBrace) {
		p.errorf(p.pos(), "expected '}' to close the block opened at %s, found %s", open, p.desc(p.tok))
	}
}

// body3 reads the body of a loop or if: a block or one statement.
func (p *parser) body3() {
	if p.tok.kind == tLBrace {
		p.block3()
		return
	}
	p.nest(p.pos())
	p.pushScope()
	p.statement3()
	p.depth--
	p.popScope()
}

// complete3 reports whether the statement read so far is error-free and
// ends here.
func (p *parser) complete3() bool {
	if !p.stmtOK() {
		return false
	}
	switch p.tok.kind {
	case tSemi, tEOF, tRBrace:
		return true
	}
	return false
}

// ---------------------------------------------------------------------------
// Declarations

func (p *parser) qubitDecl() {
	if !p.global("a qubit declaration") {
		return
	}
	p.next()
	size, sizePos, ok := p.designator(1)
	if !ok {
		p.sync3()
		return
	}
	name, pos, ok := p.declName()
	if !ok {
		p.sync3()
		return
	}
	if p.complete3() && p.checkNew(name, pos, false) {
		p.declareReg(true, name, pos, size, sizePos)
	}
	p.expectSemi()
}

// designator reads an optional [size]; without one the size is def.
func (p *parser) designator(def uint64) (uint64, Pos, bool) {
	pos := p.pos()
	if !p.got(tLBrack) {
		return def, pos, true
	}
	pos = p.pos()
	n, ok := p.expr3()
	if !ok || !p.want(tRBrack) {
		return 0, pos, false
	}
	v, ok := p.int3(n)
	if !ok {
		return 0, pos, false
	}
	if v < 0 {
		p.errorf(pos, "size %d is negative", v)
		return 0, pos, false
	}
	return uint64(v), pos, true
}

func (p *parser) bitDecl() {
	if p.depth > 0 {
		p.errorf(p.pos(), "bit declarations inside a block are not supported (declare bits at the top level)")
		p.next()
		p.sync3()
		return
	}
	p.next()
	size, sizePos, ok := p.designator(1)
	if !ok {
		p.sync3()
		return
	}
	name, pos, ok := p.declName()
	if !ok {
		p.sync3()
		return
	}
	if p.got(tAssign) {
		n, ok := p.expr3()
		if !ok {
			p.sync3()
			return
		}
		zero := false
		switch n.kind {
		case nString:
			zero = strings.Trim(n.name, "0") == ""
		case nInt:
			v, ok := p.int3(n)
			zero = ok && v == 0
		}
		if !zero && p.stmtOK() {
			p.errorf(n.pos, "initial values of bits are not supported (bits start at 0)")
		}
	}
	if p.complete3() && p.checkNew(name, pos, false) {
		p.declareReg(false, name, pos, size, sizePos)
		if s := p.names[name]; s != nil && s.kind == symCReg {
			s.typ = "bit"
		}
	}
	p.expectSemi()
}

// classicalDecl reads [const] type[width] name [= value];. Variables are
// read like constants: born does not run classical computations, so a
// variable keeps its initial value (assignments are errors).
func (p *parser) classicalDecl(isConst bool) {
	if isConst {
		p.next()
	}
	if p.tok.kind != tIdent || !castTypes[p.tok.lit] || p.tok.lit == "bit" {
		if p.tok.kind == tIdent {
			if _, ok := unsupported3[p.tok.lit]; ok {
				p.unsupported(p.tok.lit)
				return
			}
		}
		p.errorExpected("type (int, uint, float, angle or bool)")
		p.sync3()
		return
	}
	typ := p.tok.lit
	p.next()
	width, widthPos, ok := p.designator(0)
	if !ok {
		p.sync3()
		return
	}
	if typ == "bool" && p.tok.kind == tLBrack {
		p.errorExpected("name")
	}
	name, pos, ok := p.declName()
	if !ok {
		p.sync3()
		return
	}
	s := &symbol{kind: symConst, typ: typ, array: !isConst} // array: a variable
	if !p.got(tAssign) {
		if isConst {
			p.errorf(p.pos(), "constant '%s' needs a value", name)
			p.sync3()
			return
		}
		if p.complete3() {
			s.kind = symNoValue
			p.declare3(name, pos, s)
		}
		p.expectSemi()
		return
	}
	n, ok := p.expr3()
	if !ok {
		p.sync3()
		return
	}
	if !p.complete3() {
		p.expectSemi()
		return
	}
	switch typ {
	case "int", "uint":
		v, ok := p.int3(n)
		if !ok {
			break
		}
		switch {
		case typ == "uint" && v < 0:
			p.errorf(n.pos, "%d is negative: it is not a uint", v)
			ok = false
		case width > 64:
			p.errorf(widthPos, "%s[%d]: born's integers have at most 64 bits", typ, width)
			ok = false
		case width > 0 && width < 64 && typ == "uint" && v >= 1<<width:
			p.errorf(n.pos, "%d does not fit in uint[%d]", v, width)
			ok = false
		case width > 0 && width < 64 && typ == "int" && (v >= 1<<(width-1) || v < -(1<<(width-1))):
			p.errorf(n.pos, "%d does not fit in int[%d]", v, width)
			ok = false
		}
		if ok {
			s.val = cval{kind: 'i', i: v}
			p.declare3(name, pos, s)
		}
	case "float", "angle":
		var e circuit.Expr
		if isConst {
			v, ok := p.realConst(n, "the value of a const")
			if !ok {
				break
			}
			e = circuit.Const(v)
		} else {
			var ok bool
			if e, ok = p.realExpr(n); !ok {
				break
			}
		}
		if circuit.IsConst(e) {
			s.val = cval{kind: 'f', f: e.Eval(nil)}
		} else {
			s.val = cval{kind: 'e', e: e}
		}
		p.declare3(name, pos, s)
	case "bool":
		if v, ok := p.static3(n); ok {
			s.val = cval{kind: 'b', b: v}
			p.declare3(name, pos, s)
		}
	}
	p.expectSemi()
}

// inputDecl reads input float[64] name;, input angle name; or input
// array[float[64], N] name;. Each input is a trainable parameter: a symbol
// of the circuit, in declaration order (an array gives name[0] ... name[N-1]).
func (p *parser) inputDecl() {
	if !p.global("an input declaration") {
		return
	}
	p.next()
	if p.tok.kind != tIdent {
		p.errorExpected("input type (float, angle or array)")
		p.sync3()
		return
	}
	typ, typPos := p.tok.lit, p.pos()
	n := 0
	array := false
	switch typ {
	case "float", "angle":
		p.next()
		if _, _, ok := p.designator(64); !ok {
			p.sync3()
			return
		}
	case "array":
		array = true
		p.next()
		if !p.want(tLBrack) {
			p.sync3()
			return
		}
		if p.tok.kind != tIdent || (p.tok.lit != "float" && p.tok.lit != "angle") {
			p.errorf(p.pos(), "input arrays of %s are not supported (only array[float[64], N] and array[angle, N])", p.desc(p.tok))
			p.sync3()
			return
		}
		p.next()
		if _, _, ok := p.designator(64); !ok || !p.want(tComma) {
			p.sync3()
			return
		}
		size, sizePos, ok := p.designatorValue()
		if !ok || !p.want(tRBrack) {
			p.sync3()
			return
		}
		if size < 1 || size > maxSymbols {
			p.errorf(sizePos, "input array size %d out of range [1, %d]", size, maxSymbols)
			p.sync3()
			return
		}
		n = int(size)
	default:
		p.errorf(typPos, "input of type %s is not supported (only float, angle and array[float[64], N] inputs, which are trainable parameters)", p.desc(p.tok))
		p.sync3()
		return
	}
	name, pos, ok := p.declName()
	if !ok {
		p.sync3()
		return
	}
	if p.complete3() {
		count := max(n, 1)
		switch {
		case len(p.circ.Symbols)+count > maxSymbols:
			p.errorf(pos, "too many input parameters (at most %d)", maxSymbols)
		case p.declare3(name, pos, &symbol{kind: symInput, sym: len(p.circ.Symbols), n: n, array: array, typ: typ}):
			if array {
				for i := 0; i < n; i++ {
					p.circ.Symbols = append(p.circ.Symbols, name+"["+strconv.Itoa(i)+"]")
				}
			} else {
				p.circ.Symbols = append(p.circ.Symbols, name)
			}
		}
	}
	p.expectSemi()
}

// designatorValue reads an integer expression (in a type's brackets).
func (p *parser) designatorValue() (int64, Pos, bool) {
	pos := p.pos()
	n, ok := p.binary3(0)
	if !ok {
		return 0, pos, false
	}
	v, ok := p.int3(n)
	return v, pos, ok
}

// ---------------------------------------------------------------------------
// Operands

// qref is a resolved operand: qubits or bits start, start+step, ... (n of
// them); multi for a register or slice, which broadcasts.
type qref struct {
	name  string
	pos   Pos
	start int
	step  int
	n     int
	multi bool
}

func (r qref) at(i int) int {
	if !r.multi {
		return r.start
	}
	return r.start + i*r.step
}

// operand3 reads and resolves a qubit (quantum) or bit operand: name,
// name[i], name[a:b], name[a:s:b] or a physical qubit $k.
func (p *parser) operand3(quantum bool) (qref, bool) {
	if p.tok.kind == tPhys {
		t := p.tok
		pos := p.pos()
		p.next()
		if !quantum {
			p.errorf(pos, "physical qubit $%s where a classical bit is expected", t.lit)
			return qref{}, false
		}
		k, err := strconv.Atoi(t.lit)
		if err != nil || k >= MaxQubits {
			p.errorf(pos, "physical qubit $%s out of range (at most $%d)", shorten(t.lit), MaxQubits-1)
			return qref{}, false
		}
		q, ok := p.physQubit(k, pos)
		return qref{name: "$" + t.lit, pos: pos, start: q, n: 1}, ok
	}
	if p.tok.kind != tIdent {
		if quantum {
			p.errorExpected("qubit, register or register[index]")
		} else {
			p.errorExpected("bit, register or register[index]")
		}
		return qref{}, false
	}
	name, pos := p.tok.lit, p.pos()
	p.next()
	var index []*node
	if p.tok.kind == tLBrack {
		p.nesting, p.nodes, p.exprPos = 0, 0, p.pos()
		p.next()
		var ok bool
		if index, ok = p.exprList3(tRBrack); !ok {
			return qref{}, false
		}
		if len(index) == 0 {
			p.errorf(pos, "empty index")
			return qref{}, false
		}
	}
	if p.tok.kind == tLBrace {
		p.errorf(p.pos(), "index sets {...} are not supported")
		return qref{}, false
	}
	if !p.stmtOK() {
		return qref{}, false
	}
	want, what, unit := symCReg, "classical register", "bit"
	if quantum {
		want, what, unit = symQReg, "quantum register", "qubit"
	}
	s := p.lookup(name)
	switch {
	case s == nil:
		p.errorf(pos, "undeclared %s '%s'", what, name)
		return qref{}, false
	case s.kind != want:
		p.errorf(pos, "'%s' is %s, expected a %s", name, article(s.describe()), what)
		return qref{}, false
	}
	size := s.reg.Size
	r := qref{name: name, pos: pos, start: s.reg.Start, step: 1, n: size, multi: true}
	if index == nil {
		return r, true
	}
	if len(index) > 1 {
		p.errorf(index[1].pos, "'%s' has one dimension", name)
		return qref{}, false
	}
	idx := index[0]
	elem := func(n *node) (int, bool) {
		v, ok := p.int3(n)
		if !ok {
			return 0, false
		}
		if v < 0 {
			v += int64(size) // negative indices count from the end
		}
		if v < 0 || v >= int64(size) {
			p.errorf(n.pos, "index %s out of range: register '%s' has %s", strconv.FormatInt(v, 10), name, plural(size, unit))
			return 0, false
		}
		return int(v), true
	}
	if idx.kind == nCall && idx.name == ":" {
		if len(idx.args) < 2 {
			p.errorf(idx.pos, "incomplete range")
			return qref{}, false
		}
		a, ok1 := elem(idx.args[0])
		b, ok2 := elem(idx.args[len(idx.args)-1])
		step := int64(1)
		ok3 := true
		if len(idx.args) == 3 {
			step, ok3 = p.int3(idx.args[1])
		}
		if !ok1 || !ok2 || !ok3 {
			return qref{}, false
		}
		if step == 0 || step > int64(size) || -step > int64(size) {
			p.errorf(idx.pos, "range step %d out of range", step)
			return qref{}, false
		}
		n := (int64(b)-int64(a))/step + 1
		if n < 1 {
			p.errorf(idx.pos, "empty range [%d:%d:%d]", a, step, b)
			return qref{}, false
		}
		r.start, r.step, r.n = s.reg.Start+a, int(step), int(n)
		return r, true
	}
	i, ok := elem(idx)
	if !ok {
		return qref{}, false
	}
	return qref{name: name, pos: pos, start: s.reg.Start + i, n: 1}, true
}

// physQubit returns the global index of physical qubit $k. The physical
// qubits form one register "$" of the largest index used plus one.
func (p *parser) physQubit(k int, pos Pos) (int, bool) {
	if p.scope != nil {
		p.errorf(pos, "physical qubit $%d inside a gate body", k)
		return 0, false
	}
	if p.phys == nil {
		if p.circ.NumQubits > 0 {
			p.errorf(pos, "physical qubit $%d in a program that declares qubits (use one or the other)", k)
			return 0, false
		}
		reg := p.circ.AddQReg("$", k+1)
		p.phys = &symbol{kind: symQReg, reg: reg, pos: pos}
	} else if k >= p.phys.reg.Size {
		p.circ.QRegs[0].Size = k + 1
		p.circ.NumQubits = k + 1
		p.phys.reg.Size = k + 1
	}
	return k, true
}

// operands3 reads operand {, operand}.
func (p *parser) operands3() ([]qref, bool) {
	var list []qref
	for {
		r, ok := p.operand3(true)
		if !ok {
			return nil, false
		}
		list = append(list, r)
		if !p.got(tComma) {
			return list, true
		}
	}
}

// ---------------------------------------------------------------------------
// Gates

// modifiers reads gate modifiers: ctrl @, ctrl(n) @, negctrl @, inv @,
// pow(k) @.
func (p *parser) modifiers() ([]circuit.Modifier, bool) {
	var mods []circuit.Modifier
	for p.tok.kind == tIdent {
		var m circuit.Modifier
		word := p.tok.lit
		switch word {
		case "ctrl":
			m.Kind = circuit.Ctrl
		case "negctrl":
			m.Kind = circuit.NegCtrl
		case "inv":
			m.Kind = circuit.Inv
		case "pow":
			m.Kind = circuit.Pow
		default:
			return mods, true
		}
		p.next()
		switch m.Kind {
		case circuit.Ctrl, circuit.NegCtrl:
			m.N = 1
			if p.got(tLParen) {
				pos := p.pos()
				n, ok := p.expr3()
				if !ok || !p.want(tRParen) {
					return nil, false
				}
				v, ok := p.int3(n)
				if !ok {
					return nil, false
				}
				if v < 1 || v > 63 {
					p.errorf(pos, "%s(%d): the number of controls must be from 1 to 63", word, v)
					return nil, false
				}
				m.N = int(v)
			}
		case circuit.Pow:
			if !p.want(tLParen) {
				return nil, false
			}
			n, ok := p.expr3()
			if !ok || !p.want(tRParen) {
				return nil, false
			}
			if m.Exp, ok = p.realConst(n, "the exponent of pow"); !ok {
				return nil, false
			}
		}
		if !p.want(tAt) {
			return nil, false
		}
		mods = append(mods, m)
	}
	return mods, true
}

func hasFracPow(mods []circuit.Modifier) bool {
	for _, m := range mods {
		if m.Kind == circuit.Pow && m.Exp != math.Trunc(m.Exp) {
			return true
		}
	}
	return false
}

// gateParams reads an optional (expr, ...) of gate parameters.
func (p *parser) gateParams() ([]circuit.Expr, bool) {
	if p.tok.kind != tLParen {
		return nil, true
	}
	p.nesting, p.nodes, p.exprPos = 0, 0, p.pos()
	p.next()
	nodes, ok := p.exprList3(tRParen)
	if !ok {
		return nil, false
	}
	params := make([]circuit.Expr, len(nodes))
	for i, n := range nodes {
		if params[i], ok = p.realExpr(n); !ok {
			return nil, false
		}
	}
	return params, true
}

// resolveGate3 finds the gate a statement applies and checks its parameter
// count.
func (p *parser) resolveGate3(nameTok token, nparams int) *circuit.GateDef {
	name, pos := nameTok.lit, p.posOf(nameTok)
	if p.scope != nil && name == p.scope.name {
		p.errorf(pos, "gate '%s' is used in its own definition (recursive gates are not allowed)", name)
		return nil
	}
	s := p.lookup(name)
	if s == nil {
		_, std := circuit.StdGates[name]
		_, qe := circuit.QELib1Gates[name]
		switch {
		case std && !p.stdgates:
			p.errorf(pos, "unknown gate '%s' (not declared; missing include \"stdgates.inc\"?)", name)
		case qe && !std:
			p.errorf(pos, "unknown gate '%s' (stdgates.inc does not define it; it is a gate of OpenQASM 2's qelib1.inc)", name)
		default:
			p.errorf(pos, "unknown gate '%s' (not declared%s)", name, p.gateHint(name))
		}
		return nil
	}
	switch s.kind {
	case symGate:
	case symSub:
		p.errorf(pos, "call of subroutine '%s': subroutines (def, extern) are not supported", name)
		return nil
	default:
		p.errorf(pos, "'%s' is %s, not a gate", name, article(s.describe()))
		return nil
	}
	g := s.gate
	if len(g.Params) != nparams {
		p.errorf(pos, "gate '%s' takes %s, found %d", name, plural(len(g.Params), "parameter"), nparams)
		return nil
	}
	return g
}

// checkArity checks the number of qubit operands of g under modifiers.
func (p *parser) checkArity(nameTok token, g *circuit.GateDef, mods []circuit.Modifier, nargs int) bool {
	op := circuit.Op{Mods: mods}
	nc := op.NumControls()
	if want := g.NumQubits() + nc; nargs != want {
		if nc > 0 {
			p.errorf(p.posOf(nameTok), "gate '%s' with %s takes %s, found %d", nameTok.lit, plural(nc, "control"), plural(want, "qubit argument"), nargs)
		} else {
			p.errorf(p.posOf(nameTok), "gate '%s' takes %s, found %d", nameTok.lit, plural(want, "qubit argument"), nargs)
		}
		return false
	}
	return true
}

// gateStmt3 reads a gate application: modifiers, name, parameters and
// operands, broadcast over registers.
func (p *parser) gateStmt3() {
	mods, ok := p.modifiers()
	if !ok {
		p.sync3()
		return
	}
	if p.tok.kind != tIdent {
		p.errorExpected("gate name")
		p.sync3()
		return
	}
	nameTok := p.tok
	p.next()
	params, ok := p.gateParams()
	if !ok {
		p.sync3()
		return
	}
	var args []qref
	if p.tok.kind != tSemi {
		if args, ok = p.operands3(); !ok {
			p.sync3()
			return
		}
	}
	if p.complete3() {
		if g := p.resolveGate3(nameTok, len(params)); g != nil && p.checkArity(nameTok, g, mods, len(args)) {
			p.applyGate3(nameTok, g, mods, params, args)
		}
	}
	p.expectSemi()
}

func (p *parser) applyGate3(nameTok token, g *circuit.GateDef, mods []circuit.Modifier, params []circuit.Expr, args []qref) {
	n, first := 1, -1
	for j, r := range args {
		if r.multi {
			if first < 0 {
				n, first = r.n, j
			} else if r.n != n {
				p.errorf(r.pos, "registers of different sizes in one statement: '%s' has %s, '%s' has %d",
					args[first].name, plural(n, "qubit"), r.name, r.n)
				return
			}
		}
	}
	p.spend(n*len(args), p.posOf(nameTok))
	if !p.expand(&circuit.Op{Kind: circuit.GateOp, Gate: g, Params: params, Mods: mods}, n, p.posOf(nameTok)) {
		return
	}
	if p.maxTouched <= 0 { // (with a limit, a large broadcast may stop early)
		p.circ.Ops = slices.Grow(p.circ.Ops, n) // one allocation for a broadcast
	}
	check := hasFracPow(mods) || p.frac[g]
	for i := 0; i < n; i++ {
		qs := p.alloc(len(args))
		for j, r := range args {
			qs[j] = r.at(i)
		}
		if j := p.dupIndex(qs); j >= 0 {
			p.errorf(args[j].pos, "qubit %s used twice in one gate", p.circ.QubitLabel(qs[j]))
			return
		}
		var opParams []circuit.Expr
		if len(params) > 0 {
			opParams = append([]circuit.Expr(nil), params...)
		}
		op := circuit.Op{Kind: circuit.GateOp, Gate: g, Params: opParams, Mods: mods, Qubits: qs, Cond: p.condsNow()}
		if check && i == 0 && p.gateSize(g) <= maxCheckSize && !p.checkLower(op, p.posOf(nameTok)) {
			return
		}
		if builtin(g) {
			p.touch(qs, p.posOf(nameTok))
		}
		p.circ.Ops = append(p.circ.Ops, op)
	}
}

// condsNow returns the conditions of the enclosing if blocks.
func (p *parser) condsNow() []circuit.Condition {
	if len(p.conds) == 0 {
		return nil
	}
	return append([]circuit.Condition(nil), p.conds...)
}

// checkLower lowers one operation to report, with a position, what the
// lowering would refuse: a non-integer power of a gate that is neither a
// 1-qubit nor a diagonal one, or of a user gate with symbolic parameters.
func (p *parser) checkLower(op circuit.Op, pos Pos) bool {
	c := &circuit.Circuit{NumQubits: p.circ.NumQubits, NumClbits: p.circ.NumClbits, Symbols: p.circ.Symbols, Ops: []circuit.Op{op}}
	if _, err := c.Lower(); err != nil {
		msg := err.Error()
		var le *circuit.LowerError
		if errors.As(err, &le) {
			msg = le.Msg
		}
		p.errorf(pos, "%s", msg)
		return false
	}
	return true
}

// gateSize bounds the number of primitive gates one application of g
// lowers to, saturating at a large number.
func (p *parser) gateSize(g *circuit.GateDef) int {
	if g.Builtin() || g.Body == nil {
		return 1
	}
	if s, ok := p.size[g]; ok {
		return s
	}
	return 1 << 30
}

// defined records the size and non-integer powers of a new gate.
func (p *parser) defined(g *circuit.GateDef) {
	if p.size == nil {
		p.size, p.frac = map[*circuit.GateDef]int{}, map[*circuit.GateDef]bool{}
	}
	size, frac := 0, false
	for _, op := range g.Body {
		if op.Kind != circuit.GateOp {
			continue
		}
		reps := 1
		for _, m := range op.Mods {
			if m.Kind == circuit.Pow {
				if m.Exp != math.Trunc(m.Exp) {
					frac = true
				} else if a := math.Abs(m.Exp); a > 1 {
					reps = int(min(a, 1<<30))
				}
			}
		}
		frac = frac || p.frac[op.Gate]
		size = min(size+min(p.gateSize(op.Gate)*reps, 1<<30), 1<<30)
	}
	p.size[g], p.frac[g] = size, frac
}

// bodyStatement3 reads one statement of a gate body in OpenQASM 3: a gate
// application with modifiers, gphase, or a barrier.
func (p *parser) bodyStatement3(sc *gateScope) (circuit.Op, bool) {
	p.stmtErr = p.nerr
	switch p.tok.kind {
	case tIdent:
		switch word := p.tok.lit; word {
		case "for", "while", "qubit", "bit", "const", "int", "uint", "float", "angle", "bool", "input", "let", "box", "delay":
			p.errorf(p.pos(), "'%s' inside a gate body is not supported (a gate body holds gate applications and gphase)", word)
			p.next()
			p.sync3()
			return circuit.Op{}, false
		}
		return p.bodyGate3(sc)
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
	p.sync3()
	return circuit.Op{}, false
}

func (p *parser) bodyGate3(sc *gateScope) (circuit.Op, bool) {
	mods, ok := p.modifiers()
	if !ok {
		p.sync3()
		return circuit.Op{}, false
	}
	if p.tok.kind != tIdent {
		p.errorExpected("gate name")
		p.sync3()
		return circuit.Op{}, false
	}
	nameTok := p.tok
	p.next()
	params, ok := p.gateParams()
	if !ok {
		p.sync3()
		return circuit.Op{}, false
	}
	var args []qarg
	if p.tok.kind != tSemi {
		if args, ok = p.argList(true); !ok {
			p.sync3()
			return circuit.Op{}, false
		}
	}
	var op circuit.Op
	ok = p.complete3()
	if ok {
		ok = false
		if g := p.resolveGate3(nameTok, len(params)); g != nil && p.checkArity(nameTok, g, mods, len(args)) {
			if qs, good := p.formalQubits(sc, args, true); good {
				p.spend(len(qs), p.posOf(nameTok))
				op = circuit.Op{Kind: circuit.GateOp, Gate: g, Params: params, Mods: mods, Qubits: qs}
				ok = true
			}
		}
	}
	p.expectSemi()
	return op, ok
}

// ---------------------------------------------------------------------------
// Measurement, reset, barrier

// measure3 reads measure q -> c; (measure q; without a destination is not
// supported: the circuit keeps every outcome in a bit).
func (p *parser) measure3() {
	pos := p.pos()
	p.next()
	q, ok := p.operand3(true)
	if !ok {
		p.sync3()
		return
	}
	if p.tok.kind != tArrow {
		if p.tok.kind == tSemi {
			p.errorf(pos, "measure without a destination bit is not supported (write c = measure q; or measure q -> c;)")
		} else {
			p.errorExpected("'->'")
		}
		p.sync3()
		return
	}
	p.next()
	c, ok := p.operand3(false)
	if !ok {
		p.sync3()
		return
	}
	if p.complete3() {
		p.applyMeasure3(q, c)
	}
	p.expectSemi()
}

// assignMeasure3 reads c = measure q;.
func (p *parser) assignMeasure3() {
	c, ok := p.operand3(false)
	if !ok {
		p.sync3()
		return
	}
	switch p.tok.kind {
	case tAssign:
	case tOpAssign:
		p.errorf(p.pos(), "compound assignment to '%s' is not supported (born does not run classical computations)", c.name)
		p.sync3()
		return
	default:
		p.errorExpected("'='")
		p.sync3()
		return
	}
	p.next()
	if p.tok.kind != tMeasure {
		p.errorf(p.pos(), "assignment to bits '%s' is not supported, except c = measure q (born does not run classical computations)", c.name)
		p.sync3()
		return
	}
	p.next()
	q, ok := p.operand3(true)
	if !ok {
		p.sync3()
		return
	}
	if p.complete3() {
		p.applyMeasure3(q, c)
	}
	p.expectSemi()
}

func (p *parser) applyMeasure3(q, c qref) {
	switch {
	case q.multi && c.multi && q.n != c.n:
		p.errorf(c.pos, "cannot measure %s of %s into %s of %s", q.name, plural(q.n, "qubit"), c.name, plural(c.n, "bit"))
		return
	case q.multi && !c.multi && q.n != 1:
		p.errorf(c.pos, "cannot measure %s of %s into one bit", q.name, plural(q.n, "qubit"))
		return
	case !q.multi && c.multi && c.n != 1:
		p.errorf(c.pos, "cannot measure one qubit into %s of %s", c.name, plural(c.n, "bit"))
		return
	}
	n := q.n
	if !q.multi {
		n = 1
	}
	for i := 0; i < n; i++ {
		b := c.at(i)
		for _, cond := range p.conds {
			for _, cb := range cond.Clbits {
				if cb == b {
					p.errorf(c.pos, "measuring into %s inside an if that tests it is not supported", p.circ.ClbitLabel(b))
					return
				}
			}
		}
	}
	p.spend(n, q.pos)
	for i := 0; i < n; i++ {
		qs, cs := p.alloc(1), p.alloc(1)
		qs[0], cs[0] = q.at(i), c.at(i)
		p.touch(qs, q.pos)
		p.circ.Ops = append(p.circ.Ops, circuit.Op{Kind: circuit.Measure, Qubits: qs, Clbits: cs, Cond: p.condsNow()})
	}
}

func (p *parser) reset3() {
	p.next()
	q, ok := p.operand3(true)
	if !ok {
		p.sync3()
		return
	}
	if p.complete3() {
		n := q.n
		if !q.multi {
			n = 1
		}
		p.spend(n, q.pos)
		for i := 0; i < n; i++ {
			qs := p.alloc(1)
			qs[0] = q.at(i)
			p.touch(qs, q.pos)
			p.circ.Ops = append(p.circ.Ops, circuit.Op{Kind: circuit.Reset, Qubits: qs, Cond: p.condsNow()})
		}
	}
	p.expectSemi()
}

// barrier3 reads barrier [operands]; without operands it covers every
// qubit.
func (p *parser) barrier3() {
	pos := p.pos()
	p.next()
	var args []qref
	if p.tok.kind != tSemi {
		var ok bool
		if args, ok = p.operands3(); !ok {
			p.sync3()
			return
		}
	}
	if p.complete3() {
		var qs []int
		if args == nil {
			p.spend(p.circ.NumQubits, pos)
			for q := 0; q < p.circ.NumQubits; q++ {
				qs = append(qs, q)
			}
		}
		for _, a := range args {
			n := a.n
			if !a.multi {
				n = 1
			}
			p.spend(n, a.pos)
			for i := 0; i < n; i++ {
				qs = append(qs, a.at(i))
			}
		}
		p.circ.Ops = append(p.circ.Ops, circuit.Op{Kind: circuit.Barrier, Qubits: p.dedup(qs), Cond: p.condsNow()})
	}
	p.expectSemi()
}

// ---------------------------------------------------------------------------
// Control flow

// if3 reads if (condition) body [else body]. A condition known while reading
// selects a branch; one on classical bits conditions every operation of the
// branches (the else branch on the negated condition).
func (p *parser) if3() {
	p.next()
	if !p.want(tLParen) {
		p.sync3()
		return
	}
	n, ok := p.expr3()
	if !ok || !p.want(tRParen) {
		p.skipStmt()
		return
	}
	known, v, conds, ok := p.cond3(n)
	if !ok {
		p.skipStmt()
		if p.tok.kind == tIdent && p.tok.lit == "else" {
			p.next()
			p.skipStmt()
		}
		return
	}
	// p.conds is a stack: each if pushes its conditions and pops them
	// (operations take copies), so nesting costs linear time.
	saved := len(p.conds)
	if known {
		if v {
			p.body3()
		} else {
			p.skipStmt()
		}
	} else {
		p.conds = append(p.conds, conds...)
		p.body3()
		p.conds = p.conds[:saved]
	}
	if p.tok.kind != tIdent || p.tok.lit != "else" {
		return
	}
	elsePos := p.pos()
	p.next()
	switch {
	case known && !v:
		p.body3()
	case known:
		p.skipStmt()
	case len(conds) != 1:
		p.errorf(elsePos, "else after a condition with && is not supported")
		p.skipStmt()
	default:
		neg := conds[0]
		neg.Negate = !neg.Negate
		p.conds = append(p.conds, neg)
		p.body3()
		p.conds = p.conds[:saved]
	}
}

// mark is a position in the current file to read again from.
type mark struct {
	off, line, lineStart int
	tok                  token
}

func (p *parser) mark() mark { return mark{p.sc.off, p.sc.line, p.sc.lineStart, p.tok} }

func (p *parser) restore(m mark) {
	p.sc.off, p.sc.line, p.sc.lineStart, p.tok = m.off, m.line, m.lineStart, m.tok
}

// for3 reads for [type] name in [a:b] body, for ... in [a:step:b] body or
// for ... in {v, ...} body, and unrolls it: the body is read once per value
// with name bound to it. Ranges include both ends, as in OpenQASM 3.
func (p *parser) for3() {
	forPos := p.pos()
	p.next()
	if p.tok.kind == tIdent && castTypes[p.tok.lit] {
		typ := p.tok.lit
		p.next()
		if p.tok.kind == tLBrack {
			p.skipBalanced(tLBrack, tRBrack)
		}
		if typ != "int" && typ != "uint" {
			p.errorf(forPos, "for loops over %s values are not supported (only integers)", typ)
			p.skipStmt()
			return
		}
	}
	if p.tok.kind != tIdent {
		p.errorExpected("loop variable")
		p.skipStmt()
		return
	}
	name, namePos := p.tok.lit, p.pos()
	p.next()
	if p.tok.kind != tIdent || p.tok.lit != "in" {
		p.errorExpected("'in'")
		p.skipStmt()
		return
	}
	p.next()
	var first, step, count int64
	var set []int64
	switch p.tok.kind {
	case tLBrack:
		p.nesting, p.nodes, p.exprPos = 0, 0, p.pos()
		rpos := p.pos()
		p.next()
		list, ok := p.exprList3(tRBrack)
		if !ok {
			p.skipStmt()
			return
		}
		if len(list) != 1 || list[0].kind != nCall || list[0].name != ":" || len(list[0].args) < 2 {
			p.errorf(rpos, "expected a range [start:end] or [start:step:end]")
			p.skipStmt()
			return
		}
		r := list[0].args
		a, ok1 := p.int3(r[0])
		b, ok2 := p.int3(r[len(r)-1])
		step = 1
		ok3 := true
		if len(r) == 3 {
			step, ok3 = p.int3(r[1])
		}
		if !ok1 || !ok2 || !ok3 {
			p.skipStmt()
			return
		}
		if step == 0 {
			p.errorf(rpos, "range step is zero")
			p.skipStmt()
			return
		}
		first = a
		count = rangeCount(a, b, step)
	case tLBrace:
		p.nesting, p.nodes, p.exprPos = 0, 0, p.pos()
		p.next()
		list, ok := p.exprList3(tRBrace)
		if !ok {
			p.skipStmt()
			return
		}
		for _, n := range list {
			v, ok := p.int3(n)
			if !ok {
				p.skipStmt()
				return
			}
			set = append(set, v)
		}
		count = int64(len(set))
	default:
		p.errorf(p.pos(), "for loops over %s are not supported (only ranges [a:b] and sets {a, b, ...})", p.desc(p.tok))
		p.skipStmt()
		return
	}
	if count > maxLoopIters {
		p.errorf(forPos, "loop is too long (more than %d iterations)", maxLoopIters)
		p.skipStmt()
		return
	}
	if count == 0 {
		p.skipStmt()
		return
	}
	start := p.mark()
	errs := p.nerr
	loopVar := &symbol{kind: symConst, typ: "loop", pos: namePos}
	for k := int64(0); k < count; k++ {
		if k > 0 {
			p.restore(start)
		}
		v := first + k*step
		if set != nil {
			v = set[k]
		}
		loopVar.val = cval{kind: 'i', i: v}
		before := p.ntok
		p.pushScope()
		p.locals = append(p.locals, local{name, loopVar})
		p.depth++
		p.body3()
		p.depth--
		p.popScope()
		// Each iteration costs at least minIterTokens, which bounds the
		// work of loops over empty bodies too.
		p.unrollLeft -= max(p.ntok-before, minIterTokens)
		if p.unrollLeft < 0 {
			p.fatalf(forPos, "loops unroll to too much code: more than %d tokens read (born unrolls loops while reading)", maxUnrollTokens)
		}
		if p.nerr > errs {
			break // report an error in the body once
		}
	}
}

// rangeCount returns the number of values a, a+step, ... up to b
// (inclusive), saturating above maxLoopIters.
func rangeCount(a, b, step int64) int64 {
	var diff, st uint64
	switch {
	case step > 0 && b >= a:
		diff, st = uint64(b)-uint64(a), uint64(step)
	case step < 0 && b <= a:
		diff, st = uint64(a)-uint64(b), uint64(-(step+1))+1
	default:
		return 0
	}
	if n := diff / st; n < maxLoopIters {
		return int64(n) + 1
	}
	return maxLoopIters + 1
}
