package qasm

// tokenKind is the kind of a lexical token. The scanner yields identifiers
// for every word; the parser turns the reserved words of the language
// version it reads into keyword tokens (see keywords2), so that one scanner
// serves every version.
type tokenKind uint8

const (
	tEOF tokenKind = iota
	tIllegal
	tIdent  // name, also non-ASCII: θ
	tInt    // 12
	tReal   // 1.5 .5 1. 1e-3 2.5E+4
	tString // "file.inc" (lit holds the contents without quotes)

	tSemi   // ;
	tComma  // ,
	tLParen // (
	tRParen // )
	tLBrack // [
	tRBrack // ]
	tLBrace // {
	tRBrace // }
	tArrow  // ->
	tEqEq   // ==
	tPlus   // +
	tMinus  // -
	tStar   // *
	tSlash  // /
	tCaret  // ^
	tOther  // any other operator character (=, <, !, @, ...), one byte

	// OpenQASM 3 only: the scanner yields these in version 3 mode; in
	// version 2 mode the characters are tOther.
	tColon    // :
	tAt       // @
	tAssign   // =
	tNeq      // !=
	tNot      // !
	tLt       // <
	tLe       // <=
	tGt       // >
	tGe       // >=
	tAndAnd   // &&
	tOrOr     // ||
	tAmp      // &
	tPipe     // |
	tTilde    // ~
	tPercent  // %
	tShl      // <<
	tShr      // >>
	tPow      // **
	tOpAssign // += -= *= /= %= &= |= ^= <<= >>= **= ~=
	tIncr     // ++
	tPhys     // $0: a physical qubit (lit holds the digits)
	tTiming   // 100ns, 2.5us, 4dt: a timing literal
	tImag     // 1.5im: an imaginary literal

	// keywords
	tOpenQASM
	tInclude
	tQreg
	tCreg
	tGate
	tOpaque
	tBarrier
	tMeasure
	tReset
	tIf
)

var tokenNames = [...]string{
	tEOF:      "end of file",
	tIllegal:  "illegal character",
	tIdent:    "identifier",
	tInt:      "integer",
	tReal:     "real number",
	tString:   "string",
	tSemi:     ";",
	tComma:    ",",
	tLParen:   "(",
	tRParen:   ")",
	tLBrack:   "[",
	tRBrack:   "]",
	tLBrace:   "{",
	tRBrace:   "}",
	tArrow:    "->",
	tEqEq:     "==",
	tPlus:     "+",
	tMinus:    "-",
	tStar:     "*",
	tSlash:    "/",
	tCaret:    "^",
	tOther:    "operator",
	tColon:    ":",
	tAt:       "@",
	tAssign:   "=",
	tNeq:      "!=",
	tNot:      "!",
	tLt:       "<",
	tLe:       "<=",
	tGt:       ">",
	tGe:       ">=",
	tAndAnd:   "&&",
	tOrOr:     "||",
	tAmp:      "&",
	tPipe:     "|",
	tTilde:    "~",
	tPercent:  "%",
	tShl:      "<<",
	tShr:      ">>",
	tPow:      "**",
	tOpAssign: "compound assignment",
	tIncr:     "++",
	tPhys:     "physical qubit",
	tTiming:   "timing literal",
	tImag:     "imaginary literal",
	tOpenQASM: "OPENQASM",
	tInclude:  "include",
	tQreg:     "qreg",
	tCreg:     "creg",
	tGate:     "gate",
	tOpaque:   "opaque",
	tBarrier:  "barrier",
	tMeasure:  "measure",
	tReset:    "reset",
	tIf:       "if",
}

func (k tokenKind) String() string {
	if int(k) < len(tokenNames) && tokenNames[k] != "" {
		return tokenNames[k]
	}
	return "token"
}

// keywords2 are the reserved words of OpenQASM 2.0 that start statements.
// pi, the function names and the built-in gates U and CX are identifiers
// that the parser resolves (they are reserved too: see reserved2).
var keywords2 = map[string]tokenKind{
	"OPENQASM": tOpenQASM,
	"include":  tInclude,
	"qreg":     tQreg,
	"creg":     tCreg,
	"gate":     tGate,
	"opaque":   tOpaque,
	"barrier":  tBarrier,
	"measure":  tMeasure,
	"reset":    tReset,
	"if":       tIf,
}

// reserved2 are identifiers of OpenQASM 2.0 that cannot be declared.
var reserved2 = map[string]bool{
	"pi": true, "sin": true, "cos": true, "tan": true, "exp": true, "ln": true, "sqrt": true,
}

// qasm3Words start statements of OpenQASM 3 (types, declarations, control
// flow, modifiers). An undeclared one at the start of a statement means the
// program is OpenQASM 3, which the reader does not support yet.
var qasm3Words = map[string]bool{
	"qubit": true, "bit": true, "int": true, "uint": true, "float": true, "angle": true, "bool": true,
	"complex": true, "duration": true, "stretch": true, "array": true, "const": true, "let": true,
	"input": true, "output": true, "def": true, "defcal": true, "defcalgrammar": true, "cal": true,
	"extern": true, "for": true, "while": true, "switch": true, "return": true, "break": true,
	"continue": true, "box": true, "delay": true, "ctrl": true, "negctrl": true, "inv": true,
	"pow": true, "gphase": true,
}

// funcs2 are the real functions of OpenQASM 2.0 expressions.
var funcs2 = map[string]bool{"sin": true, "cos": true, "tan": true, "exp": true, "ln": true, "sqrt": true}

// token is one lexical token. Line and Col are 1-based, Col in bytes.
type token struct {
	kind      tokenKind
	line, col int
	off, end  int    // byte range in the source
	lit       string // identifier name or string contents; empty otherwise
	noDot     bool   // a real written without a decimal point: 1e-3
	nonASCII  bool   // an identifier with non-ASCII letters
}

// keywords3 are the words of OpenQASM 3 that the parser turns into keyword
// tokens: the statements it shares with OpenQASM 2. Its other words (qubit,
// for, ctrl, ...) stay identifiers and are recognized by name where a
// statement starts.
var keywords3 = map[string]tokenKind{
	"OPENQASM": tOpenQASM,
	"include":  tInclude,
	"qreg":     tQreg,
	"creg":     tCreg,
	"gate":     tGate,
	"barrier":  tBarrier,
	"measure":  tMeasure,
	"reset":    tReset,
	"if":       tIf,
}

// reserved3 are identifiers of OpenQASM 3 that cannot be declared: its
// keywords, types, constants and built-in functions.
var reserved3 = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"OPENQASM", "include", "qreg", "creg", "gate", "barrier", "measure", "reset", "if", "else",
		"for", "in", "while", "break", "continue", "end", "return", "switch", "case", "default",
		"qubit", "bit", "int", "uint", "float", "angle", "bool", "complex", "duration", "stretch",
		"array", "const", "let", "input", "output", "mutable", "readonly", "def", "defcal",
		"defcalgrammar", "cal", "extern", "box", "delay", "durationof", "sizeof", "opaque", "pragma",
		"ctrl", "negctrl", "inv", "pow", "gphase", "true", "false", "void", "nop",
		"pi", "π", "tau", "τ", "euler", "ℇ", "im",
	} {
		m[w] = true
	}
	for f := range funcs3 {
		m[f] = true
	}
	return m
}()

// funcs3 are the real functions of OpenQASM 3 expressions that born
// supports, with the name of the circuit.Call function each becomes (log
// is the natural logarithm). pow, mod, floor and ceiling are handled apart.
var funcs3 = map[string]string{
	"sin": "sin", "cos": "cos", "tan": "tan", "arcsin": "arcsin", "arccos": "arccos", "arctan": "arctan",
	"exp": "exp", "log": "ln", "sqrt": "sqrt",
	"pow": "", "mod": "", "floor": "", "ceiling": "",
}

// unsupported3 names the OpenQASM 3 features that born does not read, by
// the word that starts them. The reader reports each with a positioned error
// that names the feature.
var unsupported3 = map[string]string{
	"def":           "subroutine definitions (def)",
	"extern":        "extern declarations",
	"while":         "while loops",
	"defcal":        "pulse-level calibrations (defcal)",
	"defcalgrammar": "pulse-level calibrations (defcalgrammar)",
	"cal":           "pulse-level calibrations (cal)",
	"box":           "timing boxes (box)",
	"delay":         "delays (delay)",
	"let":           "aliases (let)",
	"switch":        "switch statements",
	"return":        "return statements",
	"break":         "break statements",
	"continue":      "continue statements",
	"end":           "end statements",
	"output":        "output declarations",
	"duration":      "duration types (timing)",
	"stretch":       "stretch types (timing)",
	"complex":       "complex types",
	"array":         "array declarations (only input array[float[64], N] is supported)",
	"opaque":        "opaque gates in OpenQASM 3",
	"pragma":        "pragmas",
	"mutable":       "array references (mutable)",
	"readonly":      "array references (readonly)",
	"nop":           "nop statements",
	"durationof":    "durationof (timing)",
	"sizeof":        "sizeof",
}
