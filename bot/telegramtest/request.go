package telegramtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
)

// maxBody bounds a request body; Telegram's own upload limit is 50 MB.
const maxBody = 50 << 20

// parseRequest reads the parameters of a Bot API call from the query string
// and from a multipart, urlencoded or JSON body, the three encodings Telegram
// accepts. Values are kept as the text the client sent: JSON bodies turn
// strings into their contents and anything else (numbers, objects) into its
// JSON text, which is what a form would carry.
func parseRequest(r *http.Request) (map[string]string, []File, error) {
	params := map[string]string{}
	for k, v := range r.URL.Query() {
		params[k] = v[0]
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, nil, fmt.Errorf("read body: %w", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return params, nil, nil // getMe and friends send an empty multipart body
	}
	ct, ctParams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		return parseMultipart(body, ctParams["boundary"], params)
	case "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, fmt.Errorf("bad urlencoded body: %w", err)
		}
		for k, v := range form {
			params[k] = v[0]
		}
		return params, nil, nil
	case "application/json":
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			return nil, nil, fmt.Errorf("bad JSON body: %w", err)
		}
		for k, raw := range fields {
			var s string
			switch {
			case string(raw) == "null":
			case json.Unmarshal(raw, &s) == nil:
				params[k] = s
			default:
				var compact bytes.Buffer
				_ = json.Compact(&compact, raw)
				params[k] = compact.String()
			}
		}
		return params, nil, nil
	}
	return nil, nil, fmt.Errorf("unsupported content type %q", ct)
}

func parseMultipart(body []byte, boundary string, params map[string]string) (map[string]string, []File, error) {
	if boundary == "" {
		return nil, nil, errors.New("multipart body without boundary")
	}
	form, err := multipart.NewReader(bytes.NewReader(body), boundary).ReadForm(maxBody)
	if err != nil {
		return nil, nil, fmt.Errorf("bad multipart body: %w", err)
	}
	defer func() { _ = form.RemoveAll() }()
	for k, v := range form.Value {
		params[k] = v[0]
	}
	var files []File
	for field, hs := range form.File {
		for _, h := range hs {
			f, err := h.Open()
			if err != nil {
				return nil, nil, fmt.Errorf("open part %s: %w", field, err)
			}
			data, err := io.ReadAll(f)
			_ = f.Close()
			if err != nil {
				return nil, nil, fmt.Errorf("read part %s: %w", field, err)
			}
			files = append(files, File{Field: field, Name: h.Filename, Data: data})
		}
	}
	return params, files, nil
}

// chatID reads the chat_id parameter; only numeric ids exist in the fake.
func chatID(p map[string]string) (int64, *APIError) {
	v, ok := p["chat_id"]
	if !ok || v == "" {
		return 0, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest("chat not found")
	}
	return id, nil
}
