package testenv

import (
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// ImageLayer is one layer of a test image: files to add (slash-separated
// path in the image to content), paths to delete, which become whiteouts
// in this layer and must exist in a lower one, and the created_by text of
// the layer's history entry (umoci writes "umoci repack" when it is empty).
type ImageLayer struct {
	Files     map[string]string
	Delete    []string
	CreatedBy string
}

// ImageSpec is a test image: its layers, bottom first; its config's Env
// ("KEY=VALUE"), Cmd, Entrypoint and Labels; and history entries that have
// no layer, such as an ARG or ENV step, which is where a build argument's
// value ends up.
type ImageSpec struct {
	Layers     []ImageLayer
	Env        []string
	Cmd        []string
	Entrypoint []string
	Labels     map[string]string
	EmptySteps []string // created_by of entries with empty_layer: true, after the layers
}

// OCIImage builds spec with umoci as an OCI image layout in a new
// temporary directory, tagged "latest", and returns the layout directory.
//
// The layers come from 'umoci unpack --rootless' and 'umoci repack' of one
// bundle, not from 'umoci insert', which needs no unpacking: the insert of
// umoci 0.4.7 (Debian bookworm's) leaves out the tar's end-of-archive
// blocks (umoci issue 436), which GNU tar and Python reject, and makes one
// layer for each file or whiteout. repack makes one layer of everything a
// step changed, gzip-compressed (application/vnd.oci.image.layer.v1.tar+gzip),
// with a "." entry for the root and the whiteout "dir/.wh.name" for each
// deleted path. Its files are owned by 0:0 whoever runs the test. A step
// that changes nothing would become an empty_layer history entry rather
// than a layer, so the test fails on one.
//
// The config and the empty history entries come from 'umoci config': one
// call with --no-history for Env, Cmd, Entrypoint and Labels, then one per
// empty step, which umoci records as empty_layer with the created_by given.
// 'umoci gc' then drops the blobs of the intermediate images, so the layout
// holds only what the index reaches.
func OCIImage(t testing.TB, spec ImageSpec) string {
	t.Helper()
	umoci := Tool(t, "umoci")
	work := t.TempDir()
	layout := filepath.Join(work, "oci")
	image := layout + ":latest"
	runTool(t, umoci, "init", "--layout", layout)
	runTool(t, umoci, "new", "--image", image)
	if len(spec.Layers) > 0 {
		bundle := filepath.Join(work, "bundle")
		runTool(t, umoci, "unpack", "--rootless", "--image", image, bundle)
		rootfs := filepath.Join(bundle, "rootfs")
		for i, layer := range spec.Layers {
			writeLayer(t, rootfs, i, layer)
			args := []string{"repack", "--refresh-bundle", "--image", image}
			if layer.CreatedBy != "" {
				args = append(args, "--history.created_by", layer.CreatedBy)
			}
			runTool(t, umoci, append(args, bundle)...)
		}
		// repack records a step that changed nothing as an empty_layer
		// history entry, not a layer, which would shift every later
		// layer's number.
		if n := countLayers(t, umoci, image); n != len(spec.Layers) {
			t.Fatalf("umoci made %d layers of the %d in the spec: each must add or delete something", n, len(spec.Layers))
		}
	}
	var config []string
	for _, env := range spec.Env {
		config = append(config, "--config.env", env)
	}
	for _, arg := range spec.Cmd {
		config = append(config, "--config.cmd", arg)
	}
	for _, arg := range spec.Entrypoint {
		config = append(config, "--config.entrypoint", arg)
	}
	for _, key := range slices.Sorted(maps.Keys(spec.Labels)) {
		config = append(config, "--config.label", key+"="+spec.Labels[key])
	}
	if len(config) > 0 {
		runTool(t, umoci, append([]string{"config", "--image", image, "--no-history"}, config...)...)
	}
	for _, step := range spec.EmptySteps {
		runTool(t, umoci, "config", "--image", image, "--history.created_by", step)
	}
	runTool(t, umoci, "gc", "--layout", layout)
	return layout
}

// writeLayer applies layer i's deletions and then its files to the
// unpacked rootfs, for repack to turn into one layer.
func writeLayer(t testing.TB, rootfs string, i int, layer ImageLayer) {
	t.Helper()
	for _, name := range layer.Delete {
		p := inRootfs(t, rootfs, name)
		// repack writes a whiteout only for a path that was there.
		if _, err := os.Lstat(p); err != nil {
			t.Fatalf("image layer %d deletes %s, which no lower layer has", i+1, name)
		}
		if err := os.RemoveAll(p); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(layer.Files)) {
		p := inRootfs(t, rootfs, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(layer.Files[name]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// countLayers counts the history entries of image that have a layer.
func countLayers(t testing.TB, umoci, image string) int {
	t.Helper()
	out, err := exec.Command(umoci, "stat", "--json", "--image", image).Output()
	var stat struct {
		History []struct{ Layer *json.RawMessage }
	}
	if err == nil {
		err = json.Unmarshal(out, &stat)
	}
	if err != nil {
		t.Fatalf("umoci stat %s: %v", image, err)
	}
	n := 0
	for _, h := range stat.History {
		if h.Layer != nil {
			n++
		}
	}
	return n
}

// inRootfs returns where name, a path in the image with or without a
// leading slash, is in rootfs, and fails the test for one that leaves it.
func inRootfs(t testing.TB, rootfs, name string) string {
	t.Helper()
	rel := filepath.FromSlash(strings.TrimLeft(name, "/"))
	if !filepath.IsLocal(rel) {
		t.Fatalf("image path %q is not inside the image", name)
	}
	return filepath.Join(rootfs, rel)
}

// OCIArchive converts the layout's "latest" with 'skopeo copy
// oci:DIR:latest oci-archive:FILE:latest' and returns FILE, a tar of an
// OCI layout (index.json, oci-layout, blobs/sha256/...) as 'podman save
// --format oci-archive' writes.
func OCIArchive(t testing.TB, layout string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "image-oci.tar")
	skopeoCopy(t, "oci:"+layout+":latest", "oci-archive:"+file+":latest")
	return file
}

// DockerArchive converts the layout's "latest" with 'skopeo copy
// oci:DIR:latest docker-archive:FILE:djguard-test:latest' and returns
// FILE, what 'docker save' writes: manifest.json (whose RepoTags holds
// "docker.io/library/djguard-test:latest"), the config as HEX.json, each
// layer uncompressed as DIFFID.tar, and the legacy ID/layer.tar links.
func DockerArchive(t testing.TB, layout string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "image-docker.tar")
	skopeoCopy(t, "oci:"+layout+":latest", "docker-archive:"+file+":djguard-test:latest")
	return file
}

// skopeoCopy runs skopeo copy without a trust policy, which a test machine
// need not have in /etc/containers, and with its temporary files under the
// test's own directory.
func skopeoCopy(t testing.TB, from, to string) {
	t.Helper()
	runTool(t, Tool(t, "skopeo"), "--insecure-policy", "--tmpdir", t.TempDir(), "copy", "--quiet", from, to)
}

// runTool runs a program and fails the test, with its output, if it fails.
func runTool(t testing.TB, program string, args ...string) {
	t.Helper()
	if out, err := exec.Command(program, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(program), strings.Join(args, " "), err, out)
	}
}
