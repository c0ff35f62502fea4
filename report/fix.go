package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/djguard/djguard/fix"
)

// This file is fix's text beyond its diff: how settings get the key
// fix puts in .env.

// FixLoading writes how settings get the variables in .env and, once
// written, when nothing loads it, what makes Django find them: a sh line
// to run before Django starts, and the settings line when the project
// lists python-dotenv. shown is how the user's shell reaches .env.
func FixLoading(w io.Writer, plan *fix.Plan, shown string, written bool) {
	var vars []string
	var missing []fix.Load
	for _, l := range plan.Loads {
		fmt.Fprintf(w, "note: %s\n", l.Note())
		if !l.Reaches {
			missing = append(missing, l)
			vars = appendNew(vars, l.Vars...)
		}
	}
	if !written || len(missing) == 0 {
		return
	}
	names := strings.Join(vars, " and ")
	if line := plan.ShellLoad(shown); line != "" {
		fmt.Fprintf(w, "djguard: so that Django finds %s, run this in the sh or bash shell that starts it (manage.py, or the server), before starting it:\n    %s\n", names, line)
	} else {
		fmt.Fprintf(w, "djguard: sh cannot read %s as it is: put %s from it in the environment Django starts in.\n", shown, names)
	}
	for _, l := range missing {
		if l.Suggest != "" {
			fmt.Fprintf(w, "djguard: or, since %s, add this line to %s after line %d:\n    %s\n", l.SuggestWhy, l.Module, l.After, l.Suggest)
		}
	}
}

func appendNew(list []string, items ...string) []string {
	for _, s := range items {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
