package qasm

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"born/circuit"
)

// Internal limits that keep any input cheap to read.
const (
	maxIncludeDepth = 32   // nested includes
	maxIncludes     = 256  // include statements read in all
	maxNesting      = 256  // nested parentheses, minus signs and ^ in one expression
	maxBlockNesting = 256  // nested blocks: for, if, { }
	maxExprNodes    = 4096 // operators and operands in one expression
)

// bailout is the panic value that stops parsing (too many errors, or input
// the reader will not go on with); Parse recovers it. Any other panic is a
// bug and propagates.
type bailout struct{}

type symKind uint8

const (
	symQReg symKind = iota
	symCReg
	symGate

	// OpenQASM 3 classical names.
	symConst   // a constant, a loop variable, or a variable with a known value (val)
	symInput   // an input parameter: circuit symbol sym, or an array of n from sym
	symNoValue // a classical variable declared without a value
	symSub     // a subroutine (def or extern): declared, but not supported
)

type origin uint8

const (
	originUser     origin = iota // declared in the program or a file it includes
	originCore                   // U, CX (OpenQASM 2); U, gphase (OpenQASM 3)
	originQELib1                 // the built-in qelib1.inc
	originStdGates               // the built-in stdgates.inc
)

// symbol is a global name: a register or a gate.
type symbol struct {
	kind   symKind
	origin origin
	pos    Pos // declaration (for qelib1 gates: the include statement)
	reg    circuit.Register
	gate   *circuit.GateDef

	val   cval // symConst
	sym   int  // symInput: index of the (first) circuit symbol
	n     int  // symInput: array length, 0 for a scalar
	array bool // symInput: declared as an array
	typ   string
}

// article returns "a x" or "an x".
func article(x string) string {
	if x != "" && strings.ContainsRune("aeiou", rune(x[0])) {
		return "an " + x
	}
	return "a " + x
}

func (s *symbol) describe() string {
	switch s.kind {
	case symQReg:
		return "quantum register"
	case symCReg:
		if s.reg.Size == 1 && s.typ == "bit" {
			return "bit"
		}
		return "classical register"
	case symConst:
		switch {
		case s.typ == "loop":
			return "loop variable"
		case s.array: // declared without const
			return s.typ + " variable"
		}
		return s.typ + " constant"
	case symInput:
		return "input parameter"
	case symNoValue:
		return s.typ + " variable"
	case symSub:
		return "subroutine"
	}
	switch s.origin {
	case originCore:
		return "built-in gate"
	case originQELib1:
		return "gate from qelib1.inc"
	case originStdGates:
		return "gate from stdgates.inc"
	}
	if s.gate != nil && s.gate.Opaque {
		return "opaque gate"
	}
	return "gate"
}

// gateScope is the gate definition whose body is being read.
type gateScope struct {
	name   string
	params map[string]int
	qubits map[string]int
	qnames []string
}

// fileState is the part of the parser's state that belongs to one file.
type fileState struct {
	file        string
	sc          *scanner
	tok         token
	warnedNoDot bool
	warnedUTF8  bool
}

type parser struct {
	fileState

	allowOpaque bool
	readFile    func(string) ([]byte, error)
	budget      int           // qubit operands left (Options.MaxOps)
	sizer       circuit.Sizer // instructions each gate lowers to
	expanded    float64       // instructions the circuit lowers to so far
	maxOps      int
	noExpand    bool   // Options.NoExpandLimit
	confine     bool   // Options.ConfineIncludes
	maxTouched  int    // Options.MaxTouched
	touchedWhy  string // Options.MaxTouchedReason
	touched     []bool // qubits operations act on (with maxTouched)
	nTouched    int
	topDir      string

	circ    *circuit.Circuit
	errs    ErrorList
	nerr    int // errors found, including ones not recorded as duplicates
	tooMany bool
	warns   []Warning
	warned  map[Warning]bool

	names  map[string]*symbol
	intern map[string]string

	version  int
	keywords map[string]tokenKind
	reserved map[string]bool

	includes  []string // files being read, outermost first (cleaned paths)
	nIncludes int
	qelib1    bool // include "qelib1.inc" seen
	stdgates  bool // include "stdgates.inc" seen

	q3 // OpenQASM 3 state

	stmtErr int        // nerr at the start of the current statement
	scope   *gateScope // gate body being read, or nil

	nesting, nodes int // of the expression being read
	exprPos        Pos // where it starts

	slab []int // backing store for small Qubits slices

	// Buffers gateStmt reuses for each statement's lists.
	argBuf   []qarg
	paramBuf []pexpr
	refBuf   []ref

	noCount bool // read without countOps first (tests check its bound)
}

func newParser(filename string, opts *Options) *parser {
	p := &parser{
		readFile: func(path string) ([]byte, error) { return ReadSource(path, 0) },
		maxOps:   DefaultMaxOps,
		circ:     &circuit.Circuit{},
		names:    map[string]*symbol{},
		intern:   map[string]string{},
		version:  2,
		keywords: keywords2,
		reserved: reserved2,
	}
	p.file = filename
	p.topDir = filepath.Dir(filename)
	if strings.HasPrefix(filename, "<") { // <stdin>
		p.topDir = "."
	}
	if opts != nil {
		p.allowOpaque = opts.AllowOpaque
		p.confine = opts.ConfineIncludes
		p.maxTouched, p.touchedWhy = opts.MaxTouched, opts.MaxTouchedReason
		if opts.MaxBytes > 0 && opts.ReadFile == nil {
			max := opts.MaxBytes
			p.readFile = func(path string) ([]byte, error) { return ReadSource(path, max) }
		}
		p.noExpand = opts.NoExpandLimit
		if opts.ReadFile != nil {
			p.readFile = opts.ReadFile
		}
		if opts.MaxOps > 0 {
			p.maxOps = opts.MaxOps
		}
	}
	p.budget = p.maxOps
	for _, name := range []string{"U", "CX"} {
		p.names[name] = &symbol{kind: symGate, origin: originCore, gate: circuit.CoreQASM2[name]}
	}
	return p
}

func (p *parser) run(src []byte) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
		}
	}()
	p.includes = append(p.includes, cleanPath(p.file))
	p.unrollLeft = maxUnrollTokens
	p.parseFile(src, true)
}

func cleanPath(name string) string {
	if strings.HasPrefix(name, "<") { // <stdin> and the like: not a path
		return name
	}
	return filepath.Clean(name)
}

// ---------------------------------------------------------------------------
// Errors and warnings

func (p *parser) posOf(t token) Pos { return Pos{File: p.file, Line: t.line, Col: t.col} }

func (p *parser) pos() Pos { return p.posOf(p.tok) }

// error records an error at pos. An error at the position of the previous
// one is dropped (it is a consequence of that one: an illegal character
// and the parser's complaint about it). After MaxErrors errors it stops.
func (p *parser) error(pos Pos, msg string) {
	p.nerr++
	if n := len(p.errs); n > 0 && p.errs[n-1].Pos == pos {
		return
	}
	if len(p.errs) >= MaxErrors {
		p.errs.Sort()
		p.errs.Add(pos, "too many errors")
		p.tooMany = true
		panic(bailout{})
	}
	p.errs.Add(pos, msg)
}

func (p *parser) errorf(pos Pos, format string, args ...any) {
	p.error(pos, fmt.Sprintf(format, args...))
}

// fatalf records an error and stops.
func (p *parser) fatalf(pos Pos, format string, args ...any) {
	p.errorf(pos, format, args...)
	panic(bailout{})
}

func (p *parser) warnf(pos Pos, format string, args ...any) {
	w := Warning{Pos: pos, Msg: fmt.Sprintf(format, args...)}
	if p.warned == nil {
		p.warned = map[Warning]bool{}
	}
	if len(p.warns) < 1000 && !p.warned[w] { // loops read their bodies again
		p.warned[w] = true
		p.warns = append(p.warns, w)
	}
}

// desc describes the current token for "expected X, found Y".
func (p *parser) desc(t token) string {
	switch t.kind {
	case tEOF:
		return "end of file"
	case tString:
		return strconv.Quote(t.lit)
	}
	text := string(p.sc.src[t.off:t.end])
	if !isPrintable(text) {
		return fmt.Sprintf("%q", text)
	}
	if len(text) > 32 {
		text = text[:29] + "..."
	}
	return "'" + text + "'"
}

func isPrintable(s string) bool {
	for _, r := range s {
		if r < ' ' || r == 0x7f || r == 0xFFFD {
			return false
		}
	}
	return true
}

func (p *parser) errorExpected(what string) {
	p.errorf(p.pos(), "expected %s, found %s", what, p.desc(p.tok))
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// ---------------------------------------------------------------------------
// Tokens

func (p *parser) next() {
	p.tok = p.sc.scan()
	p.ntok++
	if p.tok.kind == tIdent {
		if k, ok := p.keywords[p.tok.lit]; ok {
			p.tok.kind = k
		} else if p.tok.nonASCII && p.version == 2 && !p.warnedUTF8 {
			p.warnedUTF8 = true
			p.warnf(p.pos(), "non-ASCII identifier '%s' is not OpenQASM 2.0", p.tok.lit)
		}
	}
}

// got consumes the current token if it is of kind k.
func (p *parser) got(k tokenKind) bool {
	if p.tok.kind == k {
		p.next()
		return true
	}
	return false
}

// want consumes a token of kind k, or reports that it is missing.
func (p *parser) want(k tokenKind) bool {
	if p.got(k) {
		return true
	}
	p.errorExpected("'" + k.String() + "'")
	return false
}

func isStmtKeyword(k tokenKind) bool {
	switch k {
	case tOpenQASM, tInclude, tQreg, tCreg, tGate, tOpaque, tBarrier, tMeasure, tReset, tIf:
		return true
	}
	return false
}

// sync skips to the end of a statement after a syntax error: past the next
// ';', or to a '}' (inside a gate body), a keyword that starts a statement,
// or the end of the file.
func (p *parser) sync() {
	if p.version == 3 {
		p.sync3()
		return
	}
	for {
		switch k := p.tok.kind; {
		case k == tEOF:
			return
		case k == tSemi:
			p.next()
			return
		case k == tRBrace && p.scope != nil:
			return
		case isStmtKeyword(k):
			return
		}
		p.next()
	}
}

// expectSemi ends a statement.
func (p *parser) expectSemi() {
	if p.tok.kind == tSemi {
		p.next()
		return
	}
	p.errorExpected("';'")
	p.sync()
}

// stmtOK reports whether the current statement has had no errors so far.
func (p *parser) stmtOK() bool { return p.nerr == p.stmtErr }

// complete reports whether the statement being read is error-free and ends
// here: at its ';', or (a missing ';') where another statement starts. Only
// then is it applied; "cx q[0] q[1];" is a syntax error, not a call of cx
// with one argument.
func (p *parser) complete() bool {
	if !p.stmtOK() {
		return false
	}
	switch k := p.tok.kind; {
	case k == tSemi, k == tEOF, k == tRBrace, isStmtKeyword(k):
		return true
	}
	return false
}

// ---------------------------------------------------------------------------
// Files

// parseFile reads one file: the main program (main) or an included file.
func (p *parser) parseFile(src []byte, main bool) {
	var why string
	var whyPos Pos
	if main {
		if line, col, word, ok := detect3(src); ok {
			p.setVersion3()
			why, whyPos = word, Pos{File: p.file, Line: line, Col: col}
		}
	}
	if !p.noCount {
		p.countFirst(src)
	}
	p.sc = newScanner(src, func(line, col int, msg string) {
		p.error(Pos{File: p.file, Line: line, Col: col}, msg)
	}, p.intern)
	p.sc.v3 = p.version == 3
	p.next()
	if p.tok.kind == tEOF && main {
		p.errorf(p.pos(), "empty program: expected 'OPENQASM 2.0;' or 'OPENQASM 3.0;'")
		return
	}
	if p.tok.kind == tOpenQASM {
		p.stmtErr = p.nerr
		p.versionStmt(main)
	} else if main && why != "" {
		p.warnf(whyPos, "no OPENQASM line; reading the file as OpenQASM 3 (it uses %s)", why)
	} else if main {
		p.warnf(p.pos(), "missing 'OPENQASM 2.0;' line; reading the file as OpenQASM 2.0")
	}
	for p.tok.kind != tEOF {
		p.statement()
	}
}

// countFirst refuses a file whose top-level statements alone pass the
// budget before it is read, and makes room for the operations of one that
// fits.
func (p *parser) countFirst(src []byte) {
	if n := countOps(src, p.budget); n.over {
		p.tooLarge(Pos{File: p.file, Line: n.line, Col: n.col})
	} else if n.ops > 0 {
		p.circ.Ops = slices.Grow(p.circ.Ops, n.ops)
	}
}

// detect3 looks through a program without a version line for signs of
// OpenQASM 3, whose version line is optional: include "stdgates.inc", a
// statement that starts with qubit, bit, input, const or a gate modifier,
// or π, τ, ℇ or @ anywhere. It returns the position and spelling of the
// first sign. A program whose first token is OPENQASM is left to its
// version line.
func detect3(src []byte) (line, col int, word string, ok bool) {
	sc := newScanner(src, nil, nil)
	sc.v3 = true
	prev := tSemi
	for i := 0; ; i++ {
		t := sc.scan()
		switch {
		case t.kind == tEOF:
			return 0, 0, "", false
		case i == 0 && t.kind == tIdent && t.lit == "OPENQASM":
			return 0, 0, "", false
		case t.kind == tString && t.lit == "stdgates.inc":
			return t.line, t.col, `include "stdgates.inc"`, true
		case t.kind == tAt:
			return t.line, t.col, "'@'", true
		case t.kind == tPhys:
			return t.line, t.col, "physical qubits ($" + t.lit + ")", true
		case t.kind == tIdent:
			switch t.lit {
			case "π", "τ", "ℇ":
				return t.line, t.col, "'" + t.lit + "'", true
			case "qubit", "bit", "input", "const", "ctrl", "negctrl", "inv", "def", "extern", "defcal", "defcalgrammar":
				if prev == tSemi || prev == tLBrace || prev == tRBrace {
					return t.line, t.col, "'" + t.lit + "'", true
				}
			}
		}
		prev = t.kind
	}
}

// setVersion3 switches the parser to OpenQASM 3: its keywords and tokens,
// and its built-in gates U (the specification's) and gphase.
func (p *parser) setVersion3() {
	p.version = 3
	p.keywords = keywords3
	p.reserved = reserved3
	if p.sc != nil {
		p.sc.v3 = true
	}
	delete(p.names, "CX")
	p.names["U"] = &symbol{kind: symGate, origin: originCore, gate: circuit.U3Spec}
	p.names["gphase"] = &symbol{kind: symGate, origin: originCore, gate: circuit.GPhase}
}

// versionStmt reads OPENQASM <version>; and selects the language. In an
// included file (main false) the version must be the program's.
func (p *parser) versionStmt(main bool) {
	p.next()
	vt := p.tok
	if vt.kind != tInt && vt.kind != tReal {
		p.errorExpected("version number")
		p.sync()
		return
	}
	p.next()
	text := string(p.sc.src[vt.off:vt.end])
	v, err := strconv.ParseFloat(text, 64)
	switch {
	case err != nil:
		// malformed number: the scanner has said so
	case v >= 2 && v < 4 && !main && int(v) != p.version:
		p.fatalf(p.posOf(vt), "included file is OpenQASM %s, the program is OpenQASM %d", text, p.version)
	case text == "2.0":
	case v == 2 && vt.kind == tInt:
		p.warnf(p.posOf(vt), "'OPENQASM 2;' has no minor version; reading it as OpenQASM 2.0")
	case v == 2:
	case text == "3" || text == "3.0" || text == "3.1":
		if main {
			p.setVersion3()
		}
	default:
		p.errorf(p.posOf(vt), "unsupported version OPENQASM %s (only 2.0 and 3.0)", text)
		if v >= 3 && main {
			// Read the rest as 3.0, not 2.0, so that the program's own
			// OpenQASM 3 statements do not cascade into errors.
			p.setVersion3()
		}
	}
	p.expectSemi()
}

// statement reads one top-level statement.
func (p *parser) statement() {
	if p.version == 3 {
		p.statement3()
		return
	}
	p.stmtErr = p.nerr
	switch p.tok.kind {
	case tOpenQASM:
		p.errorf(p.pos(), "OPENQASM must be the first statement of the file")
		p.next()
		p.sync()
	case tInclude:
		p.includeStmt()
	case tQreg, tCreg:
		p.regDecl()
	case tGate:
		p.gateDecl()
	case tOpaque:
		p.opaqueDecl()
	case tBarrier:
		p.barrierStmt()
	case tIdent:
		p.checkQASM3()
		p.qop(nil)
	case tMeasure, tReset:
		p.qop(nil)
	case tIf:
		p.ifStmt()
	case tSemi:
		p.warnf(p.pos(), "empty statement")
		p.next()
	default:
		p.errorExpected("statement")
		p.next()
		p.sync()
	}
}

// checkQASM3 stops at a statement that starts with an undeclared word of
// OpenQASM 3, rather than report the rest of a program in a language the
// reader does not know yet.
func (p *parser) checkQASM3() {
	if name := p.tok.lit; qasm3Words[name] && p.names[name] == nil {
		p.fatalf(p.pos(), "'%s' is OpenQASM 3, but the program is OpenQASM 2.0 (declare 'OPENQASM 3.0;')", name)
	}
}

func (p *parser) includeStmt() {
	p.next()
	if p.tok.kind != tString {
		p.errorExpected("file name in double quotes")
		p.sync()
		return
	}
	nameTok := p.tok
	p.next()
	ok := p.complete()
	p.expectSemi()
	if ok {
		p.include(nameTok.lit, p.posOf(nameTok))
	}
}

// declareLib declares the gates of the built-in library file (in its
// order), included at pos.
func (p *parser) declareLib(file string, pos Pos, order []string, cat circuit.Catalog, o origin) {
	for _, g := range order {
		if s := p.names[g]; s != nil {
			p.errorf(pos, "%s defines gate '%s', already declared (%s at %s)", file, g, s.describe(), s.pos)
			continue
		}
		p.names[g] = &symbol{kind: symGate, origin: o, pos: pos, gate: cat[g]}
	}
}

// include reads an included file in place. qelib1.inc and stdgates.inc are
// built in.
func (p *parser) include(name string, pos Pos) {
	if name == "qelib1.inc" {
		if p.version == 3 {
			p.errorf(pos, "qelib1.inc is the OpenQASM 2 library; an OpenQASM 3 program includes \"stdgates.inc\"")
			return
		}
		if p.qelib1 {
			p.warnf(pos, "qelib1.inc included twice")
			return
		}
		p.qelib1 = true
		p.declareLib(name, pos, circuit.QELib1Order, circuit.QELib1Gates, originQELib1)
		return
	}
	if name == "stdgates.inc" {
		if p.version != 3 {
			p.fatalf(pos, "stdgates.inc is the OpenQASM 3 standard library, but the program is OpenQASM 2.0 (declare 'OPENQASM 3.0;')")
		}
		if p.stdgates {
			p.warnf(pos, "stdgates.inc included twice")
			return
		}
		p.stdgates = true
		p.declareLib(name, pos, circuit.StdGatesOrder, circuit.StdGates, originStdGates)
		return
	}
	if name == "" {
		p.errorf(pos, "empty include file name")
		return
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(p.file), path)
	}
	key := cleanPath(path)
	for i, f := range p.includes {
		if f == key {
			chain := append(append([]string(nil), p.includes[i:]...), key)
			p.errorf(pos, "include cycle: %s", strings.Join(chain, " includes "))
			return
		}
	}
	if len(p.includes) > maxIncludeDepth {
		p.errorf(pos, "includes nested more than %d deep", maxIncludeDepth)
		return
	}
	if p.nIncludes >= maxIncludes {
		p.fatalf(pos, "more than %d include statements", maxIncludes)
	}
	p.nIncludes++
	if p.confine && !within(p.topDir, path) {
		p.errorf(pos, "cannot include %q: it is outside %s, and includes are confined to the program's folder", name, p.topDir)
		return
	}
	src, err := p.readFile(path)
	if err != nil {
		p.errorf(pos, "cannot include %q: %v", name, err)
		return
	}
	saved := p.fileState
	p.fileState = fileState{file: path}
	p.includes = append(p.includes, key)
	p.parseFile(src, false)
	p.includes = p.includes[:len(p.includes)-1]
	p.fileState = saved
}
