package bot

import (
	"bytes"
	"io"
	"net/http"

	tg "github.com/go-telegram/bot"
)

// newHTTPClient returns the client for every Bot API call (stack.md §9): a
// transport that keeps an idle connection per shard instead of 2, a timeout
// above the long-poll timeout, and requests sent with a Content-Length
// rather than chunked.
func newHTTPClient(cfg Config) tg.HttpClient {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = cfg.Workers + 4 // the shards plus the poller and spare
	tr.MaxIdleConns = max(tr.MaxIdleConns, tr.MaxIdleConnsPerHost)
	return bufferedClient{next: &http.Client{Timeout: cfg.HTTPTimeout, Transport: tr}}
}

// bufferedClient reads the library's streamed multipart body into memory so
// that it goes out in one piece with a Content-Length.
type bufferedClient struct{ next *http.Client }

func (c bufferedClient) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil && r.Body != http.NoBody && r.ContentLength <= 0 {
		body, err := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if err != nil {
			return nil, err
		}
		r.ContentLength = int64(len(body))
		r.Body, r.GetBody = http.NoBody, func() (io.ReadCloser, error) { return http.NoBody, nil }
		if len(body) > 0 {
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		}
	}
	return c.next.Do(r)
}
