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

	"born/internal/setting"
	"born/statevector"
)

// inFlagWords makes cmd and its subcommands report library errors in the
// command line's words: a setting the library names (lr, checkpoint_every)
// is printed as its flag (--lr, --checkpoint-every).
func inFlagWords(cmd *cobra.Command) *cobra.Command {
	if run := cmd.RunE; run != nil {
		cmd.RunE = func(c *cobra.Command, args []string) error { return flagWords(run(c, args)) }
	}
	for _, sub := range cmd.Commands() {
		inFlagWords(sub)
	}
	return cmd
}

// flagWords returns err with the settings it names printed as flags.
func flagWords(err error) error {
	var se *setting.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	return &flagError{msg: setting.Rename(err, flagName), err: err}
}

// flagName is the flag of a library setting: --lr for lr,
// --checkpoint-every for checkpoint_every, and the few whose flag has
// another name; values (transpile's parameter values) are given by three
// means.
func flagName(setting string) string {
	switch setting {
	case "values":
		return "values with --param NAME=VALUE, --params FILE.json or a model file"
	case "config_map":
		return "--configmap"
	case "result_claim":
		return "--claim"
	case "backoff_per":
		return "--retries"
	}
	return "--" + strings.ReplaceAll(setting, "_", "-")
}

// flagError is an error whose message names flags; it unwraps to the
// library's error.
type flagError struct {
	msg string
	err error
}

func (e *flagError) Error() string { return e.msg }
func (e *flagError) Unwrap() error { return e.err }

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
		return fmt.Errorf("%w; "+mpsHint, err)
	}
	return err
}

// mpsHint is what a command with --engine can do about a state vector too
// large for memory.
const mpsHint = "use the MPS engine (--engine mps) for many qubits at low entanglement"
