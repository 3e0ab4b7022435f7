package telegramtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Listener is a fake served on a TCP port outside of a test, for programs
// such as cmd/umkmload that run the bot as a separate process.
type Listener struct {
	*Server
	hs   *http.Server
	done chan error
}

// Listen serves a new fake on addr ("127.0.0.1:0" picks a free loopback
// port) until Close; Server.URL is the address it serves.
func Listen(addr string) (*Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("telegramtest: listen: %w", err)
	}
	s := New()
	s.URL = "http://" + ln.Addr().String()
	l := &Listener{Server: s, hs: &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}, done: make(chan error, 1)}
	go func() { l.done <- l.hs.Serve(ln) }()
	return l, nil
}

// Close wakes every waiting getUpdates, then stops serving within timeout
// (connections still open then are closed).
func (l *Listener) Close(timeout time.Duration) error {
	l.Server.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := l.hs.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = l.hs.Close()
	}
	if serveErr := <-l.done; !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	return err
}
