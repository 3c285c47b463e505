package qasm

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"sort"
	"strings"
	"testing"
)

// TestErrors checks that bad programs give the right positioned message.
// want is the first error, in full "file:line:col: message" form (or a
// prefix of it).
func TestErrors(t *testing.T) {
	const q2 = hdr + "qreg q[2];\ncreg c[2];\n" // lines 1-4; statements start on line 5
	tests := []struct {
		name, src, want string
	}{
		// Syntax.
		{"missing semicolon", "OPENQASM 2.0\nqreg q[1];", "t.qasm:2:1: expected ';', found 'qreg'"},
		{"missing semicolon at end", "OPENQASM 2.0", "t.qasm:1:13: expected ';', found end of file"},
		{"missing bracket", "OPENQASM 2.0;\nqreg q[2;", "t.qasm:2:9: expected ']', found ';'"},
		{"register size not an integer", "OPENQASM 2.0;\nqreg q[2.0];", "t.qasm:2:8: expected register size, found '2.0'"},
		{"keyword as name", "OPENQASM 2.0;\nqreg gate[2];", "t.qasm:2:6: expected name, found 'gate'"},
		{"reserved name", "OPENQASM 2.0;\nqreg pi[2];", "t.qasm:2:6: 'pi' is a reserved word"},
		{"stray token", "OPENQASM 2.0;\n) qreg q[1];", "t.qasm:2:1: expected statement, found ')'"},
		{"stray brace", "OPENQASM 2.0;\n}", "t.qasm:2:1: expected statement, found '}'"},
		{"bad expression", q2 + "U(1+,0,0) q[0];", "t.qasm:5:5: expected expression, found ','"},
		{"unclosed paren", q2 + "U((1,0,0) q[0];", "t.qasm:5:5: expected ')', found ','"},
		{"missing arrow", q2 + "measure q c;", "t.qasm:5:11: expected '->', found 'c'"},
		{"if with =", q2 + "if (c = 1) x q[0];", "t.qasm:5:7: expected '==', found '='"},
		{"if with barrier", q2 + "if (c == 1) barrier q;", "t.qasm:5:13: expected gate application, measure or reset after if (...), found 'barrier'"},
		{"function without parens", q2 + "rx(sin) q[0];", "t.qasm:5:7: expected '(', found ')'"},
		{"unterminated string", "OPENQASM 2.0;\ninclude \"qelib1.inc;\nqreg q[1];", "t.qasm:2:9: string literal not terminated"},
		{"unterminated comment", "OPENQASM 2.0;\nqreg q[1]; /* no end\n", "t.qasm:2:12: comment not terminated"},
		{"exponent without digits", q2 + "rx(1e) q[0];", "t.qasm:5:5: exponent has no digits"},
		{"illegal character", "OPENQASM 2.0;\nqreg q[1]; $", "t.qasm:2:12: expected statement, found '$'"},
		{"NUL byte", "OPENQASM 2.0;\n\x00", "t.qasm:2:1: illegal character U+0000"},
		{"invalid UTF-8", "OPENQASM 2.0;\nqreg \xff[1];", "t.qasm:2:6: invalid UTF-8 encoding"},
		{"gate body not closed", hdr + "gate g a { h a;\n", "t.qasm:4:1: expected '}' to end the body of gate 'g', found end of file"},
		{"gate without qubits", "OPENQASM 2.0;\ngate g(x) { }", "t.qasm:2:11: expected qubit argument name, found '{'"},

		// Version.
		{"unsupported version", "OPENQASM 2.6;\nqreg q[1];", "t.qasm:1:10: unsupported version OPENQASM 2.6 (only 2.0 and 3.0)"},
		{"version 1", "OPENQASM 1.0;", "t.qasm:1:10: unsupported version OPENQASM 1.0 (only 2.0 and 3.0)"},
		{"OpenQASM 3.2", "OPENQASM 3.2;\nqubit[2] q;", "t.qasm:1:10: unsupported version OPENQASM 3.2 (only 2.0 and 3.0)"},
		{"stdgates.inc in OpenQASM 2", "OPENQASM 2.0;\ninclude \"stdgates.inc\";", "t.qasm:2:9: stdgates.inc is the OpenQASM 3 standard library, but the program is OpenQASM 2.0"},
		{"qelib1.inc in OpenQASM 3", "OPENQASM 3.0;\ninclude \"qelib1.inc\";", "t.qasm:2:9: qelib1.inc is the OpenQASM 2 library"},
		{"OpenQASM 3 statement in 2.0", "OPENQASM 2.0;\nqubit[2] q;\nh q;", "t.qasm:2:1: 'qubit' is OpenQASM 3, but the program is OpenQASM 2.0"},
		{"OpenQASM 3 without version line", "qubit[2] q;\nh q;", "t.qasm:2:1: unknown gate 'h' (not declared; missing include \"stdgates.inc\"?)"},
		{"OpenQASM 3 modifier", hdr + "qreg q[2];\nctrl @ x q[0], q[1];", "t.qasm:4:1: 'ctrl' is OpenQASM 3"},
		{"pi as π", q2 + "rx(π) q[0];", "t.qasm:5:4: 'π' is OpenQASM 3 (OpenQASM 2 spells it pi)"},
		{"version not first", "OPENQASM 2.0;\nqreg q[1];\nOPENQASM 2.0;", "t.qasm:3:1: OPENQASM must be the first statement"},
		{"version not a number", "OPENQASM two;", "t.qasm:1:10: expected version number, found 'two'"},

		// Empty input.
		{"empty file", "", "t.qasm:1:1: empty program"},
		{"only comments", "// nothing\n/* here */\n", "t.qasm:3:1: empty program"},

		// Gates.
		{"unknown gate", q2 + "mcx q[0], q[1];", "t.qasm:5:1: unknown gate 'mcx' (not declared; missing include?)"},
		{"qelib1 gate without include", "OPENQASM 2.0;\nqreg q[1];\nh q[0];", "t.qasm:3:1: unknown gate 'h' (not declared; missing include \"qelib1.inc\"?)"},
		{"too few qubits", q2 + "cx q[0];", "t.qasm:5:1: gate 'cx' takes 2 qubit arguments, found 1"},
		{"too many qubits", q2 + "h q[0], q[1];", "t.qasm:5:1: gate 'h' takes 1 qubit argument, found 2"},
		{"missing parameter", q2 + "rx q[0];", "t.qasm:5:1: gate 'rx' takes 1 parameter, found 0"},
		{"extra parameter", q2 + "h(0.1) q[0];", "t.qasm:5:1: gate 'h' takes 0 parameters, found 1"},
		{"U arity", q2 + "U(1,2) q[0];", "t.qasm:5:1: gate 'U' takes 3 parameters, found 2"},
		{"register as gate", q2 + "q q[0];", "t.qasm:5:1: 'q' is a quantum register, not a gate"},
		{"same qubit twice", q2 + "cx q[1], q[1];", "t.qasm:5:10: qubit q[1] used twice in one gate"},
		{"same qubit twice by broadcast", q2 + "cx q, q;", "t.qasm:5:7: qubit q[0] used twice in one gate"},
		{"same qubit twice, mixed", q2 + "cx q[1], q;", "t.qasm:5:10: qubit q[1] used twice in one gate"},

		// Registers and arguments.
		{"undeclared register", q2 + "h r[0];", "t.qasm:5:3: undeclared quantum register 'r'"},
		{"classical register as qubits", q2 + "h c;", "t.qasm:5:3: 'c' is a classical register, expected a quantum register"},
		{"gate as register", q2 + "h cx;", "t.qasm:5:3: 'cx' is a gate from qelib1.inc, expected a quantum register"},
		{"index out of range", q2 + "h q[2];", "t.qasm:5:5: index 2 out of range: register 'q' has 2 qubits"},
		{"huge index", q2 + "h q[99999999999999999999999];", "t.qasm:5:5: index 99999999999999999999999 out of range: register 'q' has 2 qubits"},
		{"bit index out of range", q2 + "measure q[0] -> c[7];", "t.qasm:5:19: index 7 out of range: register 'c' has 2 bits"},
		{"broadcast sizes differ", hdr + "qreg a[2];\nqreg b[3];\ncx a, b;", "t.qasm:5:7: registers of different sizes in one statement: 'a' has 2 qubits, 'b' has 3"},
		{"measure sizes differ", hdr + "qreg q[2];\ncreg c[3];\nmeasure q -> c;", "t.qasm:5:14: cannot measure register 'q' of 2 qubits into register 'c' of 3 bits"},
		{"measure register into bit", q2 + "measure q -> c[0];", "t.qasm:5:14: cannot measure register 'q' of 2 qubits into one bit"},
		{"measure qubit into register", q2 + "measure q[0] -> c;", "t.qasm:5:17: cannot measure one qubit into register 'c' of 2 bits"},
		{"measure into quantum register", q2 + "measure q -> q;", "t.qasm:5:14: 'q' is a quantum register, expected a classical register"},
		{"if on quantum register", q2 + "if (q == 1) x q[0];", "t.qasm:5:5: 'q' is a quantum register, expected a classical register"},
		{"condition value overflow", q2 + "if (c == 99999999999999999999) x q[0];", "t.qasm:5:10: condition value out of range"},
		{"wide condition register", hdr + "qreg q[1];\ncreg c[65];\nif (c == 1) x q[0];", "t.qasm:5:5: conditions on registers of more than 64 bits are not supported"},

		// Declarations.
		{"duplicate qreg", "OPENQASM 2.0;\nqreg q[1];\nqreg q[2];", "t.qasm:3:6: 'q' already declared (quantum register at t.qasm:2:6)"},
		{"creg named like qreg", "OPENQASM 2.0;\nqreg q[1];\ncreg q[2];", "t.qasm:3:6: 'q' already declared (quantum register at t.qasm:2:6)"},
		{"duplicate gate", "OPENQASM 2.0;\ngate g a { }\ngate g b { }", "t.qasm:3:6: 'g' already declared (gate at t.qasm:2:6)"},
		{"gate named like register", "OPENQASM 2.0;\nqreg g[1];\ngate g a { }", "t.qasm:3:6: 'g' already declared (quantum register at t.qasm:2:6)"},
		{"register named like qelib1 gate", hdr + "qreg h[1];", "t.qasm:3:6: 'h' already declared (gate from qelib1.inc at t.qasm:2:9)"},
		{"opaque twice", "OPENQASM 2.0;\nopaque g a;\nopaque g a;", "t.qasm:3:8: 'g' already declared (opaque gate at t.qasm:2:8)"},
		{"redefine U", "OPENQASM 2.0;\ngate U a { }", "t.qasm:2:6: cannot redefine built-in gate 'U'"},
		{"register named CX", "OPENQASM 2.0;\nqreg CX[1];", "t.qasm:2:6: 'CX' is a built-in gate"},
		{"qelib1 after a clashing gate", "OPENQASM 2.0;\ngate h a { }\ninclude \"qelib1.inc\";", "t.qasm:3:9: qelib1.inc defines gate 'h', already declared (gate at t.qasm:2:6)"},
		{"duplicate parameter", "OPENQASM 2.0;\ngate g(a, a) q { }", "t.qasm:2:11: duplicate parameter 'a' in gate 'g'"},
		{"duplicate formal qubit", "OPENQASM 2.0;\ngate g a, b, a { }", "t.qasm:2:14: duplicate qubit argument 'a' in gate 'g'"},
		{"parameter named like qubit", "OPENQASM 2.0;\ngate g(a) a { }", "t.qasm:2:11: duplicate qubit argument 'a' in gate 'g'"},
		{"zero-size register", "OPENQASM 2.0;\nqreg q[0];", "t.qasm:2:8: register 'q' must have at least one qubit"},
		{"huge register", "OPENQASM 2.0;\nqreg q[100000000];", "t.qasm:2:8: register 'q' is too large: 100000000 qubits (at most 1048576)"},
		{"huge classical register", "OPENQASM 2.0;\ncreg c[1048577];", "t.qasm:2:8: register 'c' is too large: 1048577 bits (at most 1048576)"},
		{"too many qubits in all", "OPENQASM 2.0;\nqreg a[1048576];\nqreg b[1];", "t.qasm:3:8: too many qubits: register 'b' brings the total to 1048577 (at most 1048576)"},
		{"register size overflow", "OPENQASM 2.0;\nqreg a[999999999999999999999999999];", "t.qasm:2:8: register 'a' is too large"},

		// Gate bodies.
		{"indexed qubit in body", hdr + "gate g a { h a[0]; }", "t.qasm:3:15: qubit arguments cannot be indexed inside a gate body"},
		{"recursive gate", hdr + "gate g a { h a; g a; }", "t.qasm:3:17: gate 'g' is used in its own definition (recursive gates are not allowed)"},
		{"recursive redefinition", hdr + "gate h a { h a; }", "t.qasm:3:12: gate 'h' is used in its own definition"},
		{"gate used before declaration", hdr + "gate g a { f a; }\ngate f a { h a; }", "t.qasm:3:12: unknown gate 'f' (not declared; missing include?)"},
		{"undeclared qubit in body", hdr + "gate g a, b { cx a, c; }", "t.qasm:3:21: undeclared qubit 'c' in gate 'g' (its qubit arguments: a, b)"},
		{"parameter as qubit", hdr + "gate g(t) a { h t; }", "t.qasm:3:17: 't' is a parameter of gate 'g', not a qubit argument"},
		{"undefined parameter", hdr + "gate g(t) a { rx(s) a; }", "t.qasm:3:18: undefined parameter 's' in gate 'g'"},
		{"qubit as parameter", hdr + "gate g(t) a { rx(a) a; }", "t.qasm:3:18: 'a' is a qubit argument of gate 'g', not a parameter"},
		{"same qubit twice in body", hdr + "gate g a, b { cx a, a; }", "t.qasm:3:21: qubit 'a' used twice in one gate"},
		{"measure in body", hdr + "gate g a { measure a -> c; }", "t.qasm:3:12: measure is not allowed inside a gate body"},
		{"reset in body", hdr + "gate g a { reset a; }", "t.qasm:3:12: reset is not allowed inside a gate body"},
		{"qreg in body", hdr + "gate g a { h a;\nqreg q[1];", "t.qasm:4:1: expected '}' to end the body of gate 'g', found 'qreg'"},
		{"opaque in body", hdr + "qreg q[1];\nopaque o a;\ngate g a { o a; }", "t.qasm:5:12: cannot apply opaque gate 'o'"},
		{"body arity", hdr + "gate g a { cx a; }", "t.qasm:3:12: gate 'cx' takes 2 qubit arguments, found 1"},

		// Expressions.
		{"NaN", q2 + "rx(0/0) q[0];", "t.qasm:5:4: expression 0/0 evaluates to NaN"},
		{"ln(0)", q2 + "rx(ln(0)) q[0];", "t.qasm:5:4: expression ln(0) evaluates to -Inf"},
		{"division by zero", q2 + "rx(1/0) q[0];", "t.qasm:5:4: expression 1/0 evaluates to +Inf"},
		{"sqrt(-1)", q2 + "U(0, sqrt(-1), 0) q[0];", "t.qasm:5:6: expression sqrt(-1) evaluates to NaN"},
		{"overflowing power", q2 + "rx(10^400) q[0];", "t.qasm:5:4: expression 10^400 evaluates to +Inf"},
		{"number out of range", q2 + "rx(1e999) q[0];", "t.qasm:5:4: number 1e999 out of range"},
		{"NaN in gate body", hdr + "gate g(t) a { rx(t + ln(0)) a; }", "t.qasm:3:18: expression t+ln(0) evaluates to -Inf"},
		{"identifier outside a gate", q2 + "rx(theta) q[0];", "t.qasm:5:4: undefined identifier 'theta'"},
		{"nested too deeply", q2 + "rx(" + strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300) + ") q[0];", "t.qasm:5:260: expression nested too deeply"},
		{"minus signs nested too deeply", q2 + "rx(" + strings.Repeat("-", 300) + "1) q[0];", "t.qasm:5:260: expression nested too deeply"},
		{"expression too long", q2 + "rx(" + strings.Repeat("1+", 3000) + "1) q[0];", "t.qasm:5:4: expression too long (more than 4096 terms)"},

		// Includes.
		{"missing include", "OPENQASM 2.0;\ninclude \"nope.inc\";", "t.qasm:2:9: cannot include \"nope.inc\": "},
		{"include itself", "OPENQASM 2.0;\ninclude \"t.qasm\";", "t.qasm:2:9: include cycle: t.qasm includes t.qasm"},
		{"empty include name", "OPENQASM 2.0;\ninclude \"\";", "t.qasm:2:9: empty include file name"},
		{"include without string", "OPENQASM 2.0;\ninclude qelib1.inc;", "t.qasm:2:9: expected file name in double quotes, found 'qelib1'"},
	}
	files := map[string]string{"t.qasm": "OPENQASM 2.0;\ninclude \"t.qasm\";"}
	opts := &Options{ReadFile: mapFS(files)}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := parseErr(t, tt.src, opts)
			if got := list[0].Error(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("first error:\ngot  %s\nwant %s...\nall errors:\n%v", got, tt.want, list)
			}
		})
	}
}

// mapFS returns a ReadFile over an in-memory file system.
func mapFS(files map[string]string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
}

// TestRecovery checks that one pass finds every independent error, in order,
// and that the statements between them are still read.
func TestRecovery(t *testing.T) {
	src := hdr + `qreg q[2]
creg c[2];
h q[5];
cx q[0] q[1];
gate g a { h a[0]; x b; }
measure q -> c;
rx(1/0) q[0];
g q[0];
`
	list := parseErr(t, src, nil)
	want := []string{
		"t.qasm:4:1: expected ';', found 'creg'",
		"t.qasm:5:5: index 5 out of range: register 'q' has 2 qubits",
		"t.qasm:6:9: expected ';', found 'q'",
		"t.qasm:7:15: qubit arguments cannot be indexed inside a gate body",
		"t.qasm:7:22: undeclared qubit 'b' in gate 'g' (its qubit arguments: a)",
		"t.qasm:9:4: expression 1/0 evaluates to +Inf",
	}
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if list.Error() != strings.Join(want, "\n") {
		t.Errorf("ErrorList.Error() = %q", list.Error())
	}
}

func TestTooManyErrors(t *testing.T) {
	src := hdr + "qreg q[1];\n" + strings.Repeat("foo q[0];\n", 50)
	list := parseErr(t, src, nil)
	if len(list) != MaxErrors+1 {
		t.Fatalf("%d errors, want %d", len(list), MaxErrors+1)
	}
	for i, e := range list[:MaxErrors] {
		if want := fmt.Sprintf("t.qasm:%d:1: unknown gate 'foo'", 4+i); !strings.HasPrefix(e.Error(), want) {
			t.Errorf("error %d = %s, want %s...", i, e, want)
		}
	}
	if got := list[MaxErrors].Error(); got != "t.qasm:14:1: too many errors" {
		t.Errorf("last error = %q", got)
	}
}

func TestErrorList(t *testing.T) {
	var l ErrorList
	if l.Err() != nil || l.Error() != "no errors" {
		t.Errorf("empty list: Err %v, Error %q", l.Err(), l.Error())
	}
	l.Add(Pos{"b.qasm", 1, 1}, "e1")
	l.Add(Pos{"a.qasm", 9, 2}, "e2")
	l.Add(Pos{"a.qasm", 3, 7}, "e3")
	l.Add(Pos{"a.qasm", 3, 2}, "e4")
	l.Add(Pos{"a.qasm", 3, 2}, "e0")
	l.Sort()
	want := "a.qasm:3:2: e0\na.qasm:3:2: e4\na.qasm:3:7: e3\na.qasm:9:2: e2\nb.qasm:1:1: e1"
	if l.Error() != want {
		t.Errorf("sorted:\n%s\nwant:\n%s", l.Error(), want)
	}
	if !sort.IsSorted(l) {
		t.Error("not sorted")
	}
	var target ErrorList
	if !errors.As(l.Err(), &target) || len(target) != 5 {
		t.Errorf("errors.As failed")
	}
	for _, tt := range []struct {
		pos  Pos
		want string
	}{{Pos{"f", 1, 2}, "f:1:2"}, {Pos{"", 1, 2}, "1:2"}, {Pos{"f", 0, 0}, "f"}, {Pos{}, "-"}} {
		if got := tt.pos.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.pos, got, tt.want)
		}
	}
	if got := (Warning{Pos{"f", 1, 2}, "m"}).String(); got != "f:1:2: warning: m" {
		t.Errorf("Warning.String() = %q", got)
	}
	if got := (&Error{Pos{"f", 1, 2}, "m"}).String(); got != "f:1:2: m" {
		t.Errorf("Error.String() = %q", got)
	}
}

// TestIncludes reads includes from an in-memory file system: paths relative
// to the including file, nested directories, errors positioned in the file
// they are in, cycles, and depth limits.
func TestIncludes(t *testing.T) {
	files := map[string]string{
		"dir/main.qasm":        "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ninclude \"lib/gates.inc\";\nqreg q[2];\nmygate q[0], q[1];\nmore q[0];",
		"dir/lib/gates.inc":    "// gates\ngate mygate a, b { cx a, b; }\ninclude \"sub/more.inc\";",
		"dir/lib/sub/more.inc": "gate more a { h a; }",
		"dir/bad.qasm":         "OPENQASM 2.0;\ninclude \"lib/bad.inc\";\nqreg q[1];",
		"dir/lib/bad.inc":      "gate g a {\n  foo a;\n}",
		"dir/cycle.qasm":       "OPENQASM 2.0;\ninclude \"a.inc\";",
		"dir/a.inc":            "include \"b.inc\";",
		"dir/b.inc":            "\ninclude \"a.inc\";",
		"dir/v.inc":            "OPENQASM 2.0;\ngate v a { U(0,0,0) a; }",
		"dir/v3.inc":           "OPENQASM 3.0;\ngate v a { U(0,0,0) a; }",
		"dir/deep.qasm":        "include \"d.inc\";",
		"dir/d.inc":            "include \"./d2.inc\";",
		"dir/d2.inc":           "include \"d3.inc\";",
		"dir/d3.inc":           "include \"./d.inc\";",
	}
	opts := &Options{ReadFile: mapFS(files)}

	c, w, err := ParseFile("dir/main.qasm", opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != 0 {
		t.Errorf("warnings: %v", w)
	}
	if len(c.Defs) != 2 || c.Defs[0].Name != "mygate" || c.Defs[1].Name != "more" {
		t.Errorf("Defs = %v", c.Defs)
	}
	u, err := c.Unitary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(u, seq(2, cnot(0, 1, 2), on(mH, 0, 2))); d > 1e-12 {
		t.Errorf("unitary differs by %g", d)
	}

	for _, tt := range []struct{ file, want string }{
		{"dir/bad.qasm", "dir/lib/bad.inc:2:3: unknown gate 'foo'"},
		{"dir/cycle.qasm", "dir/b.inc:2:9: include cycle: dir/a.inc includes dir/b.inc includes dir/a.inc"},
		{"dir/deep.qasm", "dir/d3.inc:1:9: include cycle: dir/d.inc includes dir/d2.inc includes dir/d3.inc includes dir/d.inc"},
	} {
		_, _, err := ParseFile(tt.file, opts)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %s...", tt.file, err, tt.want)
		}
	}

	// A version line at the start of an included file is allowed; version 3 is not.
	if _, _, err := Parse("dir/x.qasm", []byte("include \"v.inc\";\nqreg q[1];\nv q[0];"), opts); err != nil {
		t.Errorf("include with a version line: %v", err)
	}
	_, _, err = Parse("dir/x.qasm", []byte("include \"v3.inc\";"), opts)
	if err == nil || !strings.HasPrefix(err.Error(), "dir/v3.inc:1:10: included file is OpenQASM 3.0, the program is OpenQASM 2") {
		t.Errorf("include of version 3: %v", err)
	}

	// Including the same file twice redeclares its gates.
	_, _, err = Parse("dir/x.qasm", []byte("include \"lib/sub/more.inc\";\ninclude \"lib/sub/more.inc\";"), opts)
	if err == nil || !strings.Contains(err.Error(), "dir/lib/sub/more.inc:1:6: 'more' already declared (gate at dir/lib/sub/more.inc:1:6)") {
		t.Errorf("double include: %v", err)
	}

	// Nesting beyond the limit without a cycle.
	deep := map[string]string{}
	for i := 0; i < 40; i++ {
		deep[fmt.Sprintf("n%d.inc", i)] = fmt.Sprintf("include \"n%d.inc\";", i+1)
	}
	deep["n40.inc"] = ""
	_, _, err = Parse("main.qasm", []byte("include \"n0.inc\";"), &Options{ReadFile: mapFS(deep)})
	if err == nil || !strings.Contains(err.Error(), "includes nested more than 32 deep") {
		t.Errorf("deep includes: %v", err)
	}

	// A file that includes another one twice at every level would take
	// exponential time without a limit on includes.
	tree := map[string]string{}
	for i := 0; i < 30; i++ {
		tree[fmt.Sprintf("t%d.inc", i)] = fmt.Sprintf("include \"t%d.inc\"; include \"t%d.inc\";", i+1, i+1)
	}
	tree["t30.inc"] = "// leaf"
	_, _, err = Parse("main.qasm", []byte("include \"t0.inc\";"), &Options{ReadFile: mapFS(tree)})
	if err == nil || !strings.Contains(err.Error(), "more than 256 include statements") {
		t.Errorf("include tree: %v", err)
	}

	// ParseFile returns the read error of the file itself.
	if _, _, err := ParseFile("dir/none.qasm", opts); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ParseFile of a missing file: %v", err)
	}
}

// TestIncludeFromDisk uses the default ReadFile on files in testdata.
func TestIncludeFromDisk(t *testing.T) {
	c, _, err := ParseFile("testdata/include/main.qasm", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Defs) != 1 || c.Defs[0].Name != "swap2" {
		t.Fatalf("Defs = %v", c.Defs)
	}
	u, err := c.Unitary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(u, seq(2, on(mX, 0, 2), cnot(0, 1, 2), cnot(1, 0, 2), cnot(0, 1, 2))); d > 1e-12 {
		t.Errorf("unitary differs by %g", d)
	}
	_, _, err = ParseFile("testdata/include/missing.qasm", nil)
	if err == nil || !strings.HasPrefix(err.Error(), "testdata/include/missing.qasm:2:9: cannot include \"no-such-file.inc\": open testdata/include/no-such-file.inc: no such file or directory") {
		t.Errorf("missing include: %v", err)
	}
}

// TestLimits checks that the reader refuses circuits above Options.MaxOps
// instead of running out of memory.
func TestLimits(t *testing.T) {
	src := "OPENQASM 2.0;\nqreg q[1000];\nbarrier q;\nbarrier q;\n"
	if _, _, err := Parse("t.qasm", []byte(src), &Options{MaxOps: 2000}); err != nil {
		t.Errorf("at the limit: %v", err)
	}
	_, _, err := Parse("t.qasm", []byte(src+"U(0,0,0) q[0];"), &Options{MaxOps: 2000})
	if err == nil || err.Error() != "t.qasm:5:1: circuit too large: more than 2000 qubit operations after broadcasting registers and unrolling loops, the most born reads" {
		t.Errorf("over the limit: %v", err)
	}
	// Barriers on a big register count every qubit: five of them exceed the
	// default limit (without allocating millions of operations).
	src = "OPENQASM 2.0;\nqreg q[1048576];\n" + strings.Repeat("barrier q;\n", 5)
	_, _, err = Parse("t.qasm", []byte(src), nil)
	if err == nil || !strings.Contains(err.Error(), "circuit too large") {
		t.Errorf("default limit: %v", err)
	}
}

// TestGarbage feeds random bytes and mutated programs: no panic, and every
// error is positioned.
func TestGarbage(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	base := []byte(hdr + "gate g(t) a, b { rx(t/2) a; cx a, b; }\nqreg q[3];\ncreg c[3];\nh q;\ng(pi^2) q[0], q[1];\nif (c == 2) measure q -> c;\n")
	for i := 0; i < 2000; i++ {
		var src []byte
		if i%2 == 0 {
			src = make([]byte, rng.Intn(300))
			rng.Read(src)
		} else {
			src = append([]byte(nil), base...)
			for k := rng.Intn(4) + 1; k > 0; k-- {
				src[rng.Intn(len(src))] = byte(rng.Intn(256))
			}
		}
		c, _, err := Parse("g.qasm", src, nil)
		if err == nil {
			if err := c.Validate(); err != nil {
				t.Fatalf("invalid circuit from %q: %v", src, err)
			}
			continue
		}
		var list ErrorList
		if !errors.As(err, &list) || len(list) == 0 || len(list) > MaxErrors+1 {
			t.Fatalf("bad error %v for %q", err, src)
		}
		for _, e := range list {
			if e.File != "g.qasm" || e.Line < 1 || e.Col < 1 {
				t.Fatalf("unpositioned error %q for %q", e.Error(), src)
			}
		}
	}
}
