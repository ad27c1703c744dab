#pragma once
// App settings remembered between runs (settings.json in the config dir): language, last
// machine, tab and view options. The ImGui ini (window layout) lives next to it.
#include <string>

namespace app::desktop {

struct Settings {
    std::string lang = "en";
    std::string lastMachine;
    std::string lastTab = "products";
    std::string codesTimeMode = "machine";  // machine | utc | local
    std::string codesSort = "expires";      // codes_view_model.hpp parseCodeSort
    bool codesDescending = false;
    int windowWidth = 1280;
    int windowHeight = 800;
    // Characters vendor text needed beyond the font's built-in set (fonts.hpp): the next start's
    // atlas has them from its first frame instead of rebuilding once they are seen.
    std::string fontGlyphs;

    // Missing or unreadable file: defaults (first run). Unknown keys, and values of the wrong type,
    // are ignored.
    static Settings load(const std::string& path);
    // Writes atomically (temp file + rename); false when the folder is not writable.
    bool save(const std::string& path) const;
};

}  // namespace app::desktop
