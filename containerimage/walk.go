package containerimage

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/djguard/djguard/archive"
)

// Item is what Walk hands its caller: a config field's text, or a file of
// a layer.
type Item struct {
	// Platforms are the platforms whose image holds it, "" for an image
	// that names none; a layer several platforms share is read once.
	Platforms []string
	// Layer is the layer's digest, "" for the config.
	Layer string
	// Step is the history step that made the layer, or that the config
	// field is: the Dockerfile line as the builder recorded it.
	Step string
	// Field names the config field ("Env", "Cmd", "Entrypoint",
	// "Labels", "history[3]"); "" for a layer's file.
	Field string
	// Path is a layer's file from the image's root ("app/settings.py",
	// "app/dist/x.whl!/pkg/settings.py" inside an archive in the layer);
	// for a config field, the name its text is scanned under
	// ("Dockerfile": its ENV, ARG, LABEL, CMD and RUN lines).
	Path string
	// Content is the text to scan; nil when NotRead says why not.
	Content []byte
	NotRead string
	// Unreadable is set, with NotRead, on a layer that could not be read
	// to its end (a missing blob, damage): the scan of the image is
	// incomplete. A layer refused (a compression bomb) or of a kind djguard
	// does not read is only NotRead.
	Unreadable bool
}

// callerError is an error of Walk's caller, passed through untouched.
type callerError struct{ error }

// Walk calls fn with each config field of each platform's image, then
// with each file of each distinct layer, in layer order, each layer read
// once as a stream. A layer that cannot be read to its end is handed to
// fn as an Item naming why, and the walk goes on to the next. The
// returned Whiteouts tells, once the whole image is read, which layers'
// files a later layer deletes. An error fn returns ends the walk.
func (im *Image) Walk(lim archive.Limits, fn func(Item) error) (*Whiteouts, error) {
	for _, m := range im.Manifests {
		for _, it := range m.configItems() {
			if err := fn(it); err != nil {
				return nil, err
			}
		}
	}
	outs := &Whiteouts{im: im, byLayer: map[string][]whiteout{}}
	done := map[string]bool{}
	for _, m := range im.Manifests {
		for _, l := range m.Layers {
			if done[l.Digest] {
				continue
			}
			done[l.Digest] = true
			plats := im.platformsOf(l.Digest)
			err := im.walkLayer(l, plats, lim, outs, func(it Item) error {
				if err := fn(it); err != nil {
					return callerError{err}
				}
				return nil
			})
			var caller callerError
			if errors.As(err, &caller) {
				return nil, caller.error
			}
			if err != nil {
				why := strings.TrimPrefix(err.Error(), "layer "+l.Digest+": ") // the item names the layer
				it := Item{Platforms: plats, Layer: l.Digest, Step: l.Step, NotRead: why}
				it.Unreadable = !errors.Is(err, archive.ErrBomb) && !errors.Is(err, archive.ErrTooManyMembers) && !errors.Is(err, errLayerKind)
				if err := fn(it); err != nil {
					return nil, err
				}
			}
		}
	}
	return outs, nil
}

func (im *Image) platformsOf(digest string) []string {
	var out []string
	for _, m := range im.Manifests {
		if slices.ContainsFunc(m.Layers, func(l Layer) bool { return l.Digest == digest }) && !slices.Contains(out, m.Platform) {
			out = append(out, m.Platform)
		}
	}
	return out
}

// walkLayer streams one layer's tar, noting its whiteouts.
func (im *Image) walkLayer(l Layer, platforms []string, lim archive.Limits, outs *Whiteouts, fn func(Item) error) error {
	rc, _, err := im.blobs.open(l.path)
	if err != nil {
		return fmt.Errorf("layer %s: %w", l.Digest, err)
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	format, err := layerFormat(l.MediaType, br)
	if err != nil {
		return fmt.Errorf("layer %s: %w", l.Digest, err)
	}
	name := "layer " + l.Digest
	prefix := name + "!/"
	return archive.WalkStream(name, format, br, lim, func(m archive.Member) error {
		p := strings.TrimPrefix(m.Path, prefix)
		dir, base := path.Split(p)
		if name, ok := strings.CutPrefix(base, ".wh."); ok && name != "" {
			outs.add(l.Digest, whiteout{dir: strings.TrimSuffix(dir, "/"), name: name, opaque: name == ".wh..opq"})
			return nil
		}
		return fn(Item{Platforms: platforms, Layer: l.Digest, Step: l.Step, Path: p, Content: m.Content, NotRead: m.NotRead})
	})
}

// layerFormat tells how a layer is compressed: by its media type, or,
// where a docker save archive gives none, by its first bytes.
func layerFormat(mediaType string, br *bufio.Reader) (archive.Format, error) {
	switch {
	case strings.HasSuffix(mediaType, "+gzip"), strings.HasSuffix(mediaType, ".tar.gzip"):
		return archive.TarGzip, nil
	case strings.HasSuffix(mediaType, "+zstd"), strings.HasSuffix(mediaType, ".tar.zstd"):
		return archive.TarZstd, nil
	case strings.HasSuffix(mediaType, ".tar"), strings.HasSuffix(mediaType, "layer.v1.tar"):
		return archive.Tar, nil
	case mediaType != "":
		return archive.None, fmt.Errorf("%w: media type %q", errLayerKind, mediaType)
	}
	head, _ := br.Peek(512)
	for _, f := range []archive.Format{archive.TarGzip, archive.TarZstd, archive.TarBzip2, archive.Tar} {
		if archive.Looks(f, head) {
			return f, nil
		}
	}
	if len(head) == 0 || bytes.Count(head, []byte{0}) == len(head) {
		return archive.Tar, nil // an empty layer: end-of-archive blocks
	}
	return archive.None, fmt.Errorf("%w: no tar, gzip or zstd", errLayerKind)
}

// errLayerKind marks a layer of a kind djguard does not read.
var errLayerKind = errors.New("a layer of a kind djguard does not read")

// Whiteouts are the deletions each layer records, known once every layer
// is read.
type Whiteouts struct {
	im      *Image
	byLayer map[string][]whiteout
}

// whiteout is one deletion: of dir/name, or of everything under dir
// before this layer (opaque).
type whiteout struct {
	dir, name string
	opaque    bool
}

func (w *Whiteouts) add(layer string, x whiteout) {
	w.byLayer[layer] = append(w.byLayer[layer], x)
}

// Deletes reports whether a layer after the given one, in some
// platform's image, deletes the file at p that the layer holds.
func (w *Whiteouts) Deletes(layer, p string) bool {
	for _, m := range w.im.Manifests {
		i := slices.IndexFunc(m.Layers, func(l Layer) bool { return l.Digest == layer })
		if i < 0 {
			continue
		}
		for _, later := range m.Layers[i+1:] {
			for _, x := range w.byLayer[later.Digest] {
				if x.covers(p) {
					return true
				}
			}
		}
	}
	return false
}

// covers reports whether the whiteout deletes the file at p (a member of
// an archive in the layer goes with the archive).
func (x whiteout) covers(p string) bool {
	p, _, _ = strings.Cut(p, "!/")
	under := func(dir string) bool { return dir == "" || p == dir || strings.HasPrefix(p, dir+"/") }
	if x.opaque {
		return x.dir != "" && strings.HasPrefix(p, x.dir+"/")
	}
	return under(path.Join(x.dir, x.name))
}

// configItems gives a platform's image config as text in a Dockerfile's
// words, one item per field and one per history step, so that a finding
// names the field it stands in.
func (m Manifest) configItems() []Item {
	plat := []string{m.Platform}
	item := func(field, step, text string) Item {
		return Item{Platforms: plat, Field: field, Step: step, Path: "Dockerfile", Content: []byte(text)}
	}
	var out []Item
	if len(m.Config.Env) > 0 {
		var b strings.Builder
		for _, e := range m.Config.Env {
			fmt.Fprintf(&b, "ENV %s\n", e)
		}
		out = append(out, item("Env", "", b.String()))
	}
	if len(m.Config.Cmd) > 0 {
		out = append(out, item("Cmd", "", "CMD "+strings.Join(m.Config.Cmd, " ")+"\n"))
	}
	if len(m.Config.Entrypoint) > 0 {
		out = append(out, item("Entrypoint", "", "ENTRYPOINT "+strings.Join(m.Config.Entrypoint, " ")+"\n"))
	}
	if len(m.Config.Labels) > 0 {
		var b strings.Builder
		for _, k := range slices.Sorted(maps.Keys(m.Config.Labels)) {
			fmt.Fprintf(&b, "LABEL %s=%s\n", k, m.Config.Labels[k])
		}
		out = append(out, item("Labels", "", b.String()))
	}
	for i, h := range m.Config.History {
		if h.CreatedBy != "" {
			out = append(out, item(fmt.Sprintf("history[%d]", i), h.CreatedBy, dockerfileLine(h.CreatedBy)))
		}
	}
	return out
}

var (
	// nop is how the classic builder records a step that runs nothing:
	// "/bin/sh -c #(nop)  ENV KEY=value".
	nop = regexp.MustCompile(`^/bin/sh -c #\(nop\)\s+`)
	// buildArgs is how builders record the build arguments a RUN step
	// saw: "|2 SECRET_KEY=x OTHER=y /bin/sh -c cmd" (BuildKit puts RUN
	// in front).
	buildArgs = regexp.MustCompile(`^(?:RUN )?\|(\d+) `)
)

// dockerfileLine turns a history step's created_by back into Dockerfile
// lines: a build argument a RUN step saw becomes an ARG line of its own,
// the command a RUN line.
func dockerfileLine(createdBy string) string {
	s := strings.TrimSpace(createdBy)
	if loc := nop.FindStringIndex(s); loc != nil {
		return s[loc[1]:] + "\n"
	}
	var b strings.Builder
	m := buildArgs.FindStringSubmatch(s)
	if m != nil {
		n := 0
		fmt.Sscanf(m[1], "%d", &n)
		rest := s[len(m[0]):]
		for range n {
			word, after, _ := strings.Cut(rest, " ")
			fmt.Fprintf(&b, "ARG %s\n", word)
			rest = after
		}
		s = rest
	}
	if cmd, ok := strings.CutPrefix(s, "/bin/sh -c "); ok {
		s = "RUN " + cmd
	} else if m != nil {
		s = "RUN " + s
	}
	b.WriteString(s)
	b.WriteString("\n")
	return b.String()
}
