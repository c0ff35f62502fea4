package testenv

import (
	"crypto/sha256"
	"fmt"
	"io"

	"github.com/djguard/djguard/keygen"
)

// Rand returns a deterministic byte stream for seed (SHA-256 in counter
// mode): the same keys on every run, for golden files.
func Rand(seed string) io.Reader {
	return &seedReader{seed: seed}
}

type seedReader struct {
	seed string
	n    int
	buf  []byte
}

func (r *seedReader) Read(p []byte) (int, error) {
	for i := range p {
		if len(r.buf) == 0 {
			sum := sha256.Sum256(fmt.Appendf(nil, "%s/%d", r.seed, r.n))
			r.n++
			r.buf = sum[:]
		}
		p[i] = r.buf[0]
		r.buf = r.buf[1:]
	}
	return len(p), nil
}

// FakeKey returns a Django-shaped key made at test time from seed, so that
// no key-looking literal has to be written in test sources.
func FakeKey(seed string) string {
	k, err := keygen.Generate(Rand(seed), keygen.Length)
	if err != nil {
		panic(err)
	}
	return k
}
