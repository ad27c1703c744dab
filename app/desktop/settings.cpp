#include "app/desktop/settings.hpp"

#include <cstdio>
#include <fstream>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace app::desktop {
namespace {

// j[key] when it holds a T; `fallback` when it is missing or of another type (json::value throws).
template <typename T>
T valueOr(const nlohmann::json& j, const char* key, T fallback) {
    const auto it = j.find(key);
    if (it == j.end()) return fallback;
    if constexpr (std::is_same_v<T, std::string>) {
        return it->is_string() ? it->template get<std::string>() : fallback;
    } else if constexpr (std::is_same_v<T, bool>) {
        return it->is_boolean() ? it->template get<bool>() : fallback;
    } else {
        return it->is_number_integer() ? it->template get<T>() : fallback;
    }
}

}  // namespace

Settings Settings::load(const std::string& path) {
    Settings s;
    std::ifstream in(path);
    if (!in) return s;
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return s;
    s.lang = valueOr(j, "lang", s.lang);
    s.lastMachine = valueOr(j, "last_machine", s.lastMachine);
    s.lastTab = valueOr(j, "last_tab", s.lastTab);
    s.codesTimeMode = valueOr(j, "codes_time_mode", s.codesTimeMode);
    s.codesSort = valueOr(j, "codes_sort", s.codesSort);
    s.codesDescending = valueOr(j, "codes_descending", s.codesDescending);
    s.windowWidth = valueOr(j, "window_width", s.windowWidth);
    s.windowHeight = valueOr(j, "window_height", s.windowHeight);
    s.fontGlyphs = valueOr(j, "font_glyphs", s.fontGlyphs);
    if (s.lang != "en" && s.lang != "zh") s.lang = "en";
    if (s.windowWidth < 640 || s.windowWidth > 16384) s.windowWidth = 1280;
    if (s.windowHeight < 480 || s.windowHeight > 16384) s.windowHeight = 800;
    return s;
}

bool Settings::save(const std::string& path) const {
    const nlohmann::json j = {{"lang", lang},
                              {"last_machine", lastMachine},
                              {"last_tab", lastTab},
                              {"codes_time_mode", codesTimeMode},
                              {"codes_sort", codesSort},
                              {"codes_descending", codesDescending},
                              {"window_width", windowWidth},
                              {"window_height", windowHeight},
                              {"font_glyphs", fontGlyphs}};
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) return false;
        out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';  // never throws on bad UTF-8
        if (!out) return false;
    }
    return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace app::desktop
