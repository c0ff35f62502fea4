package testenv

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The image readers' tests trust these images to hold what the spec says,
// so this reads one back with nothing but the standard library.
func TestImageBuildsLayersHistoryAndArchives(t *testing.T) {
	spec := ImageSpec{
		Layers: []ImageLayer{
			{Files: map[string]string{"app/settings.py": "SECRET_KEY = 'x'\n"}, CreatedBy: "COPY settings.py /app/"},
			{Delete: []string{"app/settings.py"}, CreatedBy: "RUN rm /app/settings.py"},
		},
		Env:        []string{"DJANGO_SECRET_KEY=abc"},
		Cmd:        []string{"gunicorn", "app.wsgi"},
		Entrypoint: []string{"/entrypoint.sh"},
		Labels:     map[string]string{"org.example.key": "abc"},
		EmptySteps: []string{"ARG SECRET_KEY=abc"},
	}
	layout := OCIImage(t, spec)

	var index struct {
		Manifests []struct {
			MediaType   string
			Digest      string
			Annotations map[string]string
		}
	}
	readJSON(t, filepath.Join(layout, "index.json"), &index)
	if len(index.Manifests) != 1 || index.Manifests[0].Annotations["org.opencontainers.image.ref.name"] != "latest" {
		t.Fatalf("index.json names %+v, want one manifest tagged latest", index.Manifests)
	}
	type descriptor struct {
		MediaType string
		Digest    string
		Size      int64
	}
	var manifest struct {
		Config descriptor
		Layers []descriptor
	}
	readJSON(t, blob(t, layout, index.Manifests[0].Digest), &manifest)
	if len(manifest.Layers) != 2 {
		t.Fatalf("manifest has %d layers, want 2", len(manifest.Layers))
	}
	for _, l := range manifest.Layers {
		if l.MediaType != "application/vnd.oci.image.layer.v1.tar+gzip" {
			t.Errorf("layer %s has media type %s, want gzip", l.Digest, l.MediaType)
		}
	}

	var config struct {
		Config struct {
			Env, Cmd, Entrypoint []string
			Labels               map[string]string
		}
		RootFS struct {
			DiffIDs []string `json:"diff_ids"`
		}
		History []struct {
			CreatedBy  string `json:"created_by"`
			EmptyLayer bool   `json:"empty_layer"`
		}
	}
	readJSON(t, blob(t, layout, manifest.Config.Digest), &config)
	if !slices.Equal(config.Config.Env, spec.Env) || !slices.Equal(config.Config.Cmd, spec.Cmd) ||
		!slices.Equal(config.Config.Entrypoint, spec.Entrypoint) || config.Config.Labels["org.example.key"] != "abc" {
		t.Errorf("config holds %+v, want the spec's Env, Cmd, Entrypoint and Labels", config.Config)
	}
	var history []string
	for _, h := range config.History {
		history = append(history, fmt.Sprintf("%s empty=%t", h.CreatedBy, h.EmptyLayer))
	}
	want := []string{"COPY settings.py /app/ empty=false", "RUN rm /app/settings.py empty=false", "ARG SECRET_KEY=abc empty=true"}
	if !slices.Equal(history, want) {
		t.Errorf("history is\n%s\nwant\n%s", strings.Join(history, "\n"), strings.Join(want, "\n"))
	}

	if len(config.RootFS.DiffIDs) != 2 {
		t.Fatalf("config has diff_ids %v, want 2", config.RootFS.DiffIDs)
	}
	layers := make([]map[string]string, 2)
	for i, l := range manifest.Layers {
		data, err := os.ReadFile(blob(t, layout, l.Digest))
		if err != nil {
			t.Fatal(err)
		}
		z, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("layer %d: %v", i+1, err)
		}
		plain, err := io.ReadAll(z)
		if err != nil {
			t.Fatalf("layer %d: %v", i+1, err)
		}
		if got := digestOf(plain); got != config.RootFS.DiffIDs[i] {
			t.Errorf("layer %d uncompressed is %s, but its diff_id is %s", i+1, got, config.RootFS.DiffIDs[i])
		}
		// GNU tar and Python's tarfile refuse a layer without the two
		// zero blocks that end a tar, which Go's archive/tar does not
		// notice; umoci 0.4.7's insert leaves them out.
		if len(plain)%512 != 0 || len(plain) < 1024 || !bytes.Equal(plain[len(plain)-1024:], make([]byte, 1024)) {
			t.Errorf("layer %d (%d bytes uncompressed) does not end with a tar's end-of-archive blocks", i+1, len(plain))
		}
		layers[i] = tarFiles(t, plain)
	}
	if got := layers[0]["app/settings.py"]; got != "SECRET_KEY = 'x'\n" {
		t.Errorf("layer 1 has app/settings.py %q; entries %v", got, slices.Sorted(maps.Keys(layers[0])))
	}
	if _, ok := layers[1]["app/.wh.settings.py"]; !ok {
		t.Errorf("layer 2 has no whiteout app/.wh.settings.py; entries %v", slices.Sorted(maps.Keys(layers[1])))
	}
	if _, ok := layers[1]["app/settings.py"]; ok {
		t.Error("layer 2 still has app/settings.py")
	}

	oci := tarFiles(t, readFile(t, OCIArchive(t, layout)))
	if _, ok := oci["index.json"]; !ok {
		t.Errorf("oci-archive has no index.json; entries %v", slices.Sorted(maps.Keys(oci)))
	}
	docker := tarFiles(t, readFile(t, DockerArchive(t, layout)))
	var saved []struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	if err := json.Unmarshal([]byte(docker["manifest.json"]), &saved); err != nil {
		t.Fatalf("docker-archive manifest.json: %v; entries %v", err, slices.Sorted(maps.Keys(docker)))
	}
	if len(saved) != 1 || len(saved[0].Layers) != 2 {
		t.Fatalf("docker-archive manifest.json is %+v, want one image of 2 layers", saved)
	}
	if _, ok := tarFiles(t, []byte(docker[saved[0].Layers[1]]))["app/.wh.settings.py"]; !ok {
		t.Errorf("docker-archive layer %s has no whiteout app/.wh.settings.py", saved[0].Layers[1])
	}
}

// blob is where a layout keeps the blob with digest "sha256:HEX"; it fails
// the test if the file there does not hash to that digest.
func blob(t *testing.T, layout, digest string) string {
	t.Helper()
	p := filepath.Join(layout, "blobs", "sha256", strings.TrimPrefix(digest, "sha256:"))
	if got := digestOf(readFile(t, p)); got != digest {
		t.Fatalf("blob %s hashes to %s", digest, got)
	}
	return p
}

func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(readFile(t, name), v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// tarFiles reads a whole tar, names (without a leading "./") to contents,
// and fails the test on a malformed one.
func tarFiles(t *testing.T, data []byte) map[string]string {
	t.Helper()
	files := map[string]string{}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files
		}
		if err != nil {
			t.Fatalf("reading tar: %v", err)
		}
		content, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("reading %s from tar: %v", h.Name, err)
		}
		files[strings.TrimPrefix(h.Name, "./")] = string(content)
	}
}
