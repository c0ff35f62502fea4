package keygen

import (
	"encoding/json"
	"fmt"
	"strings"
)

// EnvName is the environment variable djguard tells settings to read.
const EnvName = "DJANGO_SECRET_KEY"

// EnvLine returns a NAME='value' line that a POSIX shell (`. file`) and
// python-dotenv both read back as exactly value. Single quotes make both
// take $, #, &, ( and the rest of Django's alphabet literally. The two
// readers escape a single quote differently, so a value holding one (never
// a generated key) or a newline is refused.
func EnvLine(name, value string) (string, error) {
	if strings.ContainsAny(value, "'\n\r") {
		return "", fmt.Errorf("a value with a quote or a newline cannot be written as one %s line both a shell and python-dotenv read the same way", name)
	}
	return name + "='" + value + "'", nil
}

// PythonLine returns a SECRET_KEY = '...' assignment for a settings module.
// Generated keys hold no quote or backslash, so the literal is exact.
func PythonLine(value string) string {
	return fmt.Sprintf("SECRET_KEY = %s", pythonQuote(value))
}

func pythonQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\\', '\'':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// JSON returns keys as one JSON document: {"keys": [...]}.
func JSON(keys []string) ([]byte, error) {
	return json.Marshal(struct {
		Keys []string `json:"keys"`
	}{keys})
}

// Format writes keys one a line as format says: "env" (DJANGO_SECRET_KEY
// lines a shell and python-dotenv read back exactly), "python" (SECRET_KEY
// lines), "json" ({"keys": [...]}), or anything else, the keys as they are.
func Format(keys []string, format string) (string, error) {
	if format == "json" {
		data, err := JSON(keys)
		return string(data) + "\n", err
	}
	var b strings.Builder
	for _, k := range keys {
		switch format {
		case "env":
			line, err := EnvLine(EnvName, k)
			if err != nil {
				return "", err
			}
			b.WriteString(line)
		case "python":
			b.WriteString(PythonLine(k))
		default:
			b.WriteString(k)
		}
		b.WriteByte('\n')
	}
	return b.String(), nil
}
