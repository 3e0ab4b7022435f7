// Package flows is umkmbot's conversation engine. It knows nothing of
// Telegram, Redis or Postgres: a transport turns its input into an Update,
// Engine.Handle runs one step of the user's conversation and returns
// Replies (message IDs with template data and buttons, never rendered
// text), and the transport renders and sends them.
//
// A conversation is a Flow: typed steps and one looplab/fsm event table. The
// engine rebuilds the machine from the stored session on each update, fires
// the event a step returns, and saves the session with a compare-and-set.
// Global words (batal, kembali, menu, bantuan) work in every step.
// Greetings and thanks get an answer wherever they come; outside a form,
// "berhenti" and "stop" ask about announcements (Config.StopFlow), and menu
// words ("daftar pelatihan", "cek pinjaman") open what they name
// (Config.Shortcut), as they do at a step that cannot take them as its
// answer.
//
// Each user's language is the one they chose with /bahasa, else the one
// their Telegram reports; the engine keeps the latter in the user store
// when it changes, so that messages sent later speak it too.
//
// flows imports only looplab/fsm, package store (records, interfaces and
// sentinel errors, no drivers) and flows/field (pure parsers, for the words
// people type). Leaf packages under flows/ hold the flows
// themselves; cmd wires them with real stores.
package flows
