package keactl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

// DefaultTimeout bounds a command when the caller's context has no deadline,
// so a wedged Kea cannot hang a caller forever.
const DefaultTimeout = 5 * time.Second

// maxReply bounds how much of Kea's answer is read. statistic-get-all keeps
// 20 samples per statistic; a few megabytes covers thousands of subnets.
const maxReply = 64 << 20

var (
	// ErrNoSocket means nothing listens at the socket path: Kea is not
	// running, has not opened its control socket yet, or the path is wrong.
	ErrNoSocket = errors.New("kea control socket not available")
	// ErrPermission means the socket exists but this process may not use it.
	ErrPermission = errors.New("kea control socket permission denied")
)

// Client sends commands to one Kea server's control socket. The zero value
// is not usable; set Path. A Client is safe for concurrent use: each command
// opens its own connection, as Kea closes the connection after answering.
type Client struct {
	// Path is the unix socket Kea listens on.
	Path string
	// Timeout applies when ctx has no deadline; 0 means DefaultTimeout.
	Timeout time.Duration
}

// New returns a client for the control socket at path.
func New(path string) *Client { return &Client{Path: path} }

// Response is Kea's reply envelope.
type Response struct {
	Result    int             `json:"result"`
	Text      string          `json:"text"`
	Arguments json.RawMessage `json:"arguments"`
}

// Kea's result codes.
const (
	ResultSuccess     = 0
	ResultError       = 1
	ResultUnsupported = 2
	ResultEmpty       = 3
)

// Error is a reply whose result is not success (or empty).
type Error struct {
	Command string
	Result  int
	Text    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("kea %s: result %d: %s", e.Command, e.Result, e.Text)
}

// Do sends command with args (nil for none) and returns Kea's reply. A reply
// whose result is neither success nor empty is returned with an *Error.
func (c *Client) Do(ctx context.Context, command string, args any) (*Response, error) {
	if _, ok := ctx.Deadline(); !ok {
		t := c.Timeout
		if t <= 0 {
			t = DefaultTimeout
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t)
		defer cancel()
	}
	req := map[string]any{"command": command}
	if args != nil {
		req["arguments"] = args
	}
	body, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", command, err)
	}
	conn, err := c.dial(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// A past deadline set once ctx is done unblocks Write and Decode; ctx
	// has its error by then, so the caller sees why.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := conn.Write(body); err != nil {
		return nil, fmt.Errorf("send %s: %w", command, ctxErr(ctx, err))
	}
	var resp Response
	if err := json.NewDecoder(io.LimitReader(conn, maxReply)).Decode(&resp); err != nil {
		return nil, fmt.Errorf("read %s reply: %w", command, ctxErr(ctx, err))
	}
	if resp.Result != ResultSuccess && resp.Result != ResultEmpty {
		return &resp, &Error{Command: command, Result: resp.Result, Text: resp.Text}
	}
	return &resp, nil
}

func (c *Client) dial(ctx context.Context) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", c.Path)
	if err == nil {
		return conn, nil
	}
	switch {
	case errors.Is(err, os.ErrNotExist), errors.Is(err, errConnRefused):
		return nil, fmt.Errorf("dial %s: %w (is kea-dhcp4 running with this control-socket?)", c.Path, ErrNoSocket)
	case errors.Is(err, os.ErrPermission):
		return nil, fmt.Errorf("dial %s: %w (run as root or as Kea's user)", c.Path, ErrPermission)
	}
	return nil, fmt.Errorf("dial %s: %w", c.Path, ctxErr(ctx, err))
}

// ctxErr prefers the context's error when the context caused the failure:
// "context deadline exceeded" says more than "i/o timeout".
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	return err
}
