package detect

// markdownSyntax is prose: Markdown, reStructuredText and plain text, where
// keys are pasted into code blocks and sentences. Values are read as in a
// file of unknown syntax: quoted after a key's name, or bare only when they
// look like a Django key, since a bare word in a sentence is mostly prose
// ("set SECRET_KEY = your-own-value").
var markdownSyntax = &syntax{dashInNames: true, bare: bareKeyShaped}
