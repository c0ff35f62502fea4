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
		{"a .env placeholder in an env code block is weak", "README.md", "Copy this:\n\n```env\nDEBUG=1\nSECRET_KEY=put-yours-here\n```\n",
			[]want{{WeakKey, Low, 5, "put-yours-here"}}},
		{"an export in a bash code block inside a list is weak", "docs/setup.md", "1. Export it:\n   ```bash\n   export DJANGO_SECRET_KEY=not-for-production\n   ```\n",
			[]want{{WeakKey, Low, 3, "not-for-production"}}},
		{"a console block with a tilde fence", "docs/setup.md", "~~~console\n$ DJANGO_SECRET_KEY=dev python manage.py runserver\n~~~\n",
			[]want{{WeakKey, Low, 2, "dev"}}},
		{"a random key in an env code block is high", "README.md", "```dotenv\nSECRET_KEY=" + hexKey + "\n```\n", hk(2, hexKey)},
	})
}

// TestMarkdownTraps: placeholders and prose in docs.
func TestMarkdownTraps(t *testing.T) {
	runDetectCases(t, []detectCase{
		{"angle placeholder", "README.md", "SECRET_KEY = '<your-key>'\n", none},
		{"elided in docs", "README.md", "Set `DJANGO_SECRET_KEY='…'` or SECRET_KEY = '...' or SECRET_KEY: \"xxxx\"\n", none},
		{"unquoted word in markdown", "README.md", "Set SECRET_KEY = your-own-value in production.\n", none},
		{"a bare word after a closed env block is prose again", "README.md", "```env\nDEBUG=1\n```\nSet SECRET_KEY=your-own-value in production.\n", none},
		{"a fence quoted inside a longer fence opens no block", "README.md", "````\n```env\n````\nSECRET_KEY=your-own-value\n", none},
		{"a bare word in a python block is an expression", "README.md", "```python\nSECRET_KEY = get_key\n```\n", none},
		{"a placeholder and a command in a shell block", "README.md", "```sh\nSECRET_KEY=<your-key>\nexport SECRET_KEY=$(openssl rand -hex 32)\n```\n", none},
	})
}
