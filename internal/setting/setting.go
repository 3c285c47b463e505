// Package setting is the error of a bad setting in a library's
// configuration. A library names its settings as its configuration does
// (the JSON field names: lr, checkpoint_every), written in braces in the
// message's format: Errorf("{lr} %g: the learning rate must be > 0", lr).
// Error prints the bare names ("lr -1: ..."); a program with its own names
// for the settings, such as the command line's flags, prints them with
// Rename ("--lr -1: ...").
package setting

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a message about settings, with their names left to the reader.
type Error struct {
	format string
	args   []any
	err    error // the message with the settings' own names
}

// Errorf returns an Error; format is fmt.Errorf's, with settings named as
// {name} (lower case letters, digits and underscores).
func Errorf(format string, args ...any) error {
	return &Error{format: format, args: args, err: fmt.Errorf(names(format, func(n string) string { return n }), args...)}
}

// Error returns the message with the settings' own names.
func (e *Error) Error() string { return e.err.Error() }

// Unwrap returns the error that a %w in the format wraps, if any.
func (e *Error) Unwrap() error { return errors.Unwrap(e.err) }

// Rename returns err's message with the settings an Error in its chain
// names printed as name gives them.
func Rename(err error, name func(string) string) string {
	msg := err.Error()
	var se *Error
	if !errors.As(err, &se) {
		return msg
	}
	renamed := fmt.Errorf(names(se.format, name), se.args...).Error()
	return strings.Replace(msg, se.Error(), renamed, 1)
}

// names replaces each {name} in format by name(name), escaping % signs.
func names(format string, name func(string) string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(format, '{')
		if i < 0 {
			b.WriteString(format)
			return b.String()
		}
		j := i + 1
		for j < len(format) && (format[j] >= 'a' && format[j] <= 'z' || format[j] == '_' || j > i+1 && format[j] >= '0' && format[j] <= '9') {
			j++
		}
		if j == i+1 || j >= len(format) || format[j] != '}' {
			b.WriteString(format[:i+1])
			format = format[i+1:]
			continue
		}
		b.WriteString(format[:i])
		b.WriteString(strings.ReplaceAll(name(format[i+1:j]), "%", "%%"))
		format = format[j+1:]
	}
}
