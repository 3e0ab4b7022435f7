package dashboard

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/diskum-tangerang/umkmbot/store"
)

// sessionKey carries the request's store.WebSession in its context.
type sessionKey struct{}

// Cookie names. Behind https the session cookie takes the __Host- prefix,
// which browsers accept only Secure, from the host itself, for path /.
const (
	cookieName    = "dasbor_sesi"
	preCookieName = "dasbor_masuk"
)

func (s *Server) sessionCookie() string {
	if s.secure {
		return "__Host-" + cookieName
	}
	return cookieName
}

// newToken is 32 random bytes, hex: the secret of a link, a session or a
// CSRF token.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// hashToken is what the store keys a token by: whoever reads Redis cannot
// use what they read.
func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// ErrTooManyLinks is returned by LoginLink when a staff member asked for
// too many links within the limit's window; it wraps store.ErrFull.
var ErrTooManyLinks = fmt.Errorf("dashboard: too many login links: %w", store.ErrFull)

// LoginLink makes a one-time login link for a staff member, valid for
// LinkTTL. It refuses with ErrTooManyLinks past the per-staff limit. The
// caller has checked that staff is staff; the login checks again.
func (s *Server) LoginLink(ctx context.Context, staff int64) (string, time.Time, error) {
	locked, _, err := s.cfg.LinkLimit.Locked(ctx, staff)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("login link limit of %d: %w", staff, err)
	}
	if locked {
		return "", time.Time{}, ErrTooManyLinks
	}
	if _, _, err := s.cfg.LinkLimit.Fail(ctx, staff); err != nil {
		return "", time.Time{}, fmt.Errorf("login link limit of %d: %w", staff, err)
	}
	tok := newToken()
	if err := s.cfg.Auth.PutLogin(ctx, hashToken(tok), staff, LinkTTL); err != nil {
		return "", time.Time{}, err
	}
	return s.base.String() + "/masuk?t=" + tok, s.cfg.Now().Add(LinkTTL), nil
}

// loginPage answers a login link with a button that posts it. The link
// is only spent by the POST, so that Telegram's link preview, which fetches
// the URL, does not use it up. The page sets a short-lived cookie whose
// value the form posts back (double-submit CSRF token).
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("t")
	if len(tok) != 64 {
		s.refuse(w, r, http.StatusUnauthorized, "Tautan masuk ini tidak lengkap. Silakan minta tautan baru dengan mengetik /dasbor di bot.")
		return
	}
	csrf := newToken()
	http.SetCookie(w, &http.Cookie{Name: preCookieName, Value: csrf, Path: "/masuk", MaxAge: int(LinkTTL / time.Second),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	s.render(w, r, http.StatusOK, "login", page{Title: "Masuk", CSRF: csrf, Data: tok})
}

// login spends the link and opens a session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	pre, err := r.Cookie(preCookieName)
	if err != nil || !sameToken(pre.Value, r.PostFormValue("csrf")) {
		s.refuse(w, r, http.StatusForbidden, "Formulir masuk sudah kedaluwarsa. Silakan buka lagi tautan dari bot.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: preCookieName, Path: "/masuk", MaxAge: -1, HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteStrictMode})
	staff, err := s.cfg.Auth.TakeLogin(r.Context(), hashToken(r.PostFormValue("t")))
	if errors.Is(err, store.ErrNotFound) {
		s.refuse(w, r, http.StatusUnauthorized, "Tautan masuk ini sudah dipakai atau sudah lewat 10 menit. Silakan minta tautan baru dengan mengetik /dasbor di bot.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ok, err := s.cfg.IsStaff(r.Context(), staff); err != nil {
		s.fail(w, r, err)
		return
	} else if !ok {
		s.refuse(w, r, http.StatusForbidden, "Dasbor hanya untuk petugas Dinas.")
		return
	}
	tok := newToken()
	sess := store.WebSession{Staff: staff, CSRF: newToken(), CreatedAt: s.cfg.Now()}
	if err := s.cfg.Auth.PutWebSession(r.Context(), hashToken(tok), sess, SessionIdle); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Audit.Audit(r.Context(), store.AuditEntry{Actor: staff, Action: "dashboard.login",
		Object: "staff:" + strconv.FormatInt(staff, 10)}); err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookie(), Value: tok, Path: "/", HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, staff int64) {
	if c, err := r.Cookie(s.sessionCookie()); err == nil {
		if err := s.cfg.Auth.DeleteWebSession(r.Context(), hashToken(c.Value)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := s.cfg.Audit.Audit(r.Context(), store.AuditEntry{Actor: staff, Action: "dashboard.logout",
		Object: "staff:" + strconv.FormatInt(staff, 10)}); err != nil {
		s.cfg.Log.Error("dashboard audit", "err", err)
	}
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookie(), Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteStrictMode})
	s.render(w, r, http.StatusOK, "message", page{Title: "Sudah keluar", Data: message{
		Text: "Anda sudah keluar dari Dasbor Dinas. Untuk masuk lagi, ketik /dasbor di bot.", Login: false}})
}

// staffOnly runs h for a signed-in staff member: a valid session cookie,
// a staff member still on the list and, on a POST, the session's CSRF
// token. Anyone else gets a page saying how to sign in.
func (s *Server) staffOnly(h func(http.ResponseWriter, *http.Request, int64)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(s.sessionCookie())
		if err != nil || c.Value == "" {
			s.refuse(w, r, http.StatusUnauthorized, "Silakan masuk dulu: ketik /dasbor di bot untuk mendapat tautan masuk.")
			return
		}
		sess, err := s.cfg.Auth.WebSession(r.Context(), hashToken(c.Value), SessionIdle)
		if errors.Is(err, store.ErrNotFound) {
			s.refuse(w, r, http.StatusUnauthorized, "Sesi Anda sudah berakhir. Ketik /dasbor di bot untuk mendapat tautan masuk baru.")
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ok, err := s.cfg.IsStaff(r.Context(), sess.Staff)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !ok {
			_ = s.cfg.Auth.DeleteWebSession(r.Context(), hashToken(c.Value))
			s.refuse(w, r, http.StatusForbidden, "Dasbor hanya untuk petugas Dinas.")
			return
		}
		if r.Method == http.MethodPost && !sameToken(sess.CSRF, r.PostFormValue("csrf")) {
			s.refuse(w, r, http.StatusForbidden, "Formulir ini sudah tidak berlaku. Silakan muat ulang halaman lalu coba lagi.")
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess)), sess.Staff)
	}
}

// sameToken compares two tokens in constant time; empty never matches.
func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// refuse shows why the page is not shown.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, text string) {
	s.render(w, r, status, "message", page{Title: "Dasbor Dinas", Data: message{Text: text, Login: true}})
}
