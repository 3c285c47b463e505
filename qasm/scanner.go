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
func (s *scanner) number(t *token) {
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
