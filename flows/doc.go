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
//
// flows imports only looplab/fsm, package store (records, interfaces and
// sentinel errors, no drivers) and flows/field (pure parsers, for the words
// people type). Leaf packages under flows/ hold the flows
// themselves; cmd wires them with real stores.
package flows
