#include "app/desktop/settings.hpp"

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

namespace app::desktop {

Settings Settings::load(const std::string& path) {
    Settings s;
    std::ifstream in(path);
    if (!in) return s;
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return s;
    s.lang = j.value("lang", s.lang);
    s.lastMachine = j.value("last_machine", s.lastMachine);
    s.lastTab = j.value("last_tab", s.lastTab);
    s.codesTimeMode = j.value("codes_time_mode", s.codesTimeMode);
    s.codesSort = j.value("codes_sort", s.codesSort);
    s.codesDescending = j.value("codes_descending", s.codesDescending);
    s.windowWidth = j.value("window_width", s.windowWidth);
    s.windowHeight = j.value("window_height", s.windowHeight);
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
                              {"window_height", windowHeight}};
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) return false;
        out << j.dump(2) << '\n';
        if (!out) return false;
    }
    return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace app::desktop
