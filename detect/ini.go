package detect

// iniSyntax is INI, TOML and their kin (.cfg, .conf, .properties,
// .tfvars): key = value, where the value may be bare and a key may hold
// dashes.
var iniSyntax = &syntax{dashInNames: true, bare: bareAlways, configLike: true}
