package keactl

import (
	"context"
	"encoding/json"
	"fmt"
)

// VersionGet returns Kea's version ("2.2.0") and its extended description.
func (c *Client) VersionGet(ctx context.Context) (version, extended string, err error) {
	resp, err := c.Do(ctx, "version-get", nil)
	if err != nil {
		return "", "", err
	}
	var args struct {
		Extended string `json:"extended"`
	}
	if len(resp.Arguments) > 0 {
		if err := json.Unmarshal(resp.Arguments, &args); err != nil {
			return "", "", fmt.Errorf("decode version-get: %w", err)
		}
	}
	return resp.Text, args.Extended, nil
}

// ConfigGet returns the running configuration as Kea prints it.
func (c *Client) ConfigGet(ctx context.Context) (json.RawMessage, error) {
	resp, err := c.Do(ctx, "config-get", nil)
	if err != nil {
		return nil, err
	}
	return resp.Arguments, nil
}

// StatisticResetAll sets every statistic back to zero.
func (c *Client) StatisticResetAll(ctx context.Context) error {
	_, err := c.Do(ctx, "statistic-reset-all", nil)
	return err
}

// StatisticGetAll returns every statistic's latest value.
func (c *Client) StatisticGetAll(ctx context.Context) (Stats, error) {
	resp, err := c.Do(ctx, "statistic-get-all", nil)
	if err != nil {
		return nil, err
	}
	s, err := ParseStats(resp.Arguments)
	if err != nil {
		return nil, fmt.Errorf("decode statistic-get-all: %w", err)
	}
	return s, nil
}

// Statistics is StatisticGetAll as a plain map, the shape monitor's
// StatsReader wants.
func (c *Client) Statistics(ctx context.Context) (map[string]int64, error) {
	return c.StatisticGetAll(ctx)
}
