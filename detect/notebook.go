package detect

// notebookSyntax is a Jupyter notebook: Python source held in JSON
// strings, so a quote in the source is written \" (parseQuoted and
// quoteBefore read both). Values are read as in Python; a KEY=value
// printed in a cell's output is read as the JSON string's text.
var notebookSyntax = &syntax{bare: bareNever, python: true, jsonStrings: true}
