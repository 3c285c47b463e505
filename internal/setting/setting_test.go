package setting

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

func flag(n string) string { return "--" + strings.ReplaceAll(n, "_", "-") }

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		err          error
		lib, renamed string
	}{
		{Errorf("{lr} %g: must be > 0", -1.0), "lr -1: must be > 0", "--lr -1: must be > 0"},
		{Errorf("{checkpoint_every} %d: need at least 1", 0), "checkpoint_every 0: need at least 1", "--checkpoint-every 0: need at least 1"},
		{Errorf("{shots} needs {loss} mmd: %s has none", "kl"), "shots needs loss mmd: kl has none", "--shots needs --loss mmd: kl has none"},
		// Braces that are not a setting's name stay; so do braces in values.
		{Errorf(`want {"params": [...]}, {} or {X}: %s`, "{lr}"), `want {"params": [...]}, {} or {X}: {lr}`, `want {"params": [...]}, {} or {X}: {lr}`},
		{Errorf("{a1} 100%% of {b_2"), "a1 100% of {b_2", "--a1 100% of {b_2"},
		// Wrapped: the outer message keeps its words, the inner is renamed.
		{fmt.Errorf("run r: %w", Errorf("{steps} %d: too few", 0)), "run r: steps 0: too few", "run r: --steps 0: too few"},
		{errors.New("plain"), "plain", "plain"},
	} {
		if got := tc.err.Error(); got != tc.lib {
			t.Errorf("Error() = %q, want %q", got, tc.lib)
		}
		if got := Rename(tc.err, flag); got != tc.renamed {
			t.Errorf("Rename = %q, want %q", got, tc.renamed)
		}
	}
	// %w in the format wraps.
	err := Errorf("{circuit}: %w", fs.ErrNotExist)
	if !errors.Is(err, fs.ErrNotExist) || Rename(err, flag) != "--circuit: file does not exist" {
		t.Errorf("%v / %s", err, Rename(err, flag))
	}
	// A name that needs a percent sign.
	if got := Rename(Errorf("{lr} %g", 1.0), func(string) string { return "100%" }); got != "100% 1" {
		t.Errorf("got %q", got)
	}
}
