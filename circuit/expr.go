package circuit

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Expr is a real-valued parameter expression: a number, a named symbol, or an
// operation on expressions. Expressions stay symbolic until evaluated, so a
// trainable parameter can be shifted in one gate occurrence at a time and
// differentiated through the expression that uses it.
type Expr interface {
	// Eval returns the value of the expression with symbol i bound to vals[i].
	Eval(vals []float64) float64
	// String returns the expression in OpenQASM syntax.
	String() string
	isExpr()
}

// Num is a numeric constant. Name, when set, is the constant's symbolic
// spelling (pi, tau, euler) and is used when printing.
type Num struct {
	Value float64
	Name  string
}

// Sym is a free symbol: a trainable parameter of a circuit (Index into the
// circuit's Symbols) or, inside a gate definition body, a formal parameter of
// that gate (Index into GateDef.Params).
type Sym struct {
	Name  string
	Index int
}

// Unary is a negation, -X.
type Unary struct {
	X Expr
}

// Binary is X op Y for op one of + - * / ^.
type Binary struct {
	Op   byte
	X, Y Expr
}

// Call is a call of a built-in real function: sin cos tan exp ln sqrt, and the
// OpenQASM 3 additions arcsin arccos arctan.
type Call struct {
	Fn string
	X  Expr
}

func (Num) isExpr()    {}
func (Sym) isExpr()    {}
func (Unary) isExpr()  {}
func (Binary) isExpr() {}
func (Call) isExpr()   {}

// Pi is the constant pi.
var Pi = Num{Value: math.Pi, Name: "pi"}

// Const returns the constant v.
func Const(v float64) Num { return Num{Value: v} }

// Eval returns the constant's value.
func (n Num) Eval([]float64) float64 { return n.Value }

// Eval returns vals[s.Index]; it panics if the symbol is unbound.
func (s Sym) Eval(vals []float64) float64 {
	if s.Index < 0 || s.Index >= len(vals) {
		panic(fmt.Sprintf("circuit: symbol %s (index %d) unbound: %d values given", s.Name, s.Index, len(vals)))
	}
	return vals[s.Index]
}

// Eval returns -X.
func (u Unary) Eval(vals []float64) float64 { return -u.X.Eval(vals) }

// Eval returns X op Y.
func (b Binary) Eval(vals []float64) float64 {
	x, y := b.X.Eval(vals), b.Y.Eval(vals)
	switch b.Op {
	case '+':
		return x + y
	case '-':
		return x - y
	case '*':
		return x * y
	case '/':
		return x / y
	case '^':
		return math.Pow(x, y)
	}
	panic("circuit: bad binary operator " + string(b.Op))
}

// Funcs are the real functions a Call may name.
var Funcs = map[string]func(float64) float64{
	"sin": math.Sin, "cos": math.Cos, "tan": math.Tan,
	"exp": math.Exp, "ln": math.Log, "sqrt": math.Sqrt,
	"arcsin": math.Asin, "arccos": math.Acos, "arctan": math.Atan,
}

// Eval returns Fn(X).
func (c Call) Eval(vals []float64) float64 {
	f, ok := Funcs[c.Fn]
	if !ok {
		panic("circuit: unknown function " + c.Fn)
	}
	return f(c.X.Eval(vals))
}

// FormatFloat prints v so that parsing the result gives back the same float64
// bit pattern (shortest round-trip form), in a syntax OpenQASM reads: 'g'
// gives forms like 1e-07, with a digit before any exponent, which both
// versions read.
func FormatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func (n Num) String() string {
	if n.Name != "" {
		return n.Name
	}
	if n.Value < 0 {
		return "-" + FormatFloat(-n.Value)
	}
	return FormatFloat(n.Value)
}

func (s Sym) String() string { return s.Name }

// precedence levels for printing: higher binds tighter.
func prec(e Expr) int {
	switch e := e.(type) {
	case Binary:
		switch e.Op {
		case '+', '-':
			return 1
		case '*', '/':
			return 2
		case '^':
			return 4
		}
	case Unary:
		return 3
	case Num:
		if e.Name == "" && e.Value < 0 {
			return 3
		}
	}
	return 5
}

func paren(e Expr, need bool) string {
	if need {
		return "(" + e.String() + ")"
	}
	return e.String()
}

func (u Unary) String() string { return "-" + paren(u.X, prec(u.X) <= 3) }

func (b Binary) String() string {
	p := prec(b)
	var left, right bool
	switch b.Op {
	case '^': // right-associative; unary minus binds looser than ^
		left = prec(b.X) <= p
		right = prec(b.Y) < p
	default: // left-associative
		left = prec(b.X) < p
		right = prec(b.Y) <= p
	}
	return paren(b.X, left) + string(b.Op) + paren(b.Y, right)
}

func (c Call) String() string { return c.Fn + "(" + c.X.String() + ")" }

// Neg returns -x, folding constants.
func Neg(x Expr) Expr {
	if n, ok := x.(Num); ok && n.Name == "" {
		return Num{Value: -n.Value}
	}
	return Unary{X: x}
}

// Add returns x + y.
func Add(x, y Expr) Expr { return Binary{Op: '+', X: x, Y: y} }

// Sub returns x - y.
func Sub(x, y Expr) Expr { return Binary{Op: '-', X: x, Y: y} }

// Mul returns x * y.
func Mul(x, y Expr) Expr { return Binary{Op: '*', X: x, Y: y} }

// Div returns x / y.
func Div(x, y Expr) Expr { return Binary{Op: '/', X: x, Y: y} }

// IsConst reports whether e contains no symbols.
func IsConst(e Expr) bool {
	switch e := e.(type) {
	case Num:
		return true
	case Sym:
		return false
	case Unary:
		return IsConst(e.X)
	case Binary:
		return IsConst(e.X) && IsConst(e.Y)
	case Call:
		return IsConst(e.X)
	}
	return false
}

// Symbols appends to dst the indices of the symbols e uses (with repeats) and
// returns the result.
func Symbols(dst []int, e Expr) []int {
	switch e := e.(type) {
	case Sym:
		return append(dst, e.Index)
	case Unary:
		return Symbols(dst, e.X)
	case Binary:
		return Symbols(Symbols(dst, e.X), e.Y)
	case Call:
		return Symbols(dst, e.X)
	}
	return dst
}

// Subst returns e with every symbol s replaced by args[s.Index]. It is how a
// gate definition's body is instantiated with actual parameters.
func Subst(e Expr, args []Expr) Expr {
	switch e := e.(type) {
	case Sym:
		return args[e.Index]
	case Unary:
		return Neg(Subst(e.X, args))
	case Binary:
		return Binary{Op: e.Op, X: Subst(e.X, args), Y: Subst(e.Y, args)}
	case Call:
		return Call{Fn: e.Fn, X: Subst(e.X, args)}
	}
	return e
}

// Fold returns e with every constant subexpression replaced by its value,
// keeping named constants (pi) that stand alone.
func Fold(e Expr) Expr {
	switch e := e.(type) {
	case Unary:
		x := Fold(e.X)
		if IsConst(x) {
			return Num{Value: -x.Eval(nil)}
		}
		return Unary{X: x}
	case Binary:
		x, y := Fold(e.X), Fold(e.Y)
		b := Binary{Op: e.Op, X: x, Y: y}
		if IsConst(x) && IsConst(y) {
			return Num{Value: b.Eval(nil)}
		}
		return b
	case Call:
		x := Fold(e.X)
		c := Call{Fn: e.Fn, X: x}
		if IsConst(x) {
			return Num{Value: c.Eval(nil)}
		}
		return c
	}
	return e
}

// Deriv returns the partial derivative of e with respect to symbol index k, as
// an expression (the chain rule through the expression: d(2*t+1)/dt = 2).
func Deriv(e Expr, k int) Expr {
	zero, one := Num{Value: 0}, Num{Value: 1}
	isZero := func(x Expr) bool { n, ok := x.(Num); return ok && n.Value == 0 }
	switch e := e.(type) {
	case Num:
		return zero
	case Sym:
		if e.Index == k {
			return one
		}
		return zero
	case Unary:
		d := Deriv(e.X, k)
		if isZero(d) {
			return zero
		}
		return Neg(d)
	case Binary:
		dx, dy := Deriv(e.X, k), Deriv(e.Y, k)
		zx, zy := isZero(dx), isZero(dy)
		switch e.Op {
		case '+', '-':
			switch {
			case zx && zy:
				return zero
			case zy:
				return dx
			case zx && e.Op == '+':
				return dy
			case zx:
				return Neg(dy)
			}
			return Binary{Op: e.Op, X: dx, Y: dy}
		case '*':
			switch {
			case zx && zy:
				return zero
			case zy:
				return mulS(dx, e.Y)
			case zx:
				return mulS(e.X, dy)
			}
			return Add(mulS(dx, e.Y), mulS(e.X, dy))
		case '/':
			switch {
			case zx && zy:
				return zero
			case zy:
				return Div(dx, e.Y)
			}
			// (dx*y - x*dy) / y^2
			return Div(Sub(Mul(dx, e.Y), Mul(e.X, dy)), Mul(e.Y, e.Y))
		case '^':
			if zx && zy {
				return zero
			}
			// d(x^y) = x^y * (dy*ln x + y*dx/x)
			var terms Expr
			if !zy {
				terms = Mul(dy, Call{Fn: "ln", X: e.X})
			}
			if !zx {
				t := Div(Mul(e.Y, dx), e.X)
				if terms == nil {
					terms = t
				} else {
					terms = Add(terms, t)
				}
			}
			if zy { // x^c: c*x^(c-1)*dx, defined for negative x too
				return Mul(Mul(e.Y, Binary{Op: '^', X: e.X, Y: Sub(e.Y, one)}), dx)
			}
			return Mul(e, terms)
		}
	case Call:
		d := Deriv(e.X, k)
		if isZero(d) {
			return zero
		}
		var f Expr
		switch e.Fn {
		case "sin":
			f = Call{Fn: "cos", X: e.X}
		case "cos":
			f = Neg(Call{Fn: "sin", X: e.X})
		case "tan":
			c := Call{Fn: "cos", X: e.X}
			f = Div(one, Mul(c, c))
		case "exp":
			f = e
		case "ln":
			f = Div(one, e.X)
		case "sqrt":
			f = Div(Num{Value: 0.5}, e)
		case "arcsin":
			f = Div(one, Call{Fn: "sqrt", X: Sub(one, Mul(e.X, e.X))})
		case "arccos":
			f = Neg(Div(one, Call{Fn: "sqrt", X: Sub(one, Mul(e.X, e.X))}))
		case "arctan":
			f = Div(one, Add(one, Mul(e.X, e.X)))
		default:
			panic("circuit: unknown function " + e.Fn)
		}
		return mulS(f, d)
	}
	panic(fmt.Sprintf("circuit: unknown expression %T", e))
}

// mulS returns x*y, dropping factors of exactly 1 and folding two numbers.
func mulS(x, y Expr) Expr {
	nx, okx := x.(Num)
	ny, oky := y.(Num)
	switch {
	case okx && oky && nx.Name == "" && ny.Name == "":
		return Num{Value: nx.Value * ny.Value}
	case okx && nx.Name == "" && nx.Value == 1:
		return y
	case oky && ny.Name == "" && ny.Value == 1:
		return x
	}
	return Mul(x, y)
}

// ExprList prints a comma-separated list of expressions.
func ExprList(es []Expr) string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(e.String())
	}
	return b.String()
}
