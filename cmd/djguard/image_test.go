package main

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/djguard/djguard/detect"
	"github.com/djguard/djguard/internal/testenv"
)

// TestScanImageFindsEachKeyWhereTheImageHoldsIt builds an image with
// umoci — a settings module a later layer deletes, a key in the config's
// Env, a build argument a RUN step saw, and an ARG step with no layer —
// and converts it with skopeo to oci-archive and docker-archive. In each
// layout, djguard finds each key with the layer and step, or the config
// field, it stands in, marks the deleted file so, and exits 1; the JSON
// and SARIF reports validate and print no whole key; an image with no key
// exits 0.
func TestScanImageFindsEachKeyWhereTheImageHoldsIt(t *testing.T) {
	inLayer, inEnv, inRun, inArg := testenv.FakeKey("layer"), testenv.FakeKey("env"), testenv.FakeKey("run"), testenv.FakeKey("arg")
	layout := testenv.OCIImage(t, testenv.ImageSpec{
		Layers: []testenv.ImageLayer{
			{Files: map[string]string{"app/settings.py": "DEBUG = False\nSECRET_KEY = '" + inLayer + "'\n", "app/views.py": "x = 1\n"}, CreatedBy: "COPY app /app"},
			{Delete: []string{"app/settings.py"}, CreatedBy: "RUN |1 SECRET_KEY=" + inRun + " /bin/sh -c python manage.py collectstatic && rm app/settings.py"},
		},
		Env:        []string{"PATH=/usr/bin", "DJANGO_SECRET_KEY=" + inEnv},
		Cmd:        []string{"gunicorn", "app.wsgi"},
		Labels:     map[string]string{"org.opencontainers.image.title": "shop"},
		EmptySteps: []string{"ARG SECRET_KEY=" + inArg},
	})
	images := map[string]string{
		"oci layout":     layout,
		"oci-archive":    testenv.OCIArchive(t, layout),
		"docker-archive": testenv.DockerArchive(t, layout),
	}
	for kind, image := range images {
		code, stdout, stderr := runCLI(t, filepath.Dir(image), "scan", "--image", filepath.Base(image), "--format", "json")
		if code != exitFindings {
			t.Fatalf("%s: exit %d, stderr %q", kind, code, stderr)
		}
		if err := testenv.Validate(t, testenv.Schema(t, filepath.Join("..", "..", "report", "report.schema.json")), []byte(stdout)); err != nil {
			t.Errorf("%s: the JSON report does not validate: %v", kind, err)
		}
		var rep struct {
			Findings []struct {
				Path        string
				Line        int
				Fingerprint string
				Image       struct {
					Image, Layer, Step, Field string
					Platforms                 []string
					Deleted                   bool
				}
			}
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			where := f.Image.Field
			if f.Image.Layer != "" {
				where = "layer " + f.Image.Step
			}
			got = append(got, fmt.Sprintf("%s:%d %s deleted=%v %s", f.Path, f.Line, where, f.Image.Deleted, fingerprintOwner(f.Fingerprint, inLayer, inEnv, inRun, inArg)))
		}
		slices.Sort(got)
		base := filepath.Base(image)
		want := []string{
			base + "!/app/settings.py:2 layer COPY app /app deleted=true layer",
			base + "!/config.json:1 Env deleted=false env",
			base + "!/config.json:1 history[1] deleted=false run",
			base + "!/config.json:1 history[2] deleted=false arg",
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: found\n%s\nwant\n%s", kind, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for _, k := range []string{inLayer, inEnv, inRun, inArg} {
			if strings.Contains(stdout, k) {
				t.Errorf("%s: a whole key is in the JSON report", kind)
			}
		}
		code, sarif, stderr := runCLI(t, filepath.Dir(image), "scan", "--image", filepath.Base(image), "--format", "sarif")
		if code != exitFindings {
			t.Fatalf("%s: SARIF: exit %d, stderr %q", kind, code, stderr)
		}
		if err := testenv.Validate(t, testenv.SARIFSchema(t), []byte(sarif)); err != nil {
			t.Errorf("%s: the SARIF does not validate: %v", kind, err)
		}
		code, text, _ := runCLI(t, filepath.Dir(image), "scan", "--image", filepath.Base(image))
		if code != exitFindings || !strings.Contains(text, "a later layer deletes the file") || !strings.Contains(text, "RUN --mount=type=secret") {
			t.Errorf("%s: the text report does not say the file is deleted later and how to rebuild:\n%s", kind, text)
		}
	}

	clean := testenv.OCIImage(t, testenv.ImageSpec{
		Layers: []testenv.ImageLayer{{Files: map[string]string{"app/settings.py": "import os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"}, CreatedBy: "COPY app /app"}},
		Env:    []string{"PATH=/usr/bin"},
	})
	for _, image := range []string{clean, testenv.DockerArchive(t, clean)} {
		if code, stdout, stderr := runCLI(t, filepath.Dir(image), "scan", "--image", filepath.Base(image)); code != exitClean {
			t.Errorf("a clean image: exit %d\n%s%s", code, stdout, stderr)
		}
	}
}

// fingerprintOwner names which of the keys has the fingerprint.
func fingerprintOwner(fp string, layer, env, run, arg string) string {
	for name, k := range map[string]string{"layer": layer, "env": env, "run": run, "arg": arg} {
		if detect.Fingerprint(k) == fp {
			return name
		}
	}
	return "?"
}

// A path typed on the command line is quoted whole in what djguard says
// of it, even one the detector's rules would call a key: a random-looking
// temporary directory's archive, named as not read.
func TestMessagesQuoteTypedPathsOfArchivesWhole(t *testing.T) {
	dir := t.TempDir()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	tw.WriteHeader(&tar.Header{Name: "big", Mode: 0o644, Size: 2 << 20, Typeflag: tar.TypeReg})
	tw.Write(make([]byte, 2<<20))
	tw.Close()
	name := filepath.Join(dir, "x.tar")
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, stderr := runCLI(t, dir, "scan", "--max-file-size", "1MB", name)
	if !strings.Contains(stderr, name+"!/big") {
		t.Errorf("the archive's path is not quoted whole: %q", stderr)
	}
}

// In a CI job, an image's key is annotated with the image's next step,
// not the repository's: no 'fix --write' for a file in a layer.
func TestImageAnnotationsSayHowToRebuild(t *testing.T) {
	key := testenv.FakeKey("annotated")
	layout := testenv.OCIImage(t, testenv.ImageSpec{
		Layers: []testenv.ImageLayer{{Files: map[string]string{"app/settings.py": "SECRET_KEY = '" + key + "'\n"}, CreatedBy: "COPY app /app"}},
	})
	code, stdout, stderr := runCLI(t, filepath.Dir(layout), "scan", "--image", filepath.Base(layout), "--format", "github")
	if code != exitFindings {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "::error file=oci!/app/settings.py,line=1") || !strings.Contains(stdout, "build secret") || strings.Contains(stdout, "fix --write") {
		t.Errorf("the annotation: %q", stdout)
	}
}

// A history step is redacted before the text report cuts it short: a key
// the cut would split is not printed in part.
func TestImageStepsAreRedactedBeforeTheyAreCut(t *testing.T) {
	key := testenv.FakeKey("long step")
	step := "RUN |2 DJANGO_ALLOWED_HOSTS=example.com,www.example.com,api.example.com DJANGO_SECRET_KEY=" + key + " /bin/sh -c python manage.py collectstatic"
	layout := testenv.OCIImage(t, testenv.ImageSpec{
		Layers: []testenv.ImageLayer{{Files: map[string]string{"app/settings.py": "SECRET_KEY = '" + key + "'\n"}, CreatedBy: step}},
	})
	_, stdout, stderr := runCLI(t, filepath.Dir(layout), "scan", "--image", filepath.Base(layout))
	// A redacted key shows its first four characters.
	if strings.Contains(stdout+stderr, key[:6]) {
		t.Errorf("part of the key is printed:\n%s", stdout)
	}
	if !strings.Contains(stdout, "made by: RUN |2 DJANGO_ALLOWED_HOSTS=") {
		t.Errorf("the step is not named:\n%s", stdout)
	}
}
