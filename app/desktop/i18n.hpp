#pragma once
// UI strings: one JSON catalogue per language (assets/i18n/<lang>.json), flat "key": "text".
// Core-free on purpose: the catalogue is presentation, not business logic.
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace app::desktop {

class I18n {
public:
    // Loads <dir>/en.json (the fallback) and <dir>/<lang>.json. Returns false with `error` set
    // when a file is missing or not a flat JSON object of strings.
    bool load(const std::string& dir, const std::string& lang, std::string& error);
    const std::string& lang() const { return m_lang; }

    // The text for `key`: this language, else English, else the key itself (visible, never empty).
    const char* tr(std::string_view key) const;
    bool has(std::string_view key) const;
    // Every string of every catalogue in `dir` (for building the font's glyph ranges).
    static std::string allText(const std::string& dir);
    static std::vector<std::string> languages() { return {"en", "zh"}; }

private:
    std::string m_lang = "en";
    std::unordered_map<std::string, std::string> m_text;
    std::unordered_map<std::string, std::string> m_fallback;
};

// The catalogue the UI reads through tr(); set once per language switch, between frames.
void setActiveCatalog(const I18n* catalog);
const char* tr(std::string_view key);
// True when the active catalogue is Chinese (for texts core provides in both languages).
bool uiIsChinese();
// tr(key) with each "{}" replaced by the next argument.
std::string trf(std::string_view key, const std::vector<std::string>& args);

}  // namespace app::desktop
