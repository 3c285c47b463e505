package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// Every command's help fits in helpWidth columns.
func TestHelpWidth(t *testing.T) {
	root := newRootCmd(strings.NewReader(""), nil, nil)
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		args := strings.Fields(c.CommandPath())[1:]
		out, _, err := runBorn(t, "", append(args, "--help")...)
		if err != nil {
			t.Errorf("born %s --help: %v", strings.Join(args, " "), err)
			return
		}
		n++
		for i, line := range strings.Split(out, "\n") {
			if w := len([]rune(line)); w > helpWidth {
				t.Errorf("born %s --help, line %d has %d columns:\n%s", strings.Join(args, " "), i+1, w, line)
			}
		}
	}
	walk(root)
	if n < 15 {
		t.Errorf("walked %d commands' help; expected every command and subcommand", n)
	}
}
