package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
)

// listen opens cfg's host and port, or takes over the socket of
// cfg.ListenFD: one opened on port 0 and handed over is never closed and
// reopened, a moment in which another process could take the port.
func listen(cfg *Config) (net.Listener, error) {
	if cfg.ListenFD == 0 {
		ln, err := net.Listen("tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)))
		if err != nil {
			return nil, fmt.Errorf("listen on %s:%d: %w", cfg.Host, cfg.Port, err)
		}
		return ln, nil
	}
	f := os.NewFile(uintptr(cfg.ListenFD), "LINKHUB_LISTEN_FD")
	defer f.Close() // the listener holds its own copy
	ln, err := net.FileListener(f)
	if err != nil {
		return nil, fmt.Errorf("LINKHUB_LISTEN_FD=%d is not an open listening socket: %w", cfg.ListenFD, err)
	}
	return ln, nil
}
