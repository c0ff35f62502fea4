package fix

import (
	"fmt"
	"slices"
	"strings"
)

// LoadingAdvice says, a line each, how settings get the variables in .env and, once
// written, when nothing loads it, what makes Django find them: a sh line
// to run before Django starts, and the settings line when the project
// lists python-dotenv. shown is how the user's shell reaches .env.
func (plan *Plan) LoadingAdvice(shown string, written bool) []string {
	var out []string
	var vars []string
	var missing []Load
	for _, l := range plan.Loads {
		out = append(out, "note: "+l.Note())
		if !l.Reaches {
			missing = append(missing, l)
			vars = appendNew(vars, l.Vars...)
		}
	}
	if !written || len(missing) == 0 {
		return out
	}
	names := strings.Join(vars, " and ")
	if line := plan.ShellLoad(shown); line != "" {
		out = append(out, fmt.Sprintf("djguard: so that Django finds %s, run this in the sh or bash shell that starts it (manage.py, or the server), before starting it:\n    %s", names, line))
	} else {
		out = append(out, fmt.Sprintf("djguard: sh cannot read %s as it is: put %s from it in the environment Django starts in.", shown, names))
	}
	for _, l := range missing {
		if l.Suggest != "" {
			out = append(out, fmt.Sprintf("djguard: or, since %s, add this line to %s after line %d:\n    %s", l.SuggestWhy, l.Module, l.After, l.Suggest))
		}
	}
	return out
}

func appendNew(list []string, items ...string) []string {
	for _, s := range items {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
	}
	return list
}
