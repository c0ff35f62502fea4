// Package containerimage reads container images as they are kept on disk,
// in the two layouts tools write: an OCI image layout (a directory, or a
// tar of one: skopeo's oci: and oci-archive:) and a docker save archive
// (docker-archive:). It gives what a Django key can hide in: each
// platform's image config (Env, Cmd, Entrypoint, Labels and every history
// step's created_by, where ARG, ENV and RUN values stand) and the files of
// every layer, read one layer at a time as a stream (package archive),
// each with the step that made its layer. A file a later layer deletes (a
// whiteout) is still given: it stays in its layer, readable by anyone who
// pulls the image. Nothing is unpacked to disk.
package containerimage

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Image is an image on disk, opened.
type Image struct {
	Name      string // the path it was opened from
	Manifests []Manifest
	blobs     blobStore
	close     func() error
}

// Manifest is one platform's image: its config and its layers.
type Manifest struct {
	Platform string // "linux/amd64"; "" where the image names none
	Config   Config
	Layers   []Layer
	digest   string
}

// Config is what an image config holds that a key can stand in.
type Config struct {
	Env        []string
	Cmd        []string
	Entrypoint []string
	Labels     map[string]string
	History    []Step
}

// Step is one entry of an image's history: the build step, and whether it
// made a layer.
type Step struct {
	CreatedBy  string
	EmptyLayer bool
}

// Layer is one layer of a manifest.
type Layer struct {
	Digest    string
	MediaType string
	// Step is the created_by of the history step that made the layer:
	// the Dockerfile line, as the builder recorded it.
	Step string
	path string // in the blob store
	size int64
}

// ErrNotImage marks a path that holds no image djguard reads.
var ErrNotImage = errors.New("not an OCI image layout or a docker save archive")

// Open opens the image at p: a directory holding an OCI image layout, or
// a tar file holding one or a docker save archive.
func Open(p string) (*Image, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	var store blobStore
	var closeFn func() error
	if info.IsDir() {
		store = dirStore{root: p}
		closeFn = func() error { return nil }
	} else {
		ts, err := openTarStore(p)
		if err != nil {
			return nil, err
		}
		store, closeFn = ts, ts.f.Close
	}
	im := &Image{Name: p, blobs: store, close: closeFn}
	if err := im.readManifests(); err != nil {
		closeFn()
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return im, nil
}

// Close releases the image's file.
func (im *Image) Close() error { return im.close() }

// blobStore reads the files of an image layout: from a directory, or from
// a tar whose members it has listed.
type blobStore interface {
	open(name string) (io.ReadCloser, int64, error)
	has(name string) bool
}

type dirStore struct{ root string }

func (d dirStore) open(name string) (io.ReadCloser, int64, error) {
	if !local(name) {
		return nil, 0, fmt.Errorf("%q leaves the image layout", name)
	}
	f, err := os.Open(filepath.Join(d.root, filepath.FromSlash(name)))
	if err != nil {
		return nil, 0, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, info.Size(), nil
}

func (d dirStore) has(name string) bool {
	_, err := os.Stat(filepath.Join(d.root, filepath.FromSlash(name)))
	return local(name) && err == nil
}

// tarStore reads members of a tar file in place: their offsets are listed
// once, then each is read as a section of the file.
type tarStore struct {
	f       *os.File
	members map[string]tarMember
}

type tarMember struct{ off, size int64 }

func openTarStore(p string) (*tarStore, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	ts := &tarStore{f: f, members: map[string]tarMember{}}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w (%v)", p, ErrNotImage, err)
		}
		if h.Typeflag != tar.TypeReg && h.Typeflag != tar.TypeRegA {
			continue
		}
		// Nothing of tar.Reader's is buffered past a header: the file
		// stands at the member's data.
		off, err := f.Seek(0, io.SeekCurrent)
		if err != nil {
			f.Close()
			return nil, err
		}
		ts.members[path.Clean(strings.TrimPrefix(h.Name, "./"))] = tarMember{off, h.Size}
	}
	return ts, nil
}

func (t *tarStore) open(name string) (io.ReadCloser, int64, error) {
	m, ok := t.members[path.Clean(name)]
	if !ok {
		return nil, 0, fmt.Errorf("%s: %w", name, os.ErrNotExist)
	}
	return io.NopCloser(io.NewSectionReader(t.f, m.off, m.size)), m.size, nil
}

func (t *tarStore) has(name string) bool {
	_, ok := t.members[path.Clean(name)]
	return ok
}

// local reports whether a name from an image's own files stays inside it.
func local(name string) bool {
	return filepath.IsLocal(filepath.FromSlash(name))
}

// maxJSON bounds an index, manifest or config read whole.
const maxJSON = 64 << 20

func (im *Image) readJSON(name string, v any) error {
	rc, size, err := im.blobs.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	if size > maxJSON {
		return fmt.Errorf("%s: %d bytes, over the %d-byte limit for a manifest or a config", name, size, maxJSON)
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxJSON))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// descriptor is an OCI content descriptor.
type descriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
	Platform  *struct {
		OS           string `json:"os"`
		Architecture string `json:"architecture"`
		Variant      string `json:"variant"`
	} `json:"platform"`
	Annotations map[string]string `json:"annotations"`
}

// attestation reports whether a descriptor names what buildx adds beside
// each platform's image (provenance, an SBOM): a manifest of in-toto
// statements about the image, not an image.
func (d descriptor) attestation() bool {
	return d.Annotations["vnd.docker.reference.type"] == "attestation-manifest" ||
		d.Platform != nil && d.Platform.OS == "unknown" && d.Platform.Architecture == "unknown"
}

func (d descriptor) platform() string {
	if d.Platform == nil {
		return ""
	}
	p := d.Platform.OS + "/" + d.Platform.Architecture
	if d.Platform.Variant != "" {
		p += "/" + d.Platform.Variant
	}
	return p
}

// blobPath is where an OCI layout keeps the blob of a digest.
func blobPath(digest string) (string, error) {
	alg, hex, ok := strings.Cut(digest, ":")
	if !ok || alg == "" || hex == "" || strings.ContainsAny(digest, `/\`) {
		return "", fmt.Errorf("%q is not a digest", digest)
	}
	return "blobs/" + alg + "/" + hex, nil
}

func (im *Image) readManifests() error {
	if im.blobs.has("index.json") {
		var index struct {
			Manifests []descriptor `json:"manifests"`
		}
		if err := im.readJSON("index.json", &index); err != nil {
			return err
		}
		return im.readIndex(index.Manifests, "", 0, map[string]bool{})
	}
	if im.blobs.has("manifest.json") {
		return im.readDockerArchive()
	}
	return ErrNotImage
}

// readIndex reads the manifests an index lists, and the indexes it
// nests (a multi-platform image), each index and each image manifest
// once; attestations are passed over.
func (im *Image) readIndex(ds []descriptor, platform string, depth int, seen map[string]bool) error {
	if depth > 8 {
		return errors.New("image indexes nested more than 8 deep")
	}
	for _, d := range ds {
		if d.attestation() {
			continue
		}
		p, err := blobPath(d.Digest)
		if err != nil {
			return err
		}
		plat := d.platform()
		if plat == "" {
			plat = platform
		}
		switch d.MediaType {
		case "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json":
			if seen[d.Digest] {
				continue
			}
			seen[d.Digest] = true
			var index struct {
				Manifests []descriptor `json:"manifests"`
			}
			if err := im.readJSON(p, &index); err != nil {
				return err
			}
			if err := im.readIndex(index.Manifests, plat, depth+1, seen); err != nil {
				return err
			}
		default:
			if slices.ContainsFunc(im.Manifests, func(m Manifest) bool { return m.Platform == plat && m.digest == d.Digest }) {
				continue
			}
			m, err := im.readManifest(p, plat)
			if err != nil {
				return err
			}
			m.digest = d.Digest
			im.Manifests = append(im.Manifests, m)
		}
	}
	return nil
}

func (im *Image) readManifest(p, platform string) (Manifest, error) {
	var raw struct {
		Config descriptor   `json:"config"`
		Layers []descriptor `json:"layers"`
	}
	if err := im.readJSON(p, &raw); err != nil {
		return Manifest{}, err
	}
	cp, err := blobPath(raw.Config.Digest)
	if err != nil {
		return Manifest{}, err
	}
	m := Manifest{Platform: platform}
	if m.Config, err = im.readConfig(cp); err != nil {
		return Manifest{}, err
	}
	for _, l := range raw.Layers {
		lp, err := blobPath(l.Digest)
		if err != nil {
			return Manifest{}, err
		}
		m.Layers = append(m.Layers, Layer{Digest: l.Digest, MediaType: l.MediaType, path: lp, size: l.Size})
	}
	m.nameSteps()
	return m, nil
}

// readDockerArchive reads a docker save archive's manifest.json: for
// each image, its config file and its layer files.
func (im *Image) readDockerArchive() error {
	var entries []struct {
		Config string   `json:"Config"`
		Layers []string `json:"Layers"`
	}
	if err := im.readJSON("manifest.json", &entries); err != nil {
		return err
	}
	for _, e := range entries {
		if !local(e.Config) {
			return fmt.Errorf("manifest.json names %q, outside the archive", e.Config)
		}
		c, err := im.readConfig(e.Config)
		if err != nil {
			return err
		}
		m := Manifest{Config: c}
		for _, l := range e.Layers {
			if !local(l) {
				return fmt.Errorf("manifest.json names %q, outside the archive", l)
			}
			m.Layers = append(m.Layers, Layer{Digest: layerDigest(l), path: l, size: -1})
		}
		m.nameSteps()
		im.Manifests = append(im.Manifests, m)
	}
	return nil
}

// layerDigest names a docker save layer by its digest where its file
// name gives it ("blobs/sha256/HEX", "HEX.tar", "HEX/layer.tar").
func layerDigest(name string) string {
	n := strings.TrimSuffix(strings.TrimSuffix(name, "/layer.tar"), ".tar")
	if dir, hex, ok := strings.Cut(n, "blobs/sha256/"); ok && dir == "" {
		return "sha256:" + hex
	}
	if base := path.Base(n); len(base) == 64 {
		return "sha256:" + base
	}
	return name
}

func (im *Image) readConfig(p string) (Config, error) {
	var raw struct {
		Config struct {
			Env        []string          `json:"Env"`
			Cmd        []string          `json:"Cmd"`
			Entrypoint []string          `json:"Entrypoint"`
			Labels     map[string]string `json:"Labels"`
		} `json:"config"`
		History []struct {
			CreatedBy  string `json:"created_by"`
			EmptyLayer bool   `json:"empty_layer"`
		} `json:"history"`
	}
	if err := im.readJSON(p, &raw); err != nil {
		return Config{}, err
	}
	c := Config{Env: raw.Config.Env, Cmd: raw.Config.Cmd, Entrypoint: raw.Config.Entrypoint, Labels: raw.Config.Labels}
	for _, h := range raw.History {
		c.History = append(c.History, Step{CreatedBy: h.CreatedBy, EmptyLayer: h.EmptyLayer})
	}
	return c, nil
}

// nameSteps gives each layer the history step that made it: the n-th
// step that is not an empty layer made the n-th layer.
func (m *Manifest) nameSteps() {
	i := 0
	for _, h := range m.Config.History {
		if h.EmptyLayer {
			continue
		}
		if i < len(m.Layers) {
			m.Layers[i].Step = h.CreatedBy
		}
		i++
	}
}
