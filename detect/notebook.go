package detect

// notebookSyntax is a Jupyter notebook: Python source held in JSON
// strings, so a quote in the source is written \" (parseQuoted and
// quoteBefore read both). Values are read as in Python.
var notebookSyntax = &syntax{bare: bareNever, python: true}
