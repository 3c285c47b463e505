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
