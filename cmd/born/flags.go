package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"born/statevector"
)

// hiddenAliases makes old spellings of a command's flags (the keys of
// old2new) work as hidden aliases of the current ones: they parse as the
// new flag, and help shows only the new name.
func hiddenAliases(cmd *cobra.Command, old2new map[string]string) {
	cmd.Flags().SetNormalizeFunc(func(_ *pflag.FlagSet, name string) pflag.NormalizedName {
		if n, ok := old2new[name]; ok {
			return pflag.NormalizedName(n)
		}
		return pflag.NormalizedName(name)
	})
}

// helpWidth is the widest line born's help prints.
const helpWidth = 100

// usageTemplate is cobra's default usage template with flag descriptions
// wrapped to helpWidth columns.
const usageTemplate = `Usage:{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Available Commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{wrappedFlagUsages .LocalFlags | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

Global Flags:
{{wrappedFlagUsages .InheritedFlags | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} [command] --help" for more information about a command.{{end}}
`

func init() {
	cobra.AddTemplateFunc("wrappedFlagUsages", func(f *pflag.FlagSet) string { return f.FlagUsagesWrapped(helpWidth) })
}

// hangingIndent wraps s at spaces to lines of at most width columns, the
// lines after the first indented by indent spaces.
func hangingIndent(s string, indent, width int) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Split(s, " ") {
		if i > 0 && line+1+len(w) > width && strings.TrimSpace(w) != "" && line > indent {
			b.WriteString("\n" + strings.Repeat(" ", indent))
			line = indent
		} else if i > 0 {
			b.WriteByte(' ')
			line++
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}

// runDirClock gives the time that names a new run folder (tests pin it to
// make runs start "in the same second" on any machine, however loaded).
var runDirClock = time.Now

// newRunDir creates and returns a new directory runs/<prefix><date>-<time>
// for a run's results. Runs started in the same second get -2, -3, ...:
// the directory is claimed with an exclusive mkdir, so two processes never
// share one.
func newRunDir(prefix string) (string, error) {
	if err := os.MkdirAll("runs", 0o755); err != nil {
		return "", err
	}
	base := filepath.Join("runs", prefix+runDirClock().Format("20060102-150405"))
	for i := 1; ; i++ {
		dir := base
		if i > 1 {
			dir = fmt.Sprintf("%s-%d", base, i)
		}
		err := os.Mkdir(dir, 0o755)
		if err == nil {
			return dir, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
}

// withEngineHint adds to a state vector's memory refusal what a command
// with --engine can do about it.
func withEngineHint(err error) error {
	var me *statevector.MemoryError
	if errors.As(err, &me) {
		return fmt.Errorf("%w; use the MPS engine (--engine mps) for many qubits at low entanglement", err)
	}
	return err
}
