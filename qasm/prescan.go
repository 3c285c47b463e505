package qasm

// A program read in full costs about 200 bytes of IR and 1 µs per
// operation; one past the operation budget (Options.MaxOps) used to be
// refused only once it had been read: 9 to 23 s and 2 to 2.5 GB for a
// 63 MB file of 2^22 one-qubit gates. countOps looks at the bytes first, at
// about 4 ns a byte, and finds a lower bound of the budget a file spends,
// so that such a file is refused before it is read and one that fits gets
// its list of operations allocated once.

// opCount is what countOps finds: a lower bound of the qubit operands the
// file's top-level statements spend from the budget, and of the operations
// they add to the circuit; over is set, with the position of the statement
// whose operands take the count past the limit, when that bound passes it.
type opCount struct {
	operands, ops int
	over          bool
	line, col     int
}

// countOps counts the statements outside braces that surely spend from the
// reader's budget: a gate application (after any if (...) and OpenQASM 3
// modifiers) spends at least one operand per argument, measure and reset at
// least one. Everything else counts nothing: declarations and other
// statements led by a reserved word, assignments, calls, statements in
// braces (gate bodies, loops, blocks, which spend too, but not always once),
// barriers, annotations and pragmas. An error in the program can only make
// the count lower (the reader's own message then comes first), never
// higher, so a program within the budget is never refused here.
func countOps(src []byte, limit int) opCount {
	s := prescanner{newScanner(src, nil, nil)}
	var n opCount
	depth := 0
	for {
		s.skipSpace()
		if s.off >= len(s.src) {
			return n
		}
		switch s.src[s.off] {
		case '{':
			depth++
			s.off++
			continue
		case '}':
			if depth > 0 {
				depth--
			}
			s.off++
			continue
		case ';':
			s.off++
			continue
		}
		if depth > 0 {
			s.skip()
			continue
		}
		k, line, col := s.statement()
		if !s.end() {
			continue
		}
		if k > 0 {
			n.operands += k
			n.ops++
			if n.operands > limit && !n.over {
				n.over, n.line, n.col = true, line, col
				return n
			}
		}
	}
}

// prescanner reads bytes with the scanner's white space and comment
// rules, and its positions (columns count from after a byte order mark).
type prescanner struct{ *scanner }

// skip passes one character, or a whole string literal (which ends at its
// closing quote or the end of the line).
func (s *prescanner) skip() {
	c := s.src[s.off]
	s.off++
	if c != '"' && c != '\'' {
		return
	}
	for s.off < len(s.src) && s.src[s.off] != '\n' {
		s.off++
		if s.src[s.off-1] == c {
			return
		}
	}
}

// end passes the rest of the statement and reports whether it ends with a
// semicolon, which it consumes; it stops before a brace.
func (s *prescanner) end() bool {
	for {
		s.skipSpace()
		if s.off >= len(s.src) {
			return false
		}
		switch s.src[s.off] {
		case ';':
			s.off++
			return true
		case '{', '}':
			return false
		}
		s.skip()
	}
}

func identStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func identChar(c byte) bool { return identStart(c) || c >= '0' && c <= '9' }

// word reads an identifier, or returns nil without moving.
func (s *prescanner) word() []byte {
	start := s.off
	if s.off < len(s.src) && identStart(s.src[s.off]) {
		for s.off < len(s.src) && identChar(s.src[s.off]) {
			s.off++
		}
	}
	return s.src[start:s.off]
}

func (s *prescanner) peek() byte {
	if s.off < len(s.src) {
		return s.src[s.off]
	}
	return 0
}

// parens passes a parenthesised group, if one comes next, and reports
// false if it is not closed before a brace, semicolon or the end.
func (s *prescanner) parens() bool {
	s.skipSpace()
	if s.peek() != '(' {
		return true
	}
	depth := 0
	for {
		if s.off >= len(s.src) {
			return false
		}
		switch s.src[s.off] {
		case ' ', '\t', '\n', '\r', '\f', '\v', '/':
			s.skipSpace()
			if s.off < len(s.src) && s.src[s.off] == '/' {
				s.off++ // a division
			}
			continue
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				s.off++
				return true
			}
		case ';', '{', '}':
			return false
		}
		s.skip()
	}
}

// notCounted are the words that lead statements countOps does not count:
// OpenQASM 2 and 3 keywords, types and built-ins. measure, reset, if and the
// gate modifiers are handled apart.
var notCounted = func() map[string]bool {
	m := map[string]bool{}
	for w := range reserved3 {
		m[w] = true
	}
	m["opaque"] = true
	return m
}()

// statement reads the start of a statement at the top level and returns
// the operands it surely spends (0 when it is not sure), with the position
// the reader reports its budget error at: the gate's name, or the qubit
// argument of measure and reset. It stops at or before the statement's
// semicolon.
func (s *prescanner) statement() (k, line, col int) {
	w := s.word()
	for {
		switch string(w) {
		case "if":
			if !s.parens() {
				return 0, 0, 0
			}
		case "ctrl", "negctrl", "inv", "pow":
			if !s.parens() {
				return 0, 0, 0
			}
			s.skipSpace()
			if s.peek() != '@' {
				return 0, 0, 0
			}
			s.off++
		default:
			goto name
		}
		s.skipSpace()
		w = s.word()
	}
name:
	line, col = s.line, s.off-len(w)-s.lineStart+1
	switch {
	case string(w) == "measure" || string(w) == "reset":
		s.skipSpace()
		if !identStart(s.peek()) && s.peek() != '$' {
			return 0, 0, 0
		}
		return 1, s.line, s.off - s.lineStart + 1
	case len(w) == 0 || notCounted[string(w)]:
		return 0, 0, 0
	}
	if !s.parens() {
		return 0, 0, 0
	}
	s.skipSpace()
	if !identStart(s.peek()) && s.peek() != '$' {
		return 0, 0, 0 // an assignment, a call, an indexed variable
	}
	k = 1
	depth := 0
	for {
		if s.off >= len(s.src) {
			return 0, 0, 0
		}
		switch s.src[s.off] {
		case ' ', '\t', '\n', '\r', '\f', '\v', '/':
			s.skipSpace()
			if s.off < len(s.src) && s.src[s.off] == '/' {
				s.off++ // a division in an index
			}
			continue
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ',':
			if depth == 0 {
				k++
			}
		case '=', '{', '}':
			return 0, 0, 0
		case ';':
			return k, line, col
		}
		s.skip()
	}
}
