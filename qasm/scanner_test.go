package qasm

import (
	"fmt"
	"strings"
	"testing"
)

type tok struct {
	kind      tokenKind
	text      string
	line, col int
}

func scanAll(src string) ([]tok, []string) {
	var errs []string
	s := newScanner([]byte(src), func(line, col int, msg string) {
		errs = append(errs, fmt.Sprintf("%d:%d: %s", line, col, msg))
	}, map[string]string{})
	var toks []tok
	for i := 0; i < 1000; i++ {
		t := s.scan()
		if t.kind == tEOF {
			toks = append(toks, tok{tEOF, "", t.line, t.col})
			break
		}
		toks = append(toks, tok{t.kind, src[t.off:t.end], t.line, t.col})
	}
	return toks, errs
}

func TestScanner(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []tok
		errs []string
	}{
		{"punctuation", "; , ( ) [ ] { } -> == + - * / ^",
			[]tok{{tSemi, ";", 1, 1}, {tComma, ",", 1, 3}, {tLParen, "(", 1, 5}, {tRParen, ")", 1, 7},
				{tLBrack, "[", 1, 9}, {tRBrack, "]", 1, 11}, {tLBrace, "{", 1, 13}, {tRBrace, "}", 1, 15},
				{tArrow, "->", 1, 17}, {tEqEq, "==", 1, 20}, {tPlus, "+", 1, 23}, {tMinus, "-", 1, 25},
				{tStar, "*", 1, 27}, {tSlash, "/", 1, 29}, {tCaret, "^", 1, 31}, {tEOF, "", 1, 32}}, nil},
		{"numbers", "0 12 1.5 .5 5. 1e-3 2.5E+4 1e5",
			[]tok{{tInt, "0", 1, 1}, {tInt, "12", 1, 3}, {tReal, "1.5", 1, 6}, {tReal, ".5", 1, 10},
				{tReal, "5.", 1, 13}, {tReal, "1e-3", 1, 16}, {tReal, "2.5E+4", 1, 21}, {tReal, "1e5", 1, 28},
				{tEOF, "", 1, 31}}, nil},
		{"number then name", "2e x1 1.e", []tok{{tReal, "2e", 1, 1}, {tIdent, "x1", 1, 4}, {tReal, "1.e", 1, 7}, {tEOF, "", 1, 10}},
			[]string{"1:2: exponent has no digits", "1:9: exponent has no digits"}},
		{"identifiers", "q _a B9 θ rθ2 π", []tok{{tIdent, "q", 1, 1}, {tIdent, "_a", 1, 3}, {tIdent, "B9", 1, 6},
			{tIdent, "θ", 1, 9}, {tIdent, "rθ2", 1, 12}, {tIdent, "π", 1, 17}, {tEOF, "", 1, 19}}, nil},
		{"comments and lines", "a // x y\n  b /* c\n d */ e\r\nf",
			[]tok{{tIdent, "a", 1, 1}, {tIdent, "b", 2, 3}, {tIdent, "e", 3, 7}, {tIdent, "f", 4, 1}, {tEOF, "", 4, 2}}, nil},
		{"string", `include "a b.inc";`, []tok{{tIdent, "include", 1, 1}, {tString, `"a b.inc"`, 1, 9}, {tSemi, ";", 1, 18}, {tEOF, "", 1, 19}}, nil},
		{"unterminated string", "\"abc\nx", []tok{{tIllegal, `"abc`, 1, 1}, {tIdent, "x", 2, 1}, {tEOF, "", 2, 2}},
			[]string{"1:1: string literal not terminated"}},
		{"unterminated comment", "a /* b", []tok{{tIdent, "a", 1, 1}, {tEOF, "", 1, 7}}, []string{"1:3: comment not terminated"}},
		{"byte order mark", "\uFEFFqreg", []tok{{tIdent, "qreg", 1, 1}, {tEOF, "", 1, 5}}, nil},
		{"illegal", "a\x00b $ \xff \u00a0", []tok{{tIdent, "a", 1, 1}, {tIllegal, "\x00", 1, 2}, {tIdent, "b", 1, 3},
			{tOther, "$", 1, 5}, {tIllegal, "\xff", 1, 7}, {tIllegal, "\u00a0", 1, 9}, {tEOF, "", 1, 11}},
			[]string{"1:2: illegal character U+0000", "1:7: invalid UTF-8 encoding", "1:9: illegal character U+00A0"}},
		{"lone slash and dot", "/ .", []tok{{tSlash, "/", 1, 1}, {tOther, ".", 1, 3}, {tEOF, "", 1, 4}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := scanAll(tt.src)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("tokens:\ngot  %v\nwant %v", got, tt.want)
			}
			if strings.Join(errs, "\n") != strings.Join(tt.errs, "\n") {
				t.Errorf("errors:\ngot  %q\nwant %q", errs, tt.errs)
			}
		})
	}
}

func TestScannerFlags(t *testing.T) {
	s := newScanner([]byte("1e-3 1.0e-3 θ x \"qelib1.inc\""), nil, nil)
	if tk := s.scan(); !tk.noDot {
		t.Error("1e-3: noDot not set")
	}
	if tk := s.scan(); tk.noDot {
		t.Error("1.0e-3: noDot set")
	}
	if tk := s.scan(); !tk.nonASCII || tk.lit != "θ" {
		t.Errorf("θ: %+v", tk)
	}
	if tk := s.scan(); tk.nonASCII || tk.lit != "x" {
		t.Errorf("x: %+v", tk)
	}
	if tk := s.scan(); tk.kind != tString || tk.lit != "qelib1.inc" {
		t.Errorf("string: %+v", tk)
	}
}

// TestScanner3 checks the tokens of OpenQASM 3 mode.
func TestScanner3(t *testing.T) {
	kinds := func(src string) ([]string, []string) {
		var errs []string
		s := newScanner([]byte(src), func(line, col int, msg string) {
			errs = append(errs, fmt.Sprintf("%d:%d: %s", line, col, msg))
		}, nil)
		s.v3 = true
		var out []string
		for {
			tk := s.scan()
			if tk.kind == tEOF {
				return out, errs
			}
			out = append(out, tk.kind.String()+" "+src[tk.off:tk.end])
		}
	}
	for _, tt := range []struct {
		src  string
		want string
		errs string
	}{
		{": @ = == != ! < <= > >= && || & | ~ % << >> ** ^ -> + - * /",
			": : · @ @ · = = · == == · != != · ! ! · < < · <= <= · > > · >= >= · && && · || || · & & · | | · ~ ~ · % % · << << · >> >> · ** ** · ^ ^ · -> -> · + + · - - · * * · / /", ""},
		{"+= -= *= /= **= <<= >>= ^= |= &= %= ~= ++",
			"compound assignment += · compound assignment -= · compound assignment *= · compound assignment /= · compound assignment **= · compound assignment <<= · compound assignment >>= · compound assignment ^= · compound assignment |= · compound assignment &= · compound assignment %= · compound assignment ~= · ++ ++", ""},
		{"$0 $17 $ x", "physical qubit $0 · physical qubit $17 · operator $ · identifier x", ""},
		{"1_000 0x1F 0o17 0b101 1.5e-3 2.", "integer 1_000 · integer 0x1F · integer 0o17 · integer 0b101 · real number 1.5e-3 · real number 2.", ""},
		{"10ns 2.5us 4dt 3s 1.5im 2sin", "timing literal 10ns · timing literal 2.5us · timing literal 4dt · timing literal 3s · imaginary literal 1.5im · integer 2 · identifier sin", ""},
		{"0x 1e", "integer 0x · real number 1e", "1:1: integer literal has no digits|1:5: exponent has no digits"},
	} {
		got, errs := kinds(tt.src)
		if g := strings.Join(got, " · "); g != tt.want {
			t.Errorf("%q:\ngot  %s\nwant %s", tt.src, g, tt.want)
		}
		if e := strings.Join(errs, "|"); e != tt.errs {
			t.Errorf("%q: errors %q, want %q", tt.src, e, tt.errs)
		}
	}
}
