package qasm

// OpenQASM 3 expressions. They are parsed into a small syntax tree first and
// evaluated where they are used, because the same syntax is a real-valued
// gate parameter (which may stay symbolic), an integer (a register size, an
// index, a loop bound) or a condition (on classical bits, or known while
// reading). Real contexts use real arithmetic throughout (3/5 is 0.6);
// integer contexts use integer arithmetic (7/2 is 3).

import (
	"math"
	"strconv"
	"strings"

	"born/circuit"
)

type nodeKind uint8

const (
	nInt    nodeKind = iota // integer literal
	nReal                   // real literal
	nString                 // "0110"
	nIdent                  // name
	nUnary                  // op x
	nBinary                 // x op y
	nCall                   // name(args)
	nCast                   // name[width](x): int, uint, float, angle, bool, bit
	nIndex                  // x[args]
	nBad                    // an unsupported construct, already reported
)

// node is an expression syntax tree node.
type node struct {
	kind nodeKind
	pos  Pos
	op   tokenKind // nUnary, nBinary
	name string    // nIdent, nCall, nCast; nInt/nReal/nString: the literal text
	x, y *node
	args []*node // nCall arguments, nIndex indices
}

// cval is a classical value known while reading: an integer, a real, a
// bool, or a real-valued expression over input parameters (a variable
// initialized from inputs).
type cval struct {
	kind byte // 'i', 'f', 'b', 'e'
	i    int64
	f    float64
	b    bool
	e    circuit.Expr
}

func (v cval) expr() circuit.Expr {
	switch v.kind {
	case 'i':
		return circuit.Const(float64(v.i))
	case 'f':
		return circuit.Const(v.f)
	case 'e':
		return v.e
	}
	return nil
}

// ---------------------------------------------------------------------------
// Parsing
//
//	expr   = or
//	or     = and {"||" and}           and = bitor {"&&" bitor}
//	bitor  = xor {"|" xor}            xor = bitand {"^" bitand}
//	bitand = eq {"&" eq}              eq  = rel {("==" | "!=") rel}
//	rel    = shift {("<" | "<=" | ">" | ">=") shift}
//	shift  = sum {("<<" | ">>") sum}  sum = term {("+" | "-") term}
//	term   = unary {("*" | "/" | "%") unary}
//	unary  = ("-" | "!" | "~") unary | power
//	power  = postfix ["**" unary]     (right-associative: -2**2 = -4)
//	postfix = primary {"[" index "]"}
//	primary = number | string | name | name "(" args ")" | type ["[" expr "]"] "(" expr ")" | "(" expr ")"

var binLevels = [][]tokenKind{
	{tOrOr}, {tAndAnd}, {tPipe}, {tCaret}, {tAmp}, {tEqEq, tNeq},
	{tLt, tLe, tGt, tGe}, {tShl, tShr}, {tPlus, tMinus}, {tStar, tSlash, tPercent},
}

// expr3 reads an expression.
func (p *parser) expr3() (*node, bool) {
	p.nesting, p.nodes, p.exprPos = 0, 0, p.pos()
	return p.binary3(0)
}

func (p *parser) binary3(level int) (*node, bool) {
	if level == len(binLevels) {
		return p.unary3()
	}
	x, ok := p.binary3(level + 1)
	for ok && inKinds(p.tok.kind, binLevels[level]) {
		op, pos := p.tok.kind, p.pos()
		p.next()
		var y *node
		if y, ok = p.binary3(level + 1); ok && p.node() {
			x = &node{kind: nBinary, pos: pos, op: op, x: x, y: y}
		} else {
			ok = false
		}
	}
	return x, ok
}

func inKinds(k tokenKind, ks []tokenKind) bool {
	for _, x := range ks {
		if k == x {
			return true
		}
	}
	return false
}

func (p *parser) unary3() (*node, bool) {
	switch p.tok.kind {
	case tMinus, tNot, tTilde:
	default:
		return p.power3()
	}
	if !p.enter() || !p.node() {
		return nil, false
	}
	op, pos := p.tok.kind, p.pos()
	p.next()
	x, ok := p.unary3()
	p.leave()
	if !ok {
		return nil, false
	}
	return &node{kind: nUnary, pos: pos, op: op, x: x}, true
}

func (p *parser) power3() (*node, bool) {
	x, ok := p.postfix3()
	if !ok || p.tok.kind != tPow {
		return x, ok
	}
	if !p.enter() || !p.node() {
		return nil, false
	}
	pos := p.pos()
	p.next()
	y, ok := p.unary3()
	p.leave()
	if !ok {
		return nil, false
	}
	return &node{kind: nBinary, pos: pos, op: tPow, x: x, y: y}, true
}

func (p *parser) postfix3() (*node, bool) {
	x, ok := p.primary3()
	for ok && p.tok.kind == tLBrack {
		pos := p.pos()
		if !p.enter() {
			return nil, false
		}
		p.next()
		var args []*node
		args, ok = p.exprList3(tRBrack)
		p.leave()
		if ok {
			x = &node{kind: nIndex, pos: pos, x: x, args: args}
		}
	}
	return x, ok
}

// exprList3 reads expr {, expr} up to and including the closing token end.
// Inside brackets an element may be a range a:b or a:s:b, read as a call of
// ":" for index contexts to interpret.
func (p *parser) exprList3(end tokenKind) ([]*node, bool) {
	var list []*node
	if p.got(end) {
		return nil, true
	}
	for {
		x, ok := p.binary3(0)
		if !ok {
			return nil, false
		}
		if end == tRBrack && p.tok.kind == tColon {
			r := &node{kind: nCall, pos: x.pos, name: ":", args: []*node{x}}
			for p.got(tColon) && len(r.args) < 3 {
				y, ok := p.binary3(0)
				if !ok {
					return nil, false
				}
				r.args = append(r.args, y)
			}
			x = r
		}
		list = append(list, x)
		if !p.got(tComma) {
			break
		}
	}
	if !p.want(end) {
		return nil, false
	}
	return list, true
}

var castTypes = map[string]bool{"int": true, "uint": true, "float": true, "angle": true, "bool": true, "bit": true}

func (p *parser) primary3() (*node, bool) {
	if !p.node() {
		return nil, false
	}
	t := p.tok
	pos := p.posOf(t)
	text := func() string { return string(p.sc.src[t.off:t.end]) }
	switch t.kind {
	case tInt:
		p.next()
		return &node{kind: nInt, pos: pos, name: text()}, true
	case tReal:
		p.next()
		return &node{kind: nReal, pos: pos, name: text()}, true
	case tString:
		p.next()
		return &node{kind: nString, pos: pos, name: t.lit}, true
	case tTiming:
		p.next()
		p.errorf(pos, "timing literal %s: durations are not supported", shorten(text()))
		return &node{kind: nBad, pos: pos}, true
	case tImag:
		p.next()
		p.errorf(pos, "imaginary literal %s: complex numbers are not supported", shorten(text()))
		return &node{kind: nBad, pos: pos}, true
	case tLParen:
		if !p.enter() {
			return nil, false
		}
		p.next()
		x, ok := p.binary3(0)
		p.leave()
		if !ok || !p.want(tRParen) {
			return nil, false
		}
		return x, true
	case tMeasure:
		p.errorf(pos, "measure inside an expression is not supported (write c = measure q;)")
		return nil, false
	case tPhys:
		p.errorf(pos, "physical qubit $%s in an expression", t.lit)
		return nil, false
	case tIdent:
		p.next()
		name := t.lit
		if castTypes[name] && (p.tok.kind == tLParen || p.tok.kind == tLBrack) {
			return p.cast3(name, pos)
		}
		if msg, ok := unsupported3[name]; ok && (name == "durationof" || name == "sizeof") {
			p.errorf(pos, "%s is not supported", msg)
			return nil, false
		}
		if p.tok.kind == tLParen {
			if !p.enter() {
				return nil, false
			}
			p.next()
			args, ok := p.exprList3(tRParen)
			p.leave()
			if !ok {
				return nil, false
			}
			return &node{kind: nCall, pos: pos, name: name, args: args}, true
		}
		return &node{kind: nIdent, pos: pos, name: name}, true
	}
	p.errorExpected("expression")
	return nil, false
}

// cast3 reads the rest of a cast type[width](x) after the type name.
func (p *parser) cast3(name string, pos Pos) (*node, bool) {
	n := &node{kind: nCast, pos: pos, name: name}
	if p.got(tLBrack) {
		w, ok := p.binary3(0)
		if !ok || !p.want(tRBrack) {
			return nil, false
		}
		n.y = w
	}
	if !p.want(tLParen) {
		return nil, false
	}
	if !p.enter() {
		return nil, false
	}
	x, ok := p.binary3(0)
	p.leave()
	if !ok || !p.want(tRParen) {
		return nil, false
	}
	n.x = x
	return n, true
}

// ---------------------------------------------------------------------------
// Evaluation

// opText returns the spelling of an operator token for messages.
func opText(k tokenKind) string {
	if k == tCaret {
		return "^"
	}
	return k.String()
}

// realExpr evaluates n as a real-valued gate parameter: a number, or an
// expression over input parameters (and, in a gate body, the gate's
// parameters). Constant parts are folded; a constant that is NaN or
// infinite is an error.
func (p *parser) realExpr(n *node) (circuit.Expr, bool) {
	e, ok := p.real3(n)
	if !ok {
		return nil, false
	}
	f := circuit.Fold(e)
	if v, bad := nonFinite(f); bad {
		p.errorf(startPos(n), "expression %s evaluates to %v", shorten(e.String()), v)
		return nil, false
	}
	return f, true
}

// startPos returns where the expression n starts.
func startPos(n *node) Pos {
	for n.kind == nBinary || n.kind == nIndex {
		n = n.x
	}
	return n.pos
}

// realConst evaluates n as a real constant.
func (p *parser) realConst(n *node, what string) (float64, bool) {
	e, ok := p.realExpr(n)
	if !ok {
		return 0, false
	}
	if !circuit.IsConst(e) {
		p.errorf(startPos(n), "%s must be a constant, not an expression of input parameters", what)
		return 0, false
	}
	return e.Eval(nil), true
}

func (p *parser) real3(n *node) (circuit.Expr, bool) {
	switch n.kind {
	case nBad:
		p.nerr++
		return nil, false
	case nInt:
		v, ok := p.int3(n)
		return circuit.Const(float64(v)), ok
	case nReal:
		return p.parseReal(strings.ReplaceAll(n.name, "_", ""), n.name, n.pos)
	case nString:
		p.errorf(n.pos, "a string is not a number")
		return nil, false
	case nIdent:
		return p.realIdent(n)
	case nUnary:
		if n.op != tMinus {
			p.errorf(n.pos, "operator %s is not allowed in a real-valued expression", opText(n.op))
			return nil, false
		}
		x, ok := p.real3(n.x)
		if !ok {
			return nil, false
		}
		return circuit.Unary{X: x}, true
	case nBinary:
		var op byte
		switch n.op {
		case tPlus:
			op = '+'
		case tMinus:
			op = '-'
		case tStar:
			op = '*'
		case tSlash:
			op = '/'
		case tPow:
			op = '^'
		case tPercent:
			x, okx := p.real3(n.x)
			y, oky := p.real3(n.y)
			if !okx || !oky {
				return nil, false
			}
			if !circuit.IsConst(x) || !circuit.IsConst(y) {
				p.errorf(n.pos, "%% of an input parameter is not supported")
				return nil, false
			}
			return circuit.Const(math.Mod(x.Eval(nil), y.Eval(nil))), true
		case tCaret:
			p.errorf(n.pos, "^ is bitwise xor in OpenQASM 3; the power operator is **")
			return nil, false
		default:
			p.errorf(n.pos, "operator %s is not allowed in a real-valued expression", opText(n.op))
			return nil, false
		}
		x, okx := p.real3(n.x)
		y, oky := p.real3(n.y)
		if !okx || !oky {
			return nil, false
		}
		return circuit.Binary{Op: op, X: x, Y: y}, true
	case nCall:
		return p.realCall(n)
	case nCast:
		switch n.name {
		case "float", "angle":
			return p.real3(n.x)
		case "int", "uint":
			v, ok := p.int3(n)
			return circuit.Const(float64(v)), ok
		}
		p.errorf(n.pos, "a %s is not a real number", n.name)
		return nil, false
	case nIndex:
		return p.realIndex(n)
	}
	p.errorf(n.pos, "expected a real-valued expression")
	return nil, false
}

// namedConst returns the built-in constants pi, tau and euler.
func namedConst(name string) (circuit.Num, bool) {
	switch name {
	case "pi", "π":
		return circuit.Pi, true
	case "tau", "τ":
		return circuit.Num{Value: 2 * math.Pi, Name: "tau"}, true
	case "euler", "ℇ":
		return circuit.Num{Value: math.E, Name: "euler"}, true
	}
	return circuit.Num{}, false
}

func (p *parser) realIdent(n *node) (circuit.Expr, bool) {
	name := n.name
	if c, ok := namedConst(name); ok {
		return c, true
	}
	if p.scope != nil {
		if i, ok := p.scope.params[name]; ok {
			return circuit.Sym{Name: name, Index: i}, true
		}
		if _, ok := p.scope.qubits[name]; ok {
			p.errorf(n.pos, "'%s' is a qubit argument of gate '%s', not a parameter", name, p.scope.name)
			return nil, false
		}
	}
	s := p.lookup(name)
	if s == nil {
		if p.scope != nil {
			p.errorf(n.pos, "undefined parameter '%s' in gate '%s'", name, p.scope.name)
		} else {
			p.errorf(n.pos, "undefined identifier '%s'", name)
		}
		return nil, false
	}
	switch s.kind {
	case symConst:
		if s.val.kind == 'b' {
			p.errorf(n.pos, "'%s' is a bool, not a number", name)
			return nil, false
		}
		if s.val.kind == 'e' && p.scope != nil {
			p.errorf(n.pos, "'%s' depends on input parameters, which a gate body cannot use (pass it as a parameter)", name)
			return nil, false
		}
		return s.val.expr(), true
	case symInput:
		if p.scope != nil {
			p.errorf(n.pos, "input parameter '%s' cannot be used inside a gate body (pass it as a parameter of gate '%s')", name, p.scope.name)
			return nil, false
		}
		if s.array {
			p.errorf(n.pos, "'%s' is an input array: use one element, %s[i]", name, name)
			return nil, false
		}
		return circuit.Sym{Name: name, Index: s.sym}, true
	case symNoValue:
		p.errorf(n.pos, "%s '%s' has no value (born does not run classical computations: give it an initial value)", s.describe(), name)
		return nil, false
	case symCReg:
		p.errorf(n.pos, "classical bits ('%s') cannot be used in a gate parameter", name)
		return nil, false
	}
	p.errorf(n.pos, "'%s' is %s, not a number", name, article(s.describe()))
	return nil, false
}

func (p *parser) realIndex(n *node) (circuit.Expr, bool) {
	if n.x.kind == nIdent {
		if s := p.lookup(n.x.name); s != nil && s.kind == symInput && p.scope != nil {
			p.errorf(n.pos, "input parameter '%s' cannot be used inside a gate body (pass it as a parameter of gate '%s')", n.x.name, p.scope.name)
			return nil, false
		} else if s != nil && s.kind == symInput && s.array {
			if len(n.args) != 1 {
				p.errorf(n.pos, "input array '%s' has one dimension", n.x.name)
				return nil, false
			}
			i, ok := p.int3(n.args[0])
			if !ok {
				return nil, false
			}
			if i < 0 || i >= int64(s.n) {
				p.errorf(n.args[0].pos, "index %d out of range: input array '%s' has %d elements", i, n.x.name, s.n)
				return nil, false
			}
			return circuit.Sym{Name: p.circ.Symbols[s.sym+int(i)], Index: s.sym + int(i)}, true
		}
	}
	v, ok := p.int3(n)
	return circuit.Const(float64(v)), ok
}

func (p *parser) realCall(n *node) (circuit.Expr, bool) {
	fn, known := funcs3[n.name]
	if !known {
		if s := p.lookup(n.name); s != nil && s.kind == symSub {
			p.errorf(n.pos, "call of subroutine '%s': subroutines (def, extern) are not supported", n.name)
		} else {
			p.errorf(n.pos, "unknown function '%s'", n.name)
		}
		return nil, false
	}
	want := 1
	if fn == "" && (n.name == "pow" || n.name == "mod") {
		want = 2
	}
	if len(n.args) != want {
		p.errorf(n.pos, "%s takes %s, found %d", n.name, plural(want, "argument"), len(n.args))
		return nil, false
	}
	args := make([]circuit.Expr, len(n.args))
	for i, a := range n.args {
		var ok bool
		if args[i], ok = p.real3(a); !ok {
			return nil, false
		}
	}
	switch n.name {
	case "pow":
		return circuit.Binary{Op: '^', X: args[0], Y: args[1]}, true
	case "mod", "floor", "ceiling":
		for _, a := range args {
			if !circuit.IsConst(a) {
				p.errorf(n.pos, "%s of an input parameter is not supported", n.name)
				return nil, false
			}
		}
		switch n.name {
		case "mod":
			return circuit.Const(math.Mod(args[0].Eval(nil), args[1].Eval(nil))), true
		case "floor":
			return circuit.Const(math.Floor(args[0].Eval(nil))), true
		}
		return circuit.Const(math.Ceil(args[0].Eval(nil))), true
	}
	return circuit.Call{Fn: fn, X: args[0]}, true
}

// int3 evaluates n as an integer constant (an index, a size, a loop
// bound, the value in a condition).
func (p *parser) int3(n *node) (int64, bool) {
	switch n.kind {
	case nBad:
		p.nerr++
		return 0, false
	case nInt:
		return p.intLit3(n)
	case nReal:
		p.errorf(n.pos, "expected an integer, found %s", shorten(n.name))
		return 0, false
	case nIdent:
		s := p.lookup(n.name)
		if s == nil {
			if _, ok := namedConst(n.name); ok {
				p.errorf(n.pos, "expected an integer, found %s", n.name)
				return 0, false
			}
			p.errorf(n.pos, "undefined identifier '%s'", n.name)
			return 0, false
		}
		switch {
		case s.kind == symConst && s.val.kind == 'i':
			return s.val.i, true
		case s.kind == symConst && s.val.kind == 'b':
			if s.val.b {
				return 1, true
			}
			return 0, true
		case s.kind == symConst:
			p.errorf(n.pos, "'%s' is a real, expected an integer (convert it with int(%s))", n.name, n.name)
			return 0, false
		case s.kind == symNoValue:
			p.errorf(n.pos, "%s '%s' has no value (born does not run classical computations: give it an initial value)", s.describe(), n.name)
			return 0, false
		case s.kind == symCReg:
			p.errorf(n.pos, "the value of classical bits ('%s') is known only when the circuit runs; it can be tested in an if condition only", n.name)
			return 0, false
		}
		p.errorf(n.pos, "'%s' is %s, expected an integer", n.name, article(s.describe()))
		return 0, false
	case nUnary:
		x, ok := p.int3(n.x)
		if !ok {
			return 0, false
		}
		switch n.op {
		case tMinus:
			if x == math.MinInt64 {
				return p.overflow(n)
			}
			return -x, true
		case tTilde:
			return ^x, true
		}
		c, ok := p.static3(n)
		return b2i(c), ok
	case nBinary:
		switch n.op {
		case tEqEq, tNeq, tLt, tLe, tGt, tGe, tAndAnd, tOrOr:
			c, ok := p.static3(n)
			return b2i(c), ok
		}
		x, okx := p.int3(n.x)
		y, oky := p.int3(n.y)
		if !okx || !oky {
			return 0, false
		}
		return p.intOp(n, x, y)
	case nCast:
		switch n.name {
		case "int", "uint":
			if v, ok := p.tryInt(n.x); ok {
				return v, true
			}
			f, ok := p.realConst(n.x, "the value of "+n.name+"(...)")
			if !ok {
				return 0, false
			}
			if math.Abs(f) >= 1<<63 {
				return p.overflow(n)
			}
			return int64(f), true // toward zero
		case "bool":
			c, ok := p.static3(n.x)
			return b2i(c), ok
		}
		p.errorf(n.pos, "a %s is not an integer", n.name)
		return 0, false
	case nIndex:
		// bit i of an integer: a_in[i]
		if len(n.args) != 1 || n.args[0].kind == nCall && n.args[0].name == ":" {
			p.errorf(n.pos, "expected one index")
			return 0, false
		}
		x, okx := p.int3(n.x)
		i, oki := p.int3(n.args[0])
		if !okx || !oki {
			return 0, false
		}
		if i < 0 || i > 63 {
			p.errorf(n.args[0].pos, "bit index %d out of range", i)
			return 0, false
		}
		return x >> uint(i) & 1, true
	case nCall:
		if n.name == "pow" || n.name == "mod" {
			if len(n.args) == 2 {
				x, okx := p.int3(n.args[0])
				y, oky := p.int3(n.args[1])
				if !okx || !oky {
					return 0, false
				}
				return p.intOp(n, x, y)
			}
		}
		if n.name == "floor" || n.name == "ceiling" {
			f, ok := p.realConst(n, "the value of "+n.name+"(...)")
			if !ok {
				return 0, false
			}
			if math.Abs(f) >= 1<<63 {
				return p.overflow(n)
			}
			return int64(f), true
		}
		if s := p.lookup(n.name); s != nil && s.kind == symSub {
			p.errorf(n.pos, "call of subroutine '%s': subroutines (def, extern) are not supported", n.name)
		} else {
			p.errorf(n.pos, "%s(...) is not an integer", n.name)
		}
		return 0, false
	case nString:
		p.errorf(n.pos, "a string is not an integer")
		return 0, false
	}
	p.errorf(n.pos, "expected an integer")
	return 0, false
}

// tryInt evaluates n as an integer if it is syntactically one (no reals),
// without reporting errors.
func (p *parser) tryInt(n *node) (int64, bool) {
	if !isIntSyntax(n, p) {
		return 0, false
	}
	return p.int3(n)
}

func isIntSyntax(n *node, p *parser) bool {
	switch n.kind {
	case nInt:
		return true
	case nIdent:
		s := p.lookup(n.name)
		return s != nil && s.kind == symConst && (s.val.kind == 'i' || s.val.kind == 'b')
	case nUnary:
		return n.op != tNot && isIntSyntax(n.x, p)
	case nBinary:
		return n.op != tSlash && isIntSyntax(n.x, p) && isIntSyntax(n.y, p)
	case nCast:
		return n.name == "int" || n.name == "uint"
	}
	return false
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (p *parser) overflow(n *node) (int64, bool) {
	p.errorf(n.pos, "integer overflow")
	return 0, false
}

func (p *parser) intOp(n *node, x, y int64) (int64, bool) {
	op := n.op
	if n.kind == nCall {
		op = tPow
		if n.name == "mod" {
			op = tPercent
		}
	}
	switch op {
	case tPlus:
		r := x + y
		if (x > 0 && y > 0 && r < 0) || (x < 0 && y < 0 && r >= 0) {
			return p.overflow(n)
		}
		return r, true
	case tMinus:
		r := x - y
		if (x >= 0 && y < 0 && r < 0) || (x < 0 && y > 0 && r >= 0) {
			return p.overflow(n)
		}
		return r, true
	case tStar:
		if x != 0 && y != 0 {
			r := x * y
			if r/y != x || (x == -1 && y == math.MinInt64) || (y == -1 && x == math.MinInt64) {
				return p.overflow(n)
			}
			return r, true
		}
		return 0, true
	case tSlash, tPercent:
		if y == 0 {
			p.errorf(n.pos, "integer division by zero")
			return 0, false
		}
		if x == math.MinInt64 && y == -1 {
			return p.overflow(n)
		}
		if op == tSlash {
			return x / y, true
		}
		return x % y, true
	case tPow:
		if y < 0 {
			p.errorf(n.pos, "negative integer power %d", y)
			return 0, false
		}
		r := int64(1)
		for i := int64(0); i < y; i++ {
			if x == 0 || x == 1 {
				return x, true
			}
			if x == -1 {
				if y%2 == 0 {
					return 1, true
				}
				return -1, true
			}
			if r > math.MaxInt64/abs64(x) {
				return p.overflow(n)
			}
			r *= x
		}
		return r, true
	case tShl, tShr:
		if y < 0 || y > 63 {
			p.errorf(n.pos, "shift count %d out of range", y)
			return 0, false
		}
		if op == tShr {
			return x >> uint(y), true
		}
		if r := x << uint(y); r>>uint(y) == x {
			return r, true
		}
		return p.overflow(n)
	case tAmp:
		return x & y, true
	case tPipe:
		return x | y, true
	case tCaret:
		return x ^ y, true
	}
	p.errorf(n.pos, "operator %s is not allowed in an integer expression", opText(op))
	return 0, false
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func (p *parser) intLit3(n *node) (int64, bool) {
	text := strings.ReplaceAll(n.name, "_", "")
	base := 10
	if len(text) > 2 && text[0] == '0' {
		switch text[1] {
		case 'x', 'X':
			base, text = 16, text[2:]
		case 'o':
			base, text = 8, text[2:]
		case 'b', 'B':
			base, text = 2, text[2:]
		}
	}
	v, err := strconv.ParseInt(text, base, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			p.errorf(n.pos, "integer %s out of range", shorten(n.name))
		} else {
			p.nerr++ // reported by the scanner
		}
		return 0, false
	}
	return v, true
}

// static3 evaluates n as a bool known while reading.
func (p *parser) static3(n *node) (bool, bool) {
	known, v, conds, ok := p.cond3(n)
	if !ok {
		return false, false
	}
	if !known || conds != nil {
		p.errorf(n.pos, "this condition depends on measured bits; it can only be tested by an if")
		return false, false
	}
	return v, true
}

// cond3 evaluates a condition. Either it is known while reading (known,
// with value v), or it tests classical bits when the circuit runs: conds,
// all of which must hold.
func (p *parser) cond3(n *node) (known, v bool, conds []circuit.Condition, ok bool) {
	switch n.kind {
	case nBad:
		p.nerr++
		return
	case nIdent:
		switch n.name {
		case "true":
			return true, true, nil, true
		case "false":
			return true, false, nil, true
		}
	case nUnary:
		if n.op == tNot {
			known, v, conds, ok = p.cond3(n.x)
			if !ok || known {
				return known, !v, nil, ok
			}
			if len(conds) != 1 {
				p.errorf(n.pos, "! of a condition with && is not supported")
				return false, false, nil, false
			}
			c := conds[0]
			c.Negate = !c.Negate
			return false, false, []circuit.Condition{c}, true
		}
	case nBinary:
		switch n.op {
		case tAndAnd:
			k1, v1, c1, ok1 := p.cond3(n.x)
			k2, v2, c2, ok2 := p.cond3(n.y)
			if !ok1 || !ok2 {
				return false, false, nil, false
			}
			if k1 && !v1 || k2 && !v2 {
				return true, false, nil, true
			}
			if k1 && k2 {
				return true, true, nil, true
			}
			return false, false, append(append([]circuit.Condition(nil), c1...), c2...), true
		case tOrOr:
			k1, v1, _, ok1 := p.cond3(n.x)
			k2, v2, _, ok2 := p.cond3(n.y)
			if !ok1 || !ok2 {
				return false, false, nil, false
			}
			if k1 && v1 || k2 && v2 {
				return true, true, nil, true
			}
			if k1 && k2 {
				return true, false, nil, true
			}
			p.errorf(n.pos, "|| of conditions on measured bits is not supported")
			return false, false, nil, false
		case tEqEq, tNeq:
			bits, isBits := p.bitsOf(n.x)
			other := n.y
			if !isBits {
				bits, isBits = p.bitsOf(n.y)
				other = n.x
			}
			if isBits {
				if bits == nil {
					return false, false, nil, false
				}
				val, ok := p.int3(other)
				if !ok {
					return false, false, nil, false
				}
				return p.bitsCond(n, bits, val, n.op == tNeq)
			}
			return p.compare(n)
		case tLt, tLe, tGt, tGe:
			if _, isBits := p.bitsOf(n.x); isBits {
				p.errorf(n.pos, "comparison %s of classical bits is not supported (only == and !=)", opText(n.op))
				return false, false, nil, false
			}
			if _, isBits := p.bitsOf(n.y); isBits {
				p.errorf(n.pos, "comparison %s of classical bits is not supported (only == and !=)", opText(n.op))
				return false, false, nil, false
			}
			return p.compare(n)
		}
	case nCast:
		if n.name == "bool" {
			return p.cond3(n.x)
		}
	}
	// Classical bits alone: true when not all zero.
	if bits, isBits := p.bitsOf(n); isBits {
		if bits == nil {
			return false, false, nil, false
		}
		return false, false, []circuit.Condition{{Clbits: bits, Value: 0, Negate: true}}, true
	}
	// A number: true when not zero.
	if x, ok := p.tryInt(n); ok {
		return true, x != 0, nil, true
	}
	if n.kind == nIdent {
		if s := p.lookup(n.name); s != nil && s.kind == symConst && s.val.kind == 'b' {
			return true, s.val.b, nil, true
		}
	}
	f, ok := p.realConst(n, "a condition")
	return true, f != 0, nil, ok
}

// compare evaluates a comparison of numbers known while reading.
func (p *parser) compare(n *node) (known, v bool, conds []circuit.Condition, ok bool) {
	var x, y float64
	if a, ok := p.tryInt(n.x); ok {
		if b, ok := p.tryInt(n.y); ok {
			x, y = float64(a), float64(b)
			if a != b && x == y { // too large for a float64 to tell apart
				x, y = 0, 1
				if a > b {
					x, y = 1, 0
				}
			}
			goto cmp
		}
	}
	{
		var okx, oky bool
		x, okx = p.realConst(n.x, "a compared value")
		y, oky = p.realConst(n.y, "a compared value")
		if !okx || !oky {
			return false, false, nil, false
		}
	}
cmp:
	switch n.op {
	case tEqEq:
		v = x == y
	case tNeq:
		v = x != y
	case tLt:
		v = x < y
	case tLe:
		v = x <= y
	case tGt:
		v = x > y
	case tGe:
		v = x >= y
	}
	return true, v, nil, true
}

// bitsCond makes the condition "bits == val" (or != with neg).
func (p *parser) bitsCond(n *node, bits []int, val int64, neg bool) (known, v bool, conds []circuit.Condition, ok bool) {
	if val < 0 || len(bits) < 64 && val >= 1<<uint(len(bits)) {
		if neg {
			p.warnf(n.pos, "condition always holds: %s cannot equal %d", plural(len(bits), "bit"), val)
		} else {
			p.warnf(n.pos, "condition can never hold: %s cannot equal %d", plural(len(bits), "bit"), val)
		}
		return true, neg, nil, true
	}
	return false, false, []circuit.Condition{{Clbits: bits, Value: uint64(val), Negate: neg}}, true
}

// bitsOf reports whether n denotes classical bits: a bit register, one bit
// of it (c[0]), or an integer cast of them (int[4](c)). bits is nil (with
// isBits true) after an error.
func (p *parser) bitsOf(n *node) (bits []int, isBits bool) {
	switch n.kind {
	case nCast:
		if n.name == "int" || n.name == "uint" || n.name == "bit" {
			if b, ok := p.bitsOf(n.x); ok {
				if b != nil && n.y != nil {
					if w, ok := p.int3(n.y); ok && w < int64(len(b)) && w >= 0 {
						b = b[:w]
					}
				}
				return b, true
			}
		}
		return nil, false
	case nIdent:
		s := p.lookup(n.name)
		if s == nil || s.kind != symCReg {
			return nil, false
		}
		if s.reg.Size > 64 {
			p.errorf(n.pos, "conditions on registers of more than 64 bits are not supported ('%s' has %d)", n.name, s.reg.Size)
			return nil, true
		}
		bits := make([]int, s.reg.Size)
		for i := range bits {
			bits[i] = s.reg.Start + i
		}
		return bits, true
	case nIndex:
		if n.x.kind != nIdent {
			return nil, false
		}
		s := p.lookup(n.x.name)
		if s == nil || s.kind != symCReg {
			return nil, false
		}
		if len(n.args) != 1 || n.args[0].kind == nCall && n.args[0].name == ":" {
			p.errorf(n.pos, "conditions on slices of bits are not supported; test one bit or the whole register")
			return nil, true
		}
		i, ok := p.int3(n.args[0])
		if !ok {
			return nil, true
		}
		if i < 0 {
			i += int64(s.reg.Size)
		}
		if i < 0 || i >= int64(s.reg.Size) {
			p.errorf(n.args[0].pos, "index %d out of range: register '%s' has %s", i, n.x.name, plural(s.reg.Size, "bit"))
			return nil, true
		}
		return []int{s.reg.Start + int(i)}, true
	}
	return nil, false
}
