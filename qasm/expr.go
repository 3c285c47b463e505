package qasm

import (
	"math"
	"strconv"

	"born/circuit"
)

// pexpr is a parsed parameter expression, folded, with its position.
type pexpr struct {
	e   circuit.Expr
	pos Pos
}

func exprs(ps []pexpr) []circuit.Expr {
	if len(ps) == 0 {
		return nil
	}
	out := make([]circuit.Expr, len(ps))
	for i, p := range ps {
		out[i] = p.e
	}
	return out
}

// paramList reads an optional parenthesized list of expressions.
func (p *parser) paramList() ([]pexpr, bool) {
	return p.paramListTo(nil)
}

// paramListTo is paramList appending to dst (a buffer the caller reuses).
func (p *parser) paramListTo(dst []pexpr) ([]pexpr, bool) {
	if !p.got(tLParen) {
		return dst, true
	}
	if p.got(tRParen) {
		return dst, true
	}
	list := dst
	for {
		pos := p.pos()
		e, ok := p.expr()
		if !ok {
			return nil, false
		}
		list = append(list, pexpr{e: e, pos: pos})
		if !p.got(tComma) {
			break
		}
	}
	if !p.want(tRParen) {
		return nil, false
	}
	return list, true
}

// expr reads an expression and folds its constant parts. A constant part
// that is NaN or infinite is an error.
//
//	expr    = term {("+" | "-") term}
//	term    = unary {("*" | "/") unary}
//	unary   = "-" unary | power
//	power   = primary ["^" unary]        (right-associative: 2^3^2 = 2^9)
//	primary = number | "pi" | param | func "(" expr ")" | "(" expr ")"
//
// So ^ binds tighter than unary minus (-2^2 = -4), and a minus may follow
// ^, * and / (2^-1, 2*-1).
func (p *parser) expr() (circuit.Expr, bool) {
	pos := p.pos()
	p.nesting, p.nodes, p.exprPos = 0, 0, pos
	e, ok := p.sum()
	if !ok {
		return nil, false
	}
	f := circuit.Fold(e)
	if v, bad := nonFinite(f); bad {
		p.errorf(pos, "expression %s evaluates to %v", shorten(e.String()), v)
		return nil, false
	}
	return f, true
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// nonFinite finds a constant in e that is NaN or infinite.
func nonFinite(e circuit.Expr) (float64, bool) {
	switch e := e.(type) {
	case circuit.Num:
		return e.Value, math.IsNaN(e.Value) || math.IsInf(e.Value, 0)
	case circuit.Unary:
		return nonFinite(e.X)
	case circuit.Binary:
		if v, bad := nonFinite(e.X); bad {
			return v, bad
		}
		return nonFinite(e.Y)
	case circuit.Call:
		return nonFinite(e.X)
	}
	return 0, false
}

// node counts one operator or operand of the current expression.
func (p *parser) node() bool {
	p.nodes++
	if p.nodes > maxExprNodes {
		p.errorf(p.exprPos, "expression too long (more than %d terms)", maxExprNodes)
		return false
	}
	return true
}

// enter and leave bracket a nested part of the current expression; enter is
// called at the token that opens it.
func (p *parser) enter() bool {
	p.nesting++
	if p.nesting > maxNesting {
		p.errorf(p.pos(), "expression nested too deeply (more than %d levels)", maxNesting)
		return false
	}
	return true
}

func (p *parser) leave() { p.nesting-- }

func (p *parser) sum() (circuit.Expr, bool) {
	x, ok := p.term()
	for ok && (p.tok.kind == tPlus || p.tok.kind == tMinus) {
		op := byte('+')
		if p.tok.kind == tMinus {
			op = '-'
		}
		p.next()
		var y circuit.Expr
		if y, ok = p.term(); ok && p.node() {
			x = circuit.Binary{Op: op, X: x, Y: y}
		} else {
			ok = false
		}
	}
	return x, ok
}

func (p *parser) term() (circuit.Expr, bool) {
	x, ok := p.unary()
	for ok && (p.tok.kind == tStar || p.tok.kind == tSlash) {
		op := byte('*')
		if p.tok.kind == tSlash {
			op = '/'
		}
		p.next()
		var y circuit.Expr
		if y, ok = p.unary(); ok && p.node() {
			x = circuit.Binary{Op: op, X: x, Y: y}
		} else {
			ok = false
		}
	}
	return x, ok
}

func (p *parser) unary() (circuit.Expr, bool) {
	if p.tok.kind != tMinus {
		return p.power()
	}
	if !p.enter() || !p.node() {
		return nil, false
	}
	p.next()
	x, ok := p.unary()
	p.leave()
	if !ok {
		return nil, false
	}
	return circuit.Unary{X: x}, true
}

func (p *parser) power() (circuit.Expr, bool) {
	x, ok := p.primary()
	if !ok || p.tok.kind != tCaret {
		return x, ok
	}
	if !p.enter() || !p.node() {
		return nil, false
	}
	p.next()
	y, ok := p.unary()
	p.leave()
	if !ok {
		return nil, false
	}
	return circuit.Binary{Op: '^', X: x, Y: y}, true
}

func (p *parser) primary() (circuit.Expr, bool) {
	if !p.node() {
		return nil, false
	}
	t := p.tok
	switch t.kind {
	case tInt, tReal:
		p.next()
		return p.number(t)
	case tIdent:
		p.next()
		name := t.lit
		switch {
		case name == "pi":
			return circuit.Pi, true
		case funcs2[name]:
			if p.tok.kind != tLParen {
				p.errorExpected("'('")
				return nil, false
			}
			if !p.enter() {
				return nil, false
			}
			p.next()
			x, ok := p.sum()
			p.leave()
			if !ok || !p.want(tRParen) {
				return nil, false
			}
			return circuit.Call{Fn: name, X: x}, true
		}
		if p.scope != nil {
			if i, ok := p.scope.params[name]; ok {
				return circuit.Sym{Name: name, Index: i}, true
			}
			if _, ok := p.scope.qubits[name]; ok {
				p.errorf(p.posOf(t), "'%s' is a qubit argument of gate '%s', not a parameter", name, p.scope.name)
				return nil, false
			}
			p.errorf(p.posOf(t), "undefined parameter '%s' in gate '%s'", name, p.scope.name)
			return nil, false
		}
		if name == "π" {
			p.errorf(p.posOf(t), "'π' is OpenQASM 3 (OpenQASM 2 spells it pi)")
			return nil, false
		}
		p.errorf(p.posOf(t), "undefined identifier '%s' (expressions outside gate bodies are constants)", name)
		return nil, false
	case tLParen:
		if !p.enter() {
			return nil, false
		}
		p.next()
		x, ok := p.sum()
		p.leave()
		if !ok || !p.want(tRParen) {
			return nil, false
		}
		return x, true
	}
	p.errorExpected("expression")
	return nil, false
}

// number converts a numeric literal.
func (p *parser) number(t token) (circuit.Expr, bool) {
	b := p.sc.src[t.off:t.end]
	if t.kind == tInt && len(b) <= 15 { // exact in a float64, no allocation
		var v int64
		for _, c := range b {
			v = v*10 + int64(c-'0')
		}
		return circuit.Num{Value: float64(v)}, true
	}
	if t.noDot && !p.warnedNoDot {
		p.warnedNoDot = true
		p.warnf(p.posOf(t), "real number %s has no decimal point (not OpenQASM 2.0; Qiskit accepts it)", b)
	}
	return p.parseReal(string(b), string(b), p.posOf(t))
}

// parseReal converts the real literal text (written lit, at pos). A value
// too small for a float64 becomes 0 or a denormal; one too large is an
// error.
func (p *parser) parseReal(text, lit string, pos Pos) (circuit.Expr, bool) {
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			if !math.IsInf(v, 0) {
				return circuit.Num{Value: v}, true // underflow to 0 or a denormal
			}
			p.errorf(pos, "number %s out of range", shorten(lit))
			return nil, false
		}
		// A malformed exponent, which the scanner has reported.
		p.nerr++
		return nil, false
	}
	return circuit.Num{Value: v}, true
}
