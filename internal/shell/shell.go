// Package shell spells words for a POSIX shell (sh, bash, dash, zsh), for
// the commands djguard prints for a user to paste and the hooks it
// writes. It is the one place djguard quotes for a shell.
package shell

import "strings"

// Quote returns s as one word that a POSIX shell reads back as s: as it
// is when it holds only characters no shell treats specially, else in
// single quotes, each single quote of s closing the quotes, escaped with a
// backslash, and opening them again. Nothing in
// single quotes is expanded, so no file name can run a command or split
// into two words.
func Quote(s string) string {
	// A word that starts with = is expanded by zsh (=cmd is cmd's path).
	if s != "" && s[0] != '=' && strings.Trim(s, plain) == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// plain are the characters a shell reads as themselves anywhere in a word:
// no quotes, no $, `, \, glob or brace characters, no blank, no ~ (which
// expands at a word's start), no ; & | < > ( ) # !.
const plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./@%+=:,-"
