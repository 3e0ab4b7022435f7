package tanya

import (
	"strings"

	"github.com/diskum-tangerang/umkmbot/flows"
	"github.com/diskum-tangerang/umkmbot/flows/field"
)

// faqKeys name the questions of the FAQ. Each has three messages in the
// locales: tanya_faq_<key>_q (the question), _a (the answer) and _kw (the
// words that point to it, separated by commas, in that language).
var faqKeys = []string{"cair", "pelatihan", "nib", "halal", "data"}

// faqMinScore is how many of an entry's words a question must contain for
// the entry to be offered.
const faqMinScore = 2

func faqQuestion(key string) flows.Text { return flows.T("tanya_faq_" + key + "_q") }
func faqAnswer(key string) flows.Text   { return flows.T("tanya_faq_" + key + "_a") }
func faqWords(key string) flows.Text    { return flows.T("tanya_faq_" + key + "_kw") }

// matchFAQ returns the key of the FAQ entry closest to question in lang,
// or "" when none is close enough. An entry scores one point for each of
// its words (or phrases) that the question contains as whole words; the
// highest score of at least faqMinScore wins, the first entry on a tie.
func matchFAQ(labels flows.Labeler, lang, question string) string {
	words := strings.Fields(field.Normalize(question))
	best, bestScore := "", 0
	for _, key := range faqKeys {
		score := 0
		for _, kw := range strings.Split(labels.Label(lang, faqWords(key)), ",") {
			if phrase := strings.Fields(field.Normalize(kw)); len(phrase) > 0 && hasPhrase(words, phrase) {
				score++
			}
		}
		if score >= faqMinScore && score > bestScore {
			best, bestScore = key, score
		}
	}
	return best
}

// hasPhrase reports whether words holds phrase's words in a row.
func hasPhrase(words, phrase []string) bool {
	for i := 0; i+len(phrase) <= len(words); i++ {
		ok := true
		for j, p := range phrase {
			if words[i+j] != p {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
