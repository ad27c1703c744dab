#include "app/desktop/i18n.hpp"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace app::desktop {
namespace {

const I18n* g_catalog = nullptr;

bool readCatalog(const std::string& path, std::unordered_map<std::string, std::string>& out, std::string& error) {
    std::ifstream in(path);
    if (!in) {
        error = "Cannot open the string catalogue " + path + ": reinstall the app's assets folder.";
        return false;
    }
    const auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        error = "The string catalogue " + path + " is not a JSON object: fix or restore the file.";
        return false;
    }
    out.clear();
    for (const auto& [key, value] : json.items()) {
        if (value.is_string()) out[key] = value.get<std::string>();
    }
    return true;
}

}  // namespace

bool I18n::load(const std::string& dir, const std::string& lang, std::string& error) {
    std::unordered_map<std::string, std::string> en;
    if (!readCatalog(dir + "/en.json", en, error)) return false;
    std::unordered_map<std::string, std::string> text = en;
    if (lang != "en" && !readCatalog(dir + "/" + lang + ".json", text, error)) return false;
    m_fallback = std::move(en);
    m_text = std::move(text);
    m_lang = lang;
    return true;
}

const char* I18n::tr(std::string_view key) const {
    const std::string k(key);
    if (auto it = m_text.find(k); it != m_text.end()) return it->second.c_str();
    if (auto it = m_fallback.find(k); it != m_fallback.end()) return it->second.c_str();
    // Unknown key: remember it so the returned pointer stays valid.
    static thread_local std::unordered_map<std::string, std::string> missing;
    return missing.emplace(k, k).first->second.c_str();
}

bool I18n::has(std::string_view key) const { return m_text.count(std::string(key)) > 0; }

std::string I18n::allText(const std::string& dir) {
    std::string all;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() != ".json") continue;
        std::unordered_map<std::string, std::string> strings;
        std::string error;
        if (!readCatalog(entry.path().string(), strings, error)) continue;
        for (const auto& [key, value] : strings) all += value;
    }
    return all;
}

void setActiveCatalog(const I18n* catalog) { g_catalog = catalog; }

bool uiIsChinese() { return g_catalog != nullptr && g_catalog->lang() == "zh"; }

const char* tr(std::string_view key) {
    if (g_catalog != nullptr) return g_catalog->tr(key);
    static thread_local std::string last;
    last = std::string(key);
    return last.c_str();
}

std::string trf(std::string_view key, const std::vector<std::string>& args) {
    std::string text = tr(key);
    // Positional slots "{0}", "{1}" let a translation reorder values; plain "{}" take them in order.
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string slot = "{" + std::to_string(i) + "}";
        for (auto at = text.find(slot); at != std::string::npos; at = text.find(slot, at + args[i].size())) {
            text.replace(at, slot.size(), args[i]);
        }
    }
    size_t from = 0;
    for (const auto& arg : args) {
        const auto at = text.find("{}", from);
        if (at == std::string::npos) break;
        text.replace(at, 2, arg);
        from = at + arg.size();
    }
    return text;
}

}  // namespace app::desktop
