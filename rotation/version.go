package rotation

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var versionNumber = regexp.MustCompile(`(\d+)\.(\d+)(?:\.(\d+))?`)

// requiredVersion finds Django's version in one requirement line:
// "Django==4.2.1", "django[argon2]>=4.1,<5", "django = \"^4.2\"",
// "\"django~=3.2\",". The name must stand alone, so django-environ and
// django_extensions do not count; the first version after it is taken
// (the lowest a range allows).
func requiredVersion(line string) []string {
	lower := strings.ToLower(line)
	for off := 0; ; {
		i := strings.Index(lower[off:], "django")
		if i < 0 {
			return nil
		}
		i += off
		end := i + len("django")
		off = end
		if i > 0 && isNameChar(lower[i-1]) || end < len(lower) && isNameChar(lower[end]) {
			continue
		}
		rest := lower[end:min(len(lower), end+40)]
		if m := versionNumber.FindStringSubmatch(rest); m != nil {
			return m
		}
	}
}

func isNameChar(c byte) bool {
	return c == '-' || c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// FindVersion looks in dir for the Django version the project uses:
// poetry.lock and Pipfile.lock (exact, pinned) first, then pyproject.toml
// and requirements*.txt (the lowest version a requirement allows). It
// returns nil when none says.
func FindVersion(dir string) *Version {
	if v := fromPoetryLock(filepath.Join(dir, "poetry.lock")); v != nil {
		return v
	}
	if v := fromPipfileLock(filepath.Join(dir, "Pipfile.lock")); v != nil {
		return v
	}
	if v := fromRequirements(filepath.Join(dir, "pyproject.toml")); v != nil {
		return v
	}
	reqs, _ := filepath.Glob(filepath.Join(dir, "requirements*.txt"))
	more, _ := filepath.Glob(filepath.Join(dir, "requirements", "*.txt"))
	reqs = append(reqs, more...)
	sort.Strings(reqs)
	for _, r := range reqs {
		if v := fromRequirements(r); v != nil {
			return v
		}
	}
	return nil
}

// fromRequirements reads the first line that requires Django with a
// version, in requirements.txt or pyproject.toml syntax.
func fromRequirements(path string) *Version {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if m := requiredVersion(line); m != nil {
			return version(m[1], m[2], m[3], filepath.Base(path)+":"+strconv.Itoa(n))
		}
	}
	return nil
}

// fromPoetryLock reads the version of the package named django.
func fromPoetryLock(path string) *Version {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != `name = "django"` && strings.TrimSpace(l) != `name = "Django"` {
			continue
		}
		for j := i + 1; j < len(lines) && j < i+4; j++ {
			if m := regexp.MustCompile(`^version = "(\d+)\.(\d+)(?:\.(\d+))?`).FindStringSubmatch(strings.TrimSpace(lines[j])); m != nil {
				return version(m[1], m[2], m[3], "poetry.lock:"+strconv.Itoa(j+1))
			}
		}
	}
	return nil
}

// fromPipfileLock reads default.django.version ("==4.2.1").
func fromPipfileLock(path string) *Version {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var lock struct {
		Default map[string]struct {
			Version string `json:"version"`
		} `json:"default"`
	}
	if json.Unmarshal(data, &lock) != nil {
		return nil
	}
	for name, p := range lock.Default {
		if strings.EqualFold(name, "django") {
			m := regexp.MustCompile(`(\d+)\.(\d+)(?:\.(\d+))?`).FindStringSubmatch(p.Version)
			if m != nil {
				return version(m[1], m[2], m[3], "Pipfile.lock")
			}
		}
	}
	return nil
}

func version(major, minor, patch, source string) *Version {
	v := &Version{Source: source}
	v.Major, _ = strconv.Atoi(major)
	v.Minor, _ = strconv.Atoi(minor)
	if patch != "" {
		v.Patch, _ = strconv.Atoi(patch)
	}
	return v
}
