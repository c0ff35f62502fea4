package containerimage

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/djguard/djguard/archive"
)

func TestDockerfileLineReadsWhatBuildersRecord(t *testing.T) {
	for createdBy, want := range map[string]string{
		"/bin/sh -c #(nop)  ENV DJANGO_SECRET_KEY=abc":              "ENV DJANGO_SECRET_KEY=abc\n",
		"/bin/sh -c #(nop)  ARG SECRET_KEY":                         "ARG SECRET_KEY\n",
		"|2 SECRET_KEY=abc DEBUG=1 /bin/sh -c python manage.py x":   "ARG SECRET_KEY=abc\nARG DEBUG=1\nRUN python manage.py x\n",
		"RUN |1 SECRET_KEY=abc /bin/sh -c python manage.py collect": "ARG SECRET_KEY=abc\nRUN python manage.py collect\n",
		"/bin/sh -c pip install -r requirements.txt":                "RUN pip install -r requirements.txt\n",
		"ENV DJANGO_SECRET_KEY=abc":                                 "ENV DJANGO_SECRET_KEY=abc\n",
		"COPY . /app # buildkit":                                    "COPY . /app # buildkit\n",
	} {
		if got := dockerfileLine(createdBy); got != want {
			t.Errorf("%q: got %q, want %q", createdBy, got, want)
		}
	}
}

func TestWhiteoutsCoverWhatTheyDelete(t *testing.T) {
	for _, c := range []struct {
		x    whiteout
		path string
		want bool
	}{
		{whiteout{dir: "app", name: "settings.py"}, "app/settings.py", true},
		{whiteout{dir: "app", name: "settings.py"}, "app/settings.pyc", false},
		{whiteout{dir: "", name: "app"}, "app/conf/settings.py", true},
		{whiteout{dir: "app", name: "dist"}, "app/dist/x.whl!/pkg/settings.py", true},
		{whiteout{dir: "app", opaque: true}, "app/settings.py", true},
		{whiteout{dir: "app", opaque: true}, "application/settings.py", false},
		{whiteout{dir: "srv", name: "app"}, "app/settings.py", false},
	} {
		if got := c.x.covers(c.path); got != c.want {
			t.Errorf("%+v covers %s: %v, want %v", c.x, c.path, got, c.want)
		}
	}
}

// layout writes an OCI image layout by hand: an index of two platforms'
// manifests that share their first layer.
type layout struct {
	t   *testing.T
	dir string
}

func (l layout) blob(data []byte) string {
	sum := sha256.Sum256(data)
	d := "sha256:" + hex.EncodeToString(sum[:])
	p := filepath.Join(l.dir, "blobs", "sha256", hex.EncodeToString(sum[:]))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		l.t.Fatal(err)
	}
	return d
}

func (l layout) json(v any) (string, int) {
	data, err := json.Marshal(v)
	if err != nil {
		l.t.Fatal(err)
	}
	return l.blob(data), len(data)
}

func gzTar(t *testing.T, files map[string]string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	tw := tar.NewWriter(zw)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range files {
			if !yield(k) {
				return
			}
		}
	}) {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(files[name])), Typeflag: tar.TypeReg})
		tw.Write([]byte(files[name]))
	}
	tw.Close()
	zw.Close()
	return b.Bytes()
}

func TestWalkReadsEveryPlatformOnceALayer(t *testing.T) {
	l := layout{t, t.TempDir()}
	base := gzTar(t, map[string]string{"app/settings.py": "SECRET_KEY = 'k'\n"})
	amd := gzTar(t, map[string]string{"app/.wh.settings.py": "", "bin/amd": "x"})
	arm := gzTar(t, map[string]string{"bin/arm": "y"})
	baseD, ampD, armD := l.blob(base), l.blob(amd), l.blob(arm)
	manifest := func(plat string, layers ...string) map[string]any {
		var ls []map[string]any
		for _, d := range layers {
			ls = append(ls, map[string]any{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": 1})
		}
		cd, cn := l.json(map[string]any{
			"config": map[string]any{"Env": []string{"PLATFORM=" + plat}},
			"history": []map[string]any{
				{"created_by": "COPY app /app"},
				{"created_by": "ARG SECRET_KEY", "empty_layer": true},
				{"created_by": "RUN |1 SECRET_KEY=s /bin/sh -c build " + plat},
			},
		})
		md, mn := l.json(map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
			"config": map[string]any{"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cn}, "layers": ls})
		return map[string]any{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": mn,
			"platform": map[string]any{"os": "linux", "architecture": plat}}
	}
	nd, nn := l.json(map[string]any{"schemaVersion": 2, "manifests": []any{manifest("amd64", baseD, ampD), manifest("arm64", baseD, armD)}})
	index, _ := json.Marshal(map[string]any{"schemaVersion": 2, "manifests": []any{map[string]any{"mediaType": "application/vnd.oci.image.index.v1+json", "digest": nd, "size": nn}}})
	os.WriteFile(filepath.Join(l.dir, "index.json"), index, 0o644)
	os.WriteFile(filepath.Join(l.dir, "oci-layout"), []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o644)

	im, err := Open(l.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	var got []string
	outs, err := im.Walk(archive.Limits{}, func(it Item) error {
		where := it.Field
		if it.Layer != "" {
			where = it.Layer[:15] + " " + it.Path
		}
		got = append(got, strings.Join(it.Platforms, ",")+" "+where+" <"+it.Step+">")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"linux/amd64 Env <>", "linux/amd64 history[0] <COPY app /app>", "linux/amd64 history[1] <ARG SECRET_KEY>", "linux/amd64 history[2] <RUN |1 SECRET_KEY=s /bin/sh -c build amd64>",
		"linux/arm64 Env <>", "linux/arm64 history[0] <COPY app /app>", "linux/arm64 history[1] <ARG SECRET_KEY>", "linux/arm64 history[2] <RUN |1 SECRET_KEY=s /bin/sh -c build arm64>",
		"linux/amd64,linux/arm64 " + baseD[:15] + " app/settings.py <COPY app /app>",
		"linux/amd64 " + ampD[:15] + " bin/amd <RUN |1 SECRET_KEY=s /bin/sh -c build amd64>",
		"linux/arm64 " + armD[:15] + " bin/arm <RUN |1 SECRET_KEY=s /bin/sh -c build arm64>",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !outs.Deletes(baseD, "app/settings.py") {
		t.Error("the amd64 layer's whiteout does not delete the base layer's settings.py")
	}
	if outs.Deletes(ampD, "bin/amd") || outs.Deletes(baseD, "bin/other") {
		t.Error("a whiteout deletes what it does not name")
	}
}

func TestOpenRefusesWhatIsNoImage(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), ErrNotImage.Error()) {
		t.Errorf("an empty directory: %v", err)
	}
	bad := filepath.Join(dir, "x.tar")
	os.WriteFile(bad, []byte("not a tar at all, not even close to one........"), 0o644)
	if _, err := Open(bad); err == nil {
		t.Error("a file that is no tar opened")
	}
	escape := t.TempDir()
	os.WriteFile(filepath.Join(escape, "manifest.json"), []byte(`[{"Config":"../../etc/passwd","Layers":[]}]`), 0o644)
	if _, err := Open(escape); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("a docker archive naming a file outside it: %v", err)
	}
}

// An attestation manifest (buildx's provenance) is no image and is passed
// over; a layer of a kind djguard does not read is named, one whose blob
// is missing is named as unreadable, and the walk goes on to the next.
func TestWalkGoesOnPastLayersItCannotRead(t *testing.T) {
	l := layout{t, t.TempDir()}
	good := l.blob(gzTar(t, map[string]string{"app/settings.py": "SECRET_KEY = 'k'\n"}))
	odd := l.blob([]byte(`{"_type":"https://in-toto.io/Statement/v0.1"}`))
	missing := "sha256:" + strings.Repeat("0", 64)
	layers := func(ds ...[2]string) []map[string]any {
		var out []map[string]any
		for _, d := range ds {
			out = append(out, map[string]any{"mediaType": d[0], "digest": d[1], "size": 1})
		}
		return out
	}
	cd, cn := l.json(map[string]any{"config": map[string]any{}, "history": []map[string]any{{"created_by": "a"}, {"created_by": "b"}, {"created_by": "c"}}})
	md, mn := l.json(map[string]any{"schemaVersion": 2, "config": map[string]any{"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cn},
		"layers": layers([2]string{"application/vnd.oci.image.layer.v1.tar+gzip", missing}, [2]string{"application/vnd.example.odd", odd}, [2]string{"application/vnd.oci.image.layer.v1.tar+gzip", good})})
	ad, an := l.json(map[string]any{"schemaVersion": 2, "config": map[string]any{"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cn},
		"layers": layers([2]string{"application/vnd.in-toto+json", odd})})
	index, _ := json.Marshal(map[string]any{"schemaVersion": 2, "manifests": []any{
		map[string]any{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": mn, "platform": map[string]any{"os": "linux", "architecture": "amd64"}},
		map[string]any{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": ad, "size": an, "platform": map[string]any{"os": "unknown", "architecture": "unknown"},
			"annotations": map[string]any{"vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": md}},
	}})
	os.WriteFile(filepath.Join(l.dir, "index.json"), index, 0o644)
	im, err := Open(l.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	if len(im.Manifests) != 1 {
		t.Fatalf("%d manifests, want the image's alone (no attestation)", len(im.Manifests))
	}
	var got []string
	if _, err := im.Walk(archive.Limits{}, func(it Item) error {
		if it.Layer != "" {
			got = append(got, fmt.Sprintf("%s %s unreadable=%v read=%v", it.Layer[:15], it.Path, it.Unreadable, it.Content != nil))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{missing[:15] + "  unreadable=true read=false", odd[:15] + "  unreadable=false read=false", good[:15] + " app/settings.py unreadable=false read=true"}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
