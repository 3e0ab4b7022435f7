package flows

import "github.com/diskum-tangerang/umkmbot/flows/field"

// globalWords maps the commands of the four global words to them.
var globalWords = map[string]string{
	"batal": "batal", "cancel": "batal",
	"kembali": "kembali", "back": "kembali",
	"menu":    "menu",
	"bantuan": "bantuan", "help": "bantuan",
}

// globalWord returns the global word a whole message means ("batal saja",
// "Kembali", "tolong"), or "".
func globalWord(text string) string {
	switch {
	case field.IsCancel(text):
		return "batal"
	case field.IsBack(text):
		return "kembali"
	case field.IsMenu(text):
		return "menu"
	case field.IsHelp(text):
		return "bantuan"
	}
	return ""
}

// normalize prepares typed text and labels for comparison.
func normalize(s string) string { return field.Normalize(s) }
