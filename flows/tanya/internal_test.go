package tanya

import "github.com/diskum-tangerang/umkmbot/flows"

// fakeLabels renders a message as the string it maps the ID to.
type fakeLabels map[string]string

func (f fakeLabels) Label(_ string, t flows.Text) string { return f[t.ID] }
