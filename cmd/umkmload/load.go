package main

import (
	"context"
	"errors"
	"io"
)

func runLoad(ctx context.Context, args []string, out, errOut io.Writer) error {
	return errors.New("load: not yet")
}
