package sweep

import (
	"strconv"
	"strings"
	"testing"
)

// A sweep name holds letters, digits, - and _ only, as its error says: CR,
// NUL and U+2028 (which passed before) are refused like / and spaces.
func TestSweepName(t *testing.T) {
	for _, name := range []string{"a\rb", "a\x00b", "a\u2028b", "a/b", "a b", "a.b", "a\x1bb"} {
		src := strings.Replace(scan, "name: depth-scan", "name: "+strconv.Quote(name), 1)
		if _, err := Parse([]byte(src)); err == nil || !strings.Contains(err.Error(), "use letters, digits, - and _") {
			t.Errorf("name %q: %v", name, err)
		}
	}
	for _, name := range []string{"depth-scan", "bas33_depth2", "Tiefe-Über"} {
		src := strings.Replace(scan, "name: depth-scan", "name: "+strconv.Quote(name), 1)
		if _, err := Parse([]byte(src)); err != nil {
			t.Errorf("name %q: %v", name, err)
		}
	}
}
