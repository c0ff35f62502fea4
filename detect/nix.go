package detect

// nixSyntax is Nix (flake.nix, shell.nix, NixOS modules): NAME = "value";
// in attribute sets, which a dev shell or a service exports as it stands,
// so "..." there is the value set; a name may be quoted ("SECRET_KEY" =
// ...). An unquoted word after NAME = is an expression, but NAME=value
// written tight is a shell line in an indented string (shellHook = ”
// export SECRET_KEY=dev ”), read as shell reads it.
var nixSyntax = &syntax{dashInNames: true, bare: bareKeyShaped, bareStops: ";", asWritten: true,
	forms: []form{(*doc).nixShellLine}}

// nixShellLine handles NAME=value with no blank around '=' in a Nix file:
// a line of shell in an indented string.
func (d *doc) nixShellLine(ts, te int, _ role, _ string) bool {
	if te+1 >= len(d.b) || d.b[te] != '=' {
		return false
	}
	switch d.b[te+1] {
	case ' ', '\t', '\r', '\n', '=', '"':
		return false // an attribute (SECRET_KEY="..."), or a comparison
	}
	outer := d.syn
	d.syn = shellSyntax
	if r := d.roleOf(ts, te); r != roleNone {
		d.named(ts, te, r)
	}
	d.syn = outer
	return true
}
