package qasm

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// scanner turns source bytes into tokens. It is modelled on go/scanner: it
// never fails, reporting problems through err and returning tIllegal tokens,
// and it takes time linear in the size of the source.
type scanner struct {
	src       []byte
	off       int // next byte to read
	line      int // line of src[off]
	lineStart int // offset of the first byte of the current line
	err       func(line, col int, msg string)
	intern    map[string]string // identifier names, so repeated names share one string
	v3        bool              // OpenQASM 3 tokens: operators, $0, 1_000, 0x1f, 10ns
}

func newScanner(src []byte, err func(line, col int, msg string), intern map[string]string) *scanner {
	s := &scanner{src: src, line: 1, err: err, intern: intern}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		s.off = 3 // byte order mark
		s.lineStart = 3
	}
	return s
}

func (s *scanner) errorAt(off int, msg string) {
	if s.err != nil {
		s.err(s.line, off-s.lineStart+1, msg)
	}
}

func isLetter(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '_' || r >= utf8.RuneSelf && unicode.IsLetter(r)
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// skipSpace skips white space and comments.
func (s *scanner) skipSpace() {
	for s.off < len(s.src) {
		switch c := s.src[s.off]; c {
		case '\n':
			s.off++
			s.line++
			s.lineStart = s.off
		case ' ', '\t', '\r', '\f', '\v':
			s.off++
		case '/':
			if s.off+1 >= len(s.src) {
				return
			}
			switch s.src[s.off+1] {
			case '/':
				for s.off < len(s.src) && s.src[s.off] != '\n' {
					s.off++
				}
			case '*':
				line, col := s.line, s.off-s.lineStart+1
				s.off += 2
				closed := false
				for s.off < len(s.src) {
					c := s.src[s.off]
					if c == '*' && s.off+1 < len(s.src) && s.src[s.off+1] == '/' {
						s.off += 2
						closed = true
						break
					}
					s.off++
					if c == '\n' {
						s.line++
						s.lineStart = s.off
					}
				}
				if !closed && s.err != nil {
					s.err(line, col, "comment not terminated")
				}
			default:
				return
			}
		default:
			return
		}
	}
}

// scan returns the next token.
func (s *scanner) scan() token {
	s.skipSpace()
	t := token{line: s.line, col: s.off - s.lineStart + 1, off: s.off}
	if s.off >= len(s.src) {
		t.kind = tEOF
		t.end = s.off
		return t
	}
	c := s.src[s.off]
	switch {
	case c < utf8.RuneSelf && isLetter(rune(c)):
		s.ident(&t)
		return t
	case isDigit(c) || c == '.' && s.off+1 < len(s.src) && isDigit(s.src[s.off+1]):
		s.number(&t)
		return t
	case c >= utf8.RuneSelf:
		r, size := utf8.DecodeRune(s.src[s.off:])
		if r == utf8.RuneError && size == 1 {
			s.errorAt(s.off, "invalid UTF-8 encoding")
			s.off++
			t.kind, t.end = tIllegal, s.off
			return t
		}
		if isLetter(r) {
			s.ident(&t)
			return t
		}
		s.errorAt(s.off, fmt.Sprintf("illegal character %U", r))
		s.off += size
		t.kind, t.end = tIllegal, s.off
		return t
	}
	if s.v3 {
		if s.op3(c, &t) {
			t.end = s.off
			return t
		}
	}
	s.off++
	switch c {
	case ';':
		t.kind = tSemi
	case ',':
		t.kind = tComma
	case '(':
		t.kind = tLParen
	case ')':
		t.kind = tRParen
	case '[':
		t.kind = tLBrack
	case ']':
		t.kind = tRBrack
	case '{':
		t.kind = tLBrace
	case '}':
		t.kind = tRBrace
	case '+':
		t.kind = tPlus
	case '*':
		t.kind = tStar
	case '/':
		t.kind = tSlash
	case '^':
		t.kind = tCaret
	case '-':
		t.kind = tMinus
		if s.off < len(s.src) && s.src[s.off] == '>' {
			s.off++
			t.kind = tArrow
		}
	case '=':
		t.kind = tOther
		if s.off < len(s.src) && s.src[s.off] == '=' {
			s.off++
			t.kind = tEqEq
		}
	case '"':
		s.str(&t)
	default:
		if c >= ' ' && c < 0x7f {
			t.kind = tOther // an operator of a later version, or a stray character
		} else {
			s.errorAt(t.off, fmt.Sprintf("illegal character %#U", rune(c)))
			t.kind = tIllegal
		}
	}
	t.end = s.off
	return t
}

func (s *scanner) ident(t *token) {
	for s.off < len(s.src) {
		c := s.src[s.off]
		if c < utf8.RuneSelf {
			if isLetter(rune(c)) || isDigit(c) {
				s.off++
				continue
			}
			break
		}
		r, size := utf8.DecodeRune(s.src[s.off:])
		if r == utf8.RuneError && size == 1 || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			break
		}
		t.nonASCII = true
		s.off += size
	}
	t.kind, t.end = tIdent, s.off
	b := s.src[t.off:t.end]
	if name, ok := s.intern[string(b)]; ok { // no allocation for the lookup
		t.lit = name
		return
	}
	name := string(b)
	if s.intern != nil && len(s.intern) < 1<<16 {
		s.intern[name] = name
	}
	t.lit = name
}

// number scans digits [. digits] [(e|E) [+-] digits], or . digits [...].
// In version 3 mode it also reads 0x/0o/0b integers, '_' between digits,
// and a unit or im suffix (timing and imaginary literals).
func (s *scanner) number(t *token) {
	if s.v3 {
		s.number3(t)
		return
	}
	t.kind = tInt
	for s.off < len(s.src) && isDigit(s.src[s.off]) {
		s.off++
	}
	dot := false
	if s.off < len(s.src) && s.src[s.off] == '.' {
		dot = true
		t.kind = tReal
		s.off++
		for s.off < len(s.src) && isDigit(s.src[s.off]) {
			s.off++
		}
	}
	if s.off < len(s.src) && (s.src[s.off] == 'e' || s.src[s.off] == 'E') {
		// An exponent only if digits follow (after an optional sign); else
		// the e starts the next token and the parser complains about it.
		k := s.off + 1
		if k < len(s.src) && (s.src[k] == '+' || s.src[k] == '-') {
			k++
		}
		if k < len(s.src) && isDigit(s.src[k]) {
			for k < len(s.src) && isDigit(s.src[k]) {
				k++
			}
			s.off = k
			t.kind = tReal
			t.noDot = !dot
		} else {
			s.errorAt(s.off, "exponent has no digits")
			s.off = k
			t.kind = tReal
		}
	}
	t.end = s.off
}

// str scans a string literal after its opening quote. OpenQASM 2 strings
// have no escapes and end on the same line.
func (s *scanner) str(t *token) {
	start := s.off
	for s.off < len(s.src) {
		switch s.src[s.off] {
		case '"':
			t.lit = string(s.src[start:s.off])
			s.off++
			t.kind = tString
			return
		case '\n':
			s.errorAt(t.off, "string literal not terminated")
			t.kind = tIllegal
			return
		}
		s.off++
	}
	s.errorAt(t.off, "string literal not terminated")
	t.kind = tIllegal
}

// op3 scans an OpenQASM 3 operator starting with c at s.off. It reports
// false for characters that scan as in version 2.
func (s *scanner) op3(c byte, t *token) bool {
	at := func(k int) byte {
		if s.off+k < len(s.src) {
			return s.src[s.off+k]
		}
		return 0
	}
	n, kind := 1, tokenKind(0)
	switch c {
	case ':':
		kind = tColon
	case '@':
		kind = tAt
	case '~':
		kind = tTilde
		if at(1) == '=' {
			n, kind = 2, tOpAssign
		}
	case '=':
		kind = tAssign
		if at(1) == '=' {
			n, kind = 2, tEqEq
		}
	case '!':
		kind = tNot
		if at(1) == '=' {
			n, kind = 2, tNeq
		}
	case '<':
		switch {
		case at(1) == '<' && at(2) == '=':
			n, kind = 3, tOpAssign
		case at(1) == '<':
			n, kind = 2, tShl
		case at(1) == '=':
			n, kind = 2, tLe
		default:
			kind = tLt
		}
	case '>':
		switch {
		case at(1) == '>' && at(2) == '=':
			n, kind = 3, tOpAssign
		case at(1) == '>':
			n, kind = 2, tShr
		case at(1) == '=':
			n, kind = 2, tGe
		default:
			kind = tGt
		}
	case '&':
		switch at(1) {
		case '&':
			n, kind = 2, tAndAnd
		case '=':
			n, kind = 2, tOpAssign
		default:
			kind = tAmp
		}
	case '|':
		switch at(1) {
		case '|':
			n, kind = 2, tOrOr
		case '=':
			n, kind = 2, tOpAssign
		default:
			kind = tPipe
		}
	case '%':
		kind = tPercent
		if at(1) == '=' {
			n, kind = 2, tOpAssign
		}
	case '*':
		switch {
		case at(1) == '*' && at(2) == '=':
			n, kind = 3, tOpAssign
		case at(1) == '*':
			n, kind = 2, tPow
		case at(1) == '=':
			n, kind = 2, tOpAssign
		default:
			kind = tStar
		}
	case '^':
		kind = tCaret
		if at(1) == '=' {
			n, kind = 2, tOpAssign
		}
	case '+':
		switch at(1) {
		case '=':
			n, kind = 2, tOpAssign
		case '+':
			n, kind = 2, tIncr
		default:
			kind = tPlus
		}
	case '-':
		switch at(1) {
		case '=':
			n, kind = 2, tOpAssign
		case '>':
			n, kind = 2, tArrow
		default:
			kind = tMinus
		}
	case '/':
		kind = tSlash
		if at(1) == '=' {
			n, kind = 2, tOpAssign
		}
	case '$':
		if !isDigit(at(1)) {
			return false
		}
		s.off++
		start := s.off
		for s.off < len(s.src) && isDigit(s.src[s.off]) {
			s.off++
		}
		t.kind, t.lit = tPhys, string(s.src[start:s.off])
		return true
	default:
		return false
	}
	s.off += n
	t.kind = kind
	return true
}

// number3 scans an OpenQASM 3 numeric literal: decimal digits with '_'
// separators, 0x 0o 0b integers, reals as in version 2, and an optional
// suffix: a time unit (ns us µs ms s dt) makes a timing literal, im an
// imaginary one. Other letters right after a number are left for the next
// token.
func (s *scanner) number3(t *token) {
	digits := func(ok func(byte) bool) {
		for s.off < len(s.src) && (ok(s.src[s.off]) || s.src[s.off] == '_' && s.off+1 < len(s.src) && ok(s.src[s.off+1])) {
			s.off++
		}
	}
	t.kind = tInt
	if s.src[s.off] == '0' && s.off+1 < len(s.src) {
		var ok func(byte) bool
		switch s.src[s.off+1] {
		case 'x', 'X':
			ok = func(b byte) bool { return isDigit(b) || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F' }
		case 'o':
			ok = func(b byte) bool { return '0' <= b && b <= '7' }
		case 'b', 'B':
			ok = func(b byte) bool { return b == '0' || b == '1' }
		}
		if ok != nil {
			s.off += 2
			start := s.off
			digits(ok)
			if s.off == start {
				s.errorAt(t.off, "integer literal has no digits")
			}
			t.end = s.off
			return
		}
	}
	digits(isDigit)
	dot := false
	if s.off < len(s.src) && s.src[s.off] == '.' {
		dot = true
		t.kind = tReal
		s.off++
		digits(isDigit)
	}
	if s.off < len(s.src) && (s.src[s.off] == 'e' || s.src[s.off] == 'E') {
		k := s.off + 1
		if k < len(s.src) && (s.src[k] == '+' || s.src[k] == '-') {
			k++
		}
		if k < len(s.src) && isDigit(s.src[k]) {
			s.off = k
			digits(isDigit)
			t.kind = tReal
			t.noDot = !dot
		} else if !(k == s.off+1 && k < len(s.src) && isLetter(rune(s.src[k]))) {
			s.errorAt(s.off, "exponent has no digits")
			s.off = k
			t.kind = tReal
		}
	}
	// A suffix glued to the number.
	rest := s.src[s.off:]
	for _, u := range [...]string{"ns", "us", "\u00b5s", "ms", "dt", "s", "im"} {
		if len(rest) >= len(u) && string(rest[:len(u)]) == u {
			if len(rest) > len(u) {
				r, _ := utf8.DecodeRune(rest[len(u):])
				if isLetter(r) || r < utf8.RuneSelf && isDigit(byte(r)) {
					continue
				}
			}
			s.off += len(u)
			t.kind = tTiming
			if u == "im" {
				t.kind = tImag
			}
			break
		}
	}
	t.end = s.off
}
