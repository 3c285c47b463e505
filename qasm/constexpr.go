package qasm

import (
	"fmt"
	"strings"
)

// EvalConst evaluates a constant OpenQASM 3 expression, such as "pi/2",
// "2*π/3", "-1.5e-3" or "sin(0.3)^2": the reader's own grammar, with the
// constants pi (π), tau (τ) and euler (ℇ) and its functions. It is what
// command lines accept for a parameter value. The error names the column
// of the first problem.
func EvalConst(s string) (float64, error) {
	p := newParser("", nil)
	p.setVersion3()
	var v float64
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(bailout); !ok {
					panic(r)
				}
			}
		}()
		p.sc = newScanner([]byte(s), func(line, col int, msg string) {
			p.error(Pos{Line: line, Col: col}, msg)
		}, p.intern)
		p.sc.v3 = true
		p.next()
		if p.tok.kind == tEOF {
			p.errorf(p.pos(), "empty expression")
			return
		}
		n, ok := p.expr3()
		if !ok {
			return
		}
		if p.tok.kind != tEOF {
			p.errorf(p.pos(), "unexpected %s after the expression", p.desc(p.tok))
			return
		}
		v, _ = p.realConst(n, "the value")
	}()
	if len(p.errs) > 0 {
		p.errs.Sort()
		e := p.errs[0]
		msg := strings.TrimSuffix(e.Msg, ".")
		return 0, fmt.Errorf("column %d: %s", e.Col, msg)
	}
	return v, nil
}
