package detect

import (
	"testing"
)

// TestMarkdownForms: keys pasted into Markdown and reStructuredText code blocks and commands.
func TestMarkdownForms(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"restructured text docs", "docs/deployment.rst", "Set it::\n\n    SECRET_KEY = '{k}'\n", hk(3, "{k}")},
		{"inline variable in docs", "README.md", "    DJANGO_SECRET_KEY={k} python manage.py check --deploy\n", hk(1, "{k}")},
		{"key in a Markdown code block", "docs/setup.md", "```python\nSECRET_KEY = '{k}'\n```\n", hk(2, "{k}")},
		{"key in reStructuredText", "docs/deploy.rst", ".. code-block:: bash\n\n   export DJANGO_SECRET_KEY='{k}'\n", hk(3, "{k}")},
	})
}

// TestMarkdownTraps: placeholders and prose in docs.
func TestMarkdownTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"angle placeholder", "README.md", "SECRET_KEY = '<your-key>'\n", none},
		{"elided in docs", "README.md", "Set `DJANGO_SECRET_KEY='…'` or SECRET_KEY = '...' or SECRET_KEY: \"xxxx\"\n", none},
		{"unquoted word in markdown", "README.md", "Set SECRET_KEY = your-own-value in production.\n", none},
	})
}
