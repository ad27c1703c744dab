#include "core/export/sheet_template.hpp"

#include "core/config/paths.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#ifndef PD_ASSETS_DIR
#define PD_ASSETS_DIR "assets"
#endif

namespace fs = std::filesystem;

namespace core::exporter {
namespace {

// A grid dimension as an int, or empty when it is not a whole number 1..1000 (never an overflowing cast).
std::optional<int> gridCount(double value) {
    if (!(value >= 1 && value <= 1000) || value != static_cast<double>(static_cast<int>(value))) return std::nullopt;
    return static_cast<int>(value);
}

constexpr double kEpsilonMm = 0.01;  // JSON decimals: 0.01 mm is far below what a printer resolves

Error badTemplate(const std::string& origin, const std::string& what) {
    return makeError(ErrorCode::InvalidInput,
                     "Template " + origin + " is not usable: " + what + ". Fix the template file or pick another template.");
}

Result<std::string> readText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return makeError(ErrorCode::NotFound, "Could not open template file '" + path.string() +
                                                  "'. Check the path, or run `pickupctl templates` to list templates.");
    }
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Templates of one directory, parsed; unreadable directories give nothing, bad files an error.
Status collectDir(const fs::path& dir, std::map<std::string, SheetTemplate>& out) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return {};
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        auto text = readText(file);
        if (!text) return text.error();
        auto t = parseTemplateJson(*text, "'" + file.string() + "'");
        if (!t) return t.error();
        out[t->name] = std::move(*t);
    }
    return {};
}

Result<std::pair<double, double>> parsePair(std::string_view text, const std::string& key) {
    const auto x = text.find('x');
    if (x == std::string_view::npos) {
        return makeError(ErrorCode::InvalidInput, "Grid spec value " + key + "=" + std::string(text) +
                                                      " needs the form AxB (for example 63.5x33.9).");
    }
    try {
        std::size_t used1 = 0, used2 = 0;
        const std::string a(text.substr(0, x)), b(text.substr(x + 1));
        const double first = std::stod(a, &used1), second = std::stod(b, &used2);
        if (used1 != a.size() || used2 != b.size()) throw std::invalid_argument("trailing text");
        return std::pair{first, second};
    } catch (const std::exception&) {
        return makeError(ErrorCode::InvalidInput, "Grid spec value " + key + "=" + std::string(text) +
                                                      " is not two numbers AxB (for example 63.5x33.9).");
    }
}

}  // namespace

Rect SheetTemplate::labelRect(int slot, Offset offset) const {
    const int col = slot % columns;
    const int row = slot / columns;
    return Rect{marginLeftMm + col * pitchXMm + offset.xMm, marginTopMm + row * pitchYMm + offset.yMm, labelWidthMm,
                labelHeightMm};
}

Status validateTemplate(const SheetTemplate& t) {
    const std::string origin = "'" + t.name + "'";
    if (t.name.empty()) return badTemplate("(unnamed)", "it has no name");
    if (t.pageWidthMm <= 0 || t.pageHeightMm <= 0) return badTemplate(origin, "the page size must be positive");
    if (t.labelWidthMm <= 0 || t.labelHeightMm <= 0) return badTemplate(origin, "the label size must be positive");
    if (t.columns < 1 || t.rows < 1 || t.columns * t.rows > 1000) {
        return badTemplate(origin, "columns and rows must be at least 1 (and at most 1000 labels a page)");
    }
    if (t.marginLeftMm < 0 || t.marginTopMm < 0) return badTemplate(origin, "margins cannot be negative");
    if ((t.columns > 1 && t.pitchXMm + kEpsilonMm < t.labelWidthMm) ||
        (t.rows > 1 && t.pitchYMm + kEpsilonMm < t.labelHeightMm)) {
        return badTemplate(origin, "the pitch is smaller than the label, so labels would overlap");
    }
    const Rect last = t.labelRect(t.labelsPerPage() - 1);
    if (last.x + last.w > t.pageWidthMm + kEpsilonMm || last.y + last.h > t.pageHeightMm + kEpsilonMm) {
        return badTemplate(origin, "the labels do not fit on the page (check margins, pitch and grid)");
    }
    if (t.labelWidthMm < 15 || t.labelHeightMm < 15) {
        return badTemplate(origin, "labels must be at least 15 x 15 mm to hold a scannable QR code");
    }
    return {};
}

Result<SheetTemplate> parseTemplateJson(std::string_view json, const std::string& origin) {
    try {
        const auto j = nlohmann::json::parse(json);
        SheetTemplate t;
        t.name = j.at("name").get<std::string>();
        t.title = j.value("title", t.name);
        t.roll = j.value("kind", std::string("sheet")) == "roll";
        t.pageWidthMm = j.at("page_width_mm").get<double>();
        t.pageHeightMm = j.at("page_height_mm").get<double>();
        t.marginLeftMm = j.value("margin_left_mm", 0.0);
        t.marginTopMm = j.value("margin_top_mm", 0.0);
        t.labelWidthMm = j.at("label_width_mm").get<double>();
        t.labelHeightMm = j.at("label_height_mm").get<double>();
        t.pitchXMm = j.value("pitch_x_mm", t.labelWidthMm);
        t.pitchYMm = j.value("pitch_y_mm", t.labelHeightMm);
        // Read as double and range-check before the cast: a huge value must not overflow int (a fuzz finding).
        const auto columns = gridCount(j.value("columns", 1.0));
        const auto rows = gridCount(j.value("rows", 1.0));
        if (!columns || !rows) return badTemplate(origin, "columns and rows must be whole numbers from 1 to 1000");
        t.columns = *columns;
        t.rows = *rows;
        if (t.roll && t.labelsPerPage() != 1) return badTemplate(origin, "a roll template holds one label per page");
        if (auto ok = validateTemplate(t); !ok) return ok.error();
        return t;
    } catch (const std::exception& e) {
        return badTemplate(origin, std::string("it is not valid template JSON (") + e.what() + ")");
    }
}

std::string templateToJson(const SheetTemplate& t) {
    nlohmann::ordered_json j{{"name", t.name},
                             {"title", t.title},
                             {"kind", t.roll ? "roll" : "sheet"},
                             {"page_width_mm", t.pageWidthMm},
                             {"page_height_mm", t.pageHeightMm},
                             {"margin_left_mm", t.marginLeftMm},
                             {"margin_top_mm", t.marginTopMm},
                             {"label_width_mm", t.labelWidthMm},
                             {"label_height_mm", t.labelHeightMm},
                             {"pitch_x_mm", t.pitchXMm},
                             {"pitch_y_mm", t.pitchYMm},
                             {"columns", t.columns},
                             {"rows", t.rows}};
    return j.dump(2);
}

Result<SheetTemplate> parseGridSpec(std::string_view spec) {
    SheetTemplate t;
    t.name = "custom";
    bool hasMargin = false, hasPitch = false, hasLabel = false, hasPage = false;
    std::size_t pos = 0;
    while (pos <= spec.size()) {
        const std::size_t comma = std::min(spec.find(',', pos), spec.size());
        const std::string_view item = spec.substr(pos, comma - pos);
        pos = comma + 1;
        if (item.empty()) continue;
        const auto eq = item.find('=');
        const std::string key(item.substr(0, eq));
        if (eq == std::string_view::npos) {
            return makeError(ErrorCode::InvalidInput, "Grid spec item '" + std::string(item) +
                                                          "' needs key=AxB; keys: page, margin, label, pitch, grid.");
        }
        auto pair = parsePair(item.substr(eq + 1), key);
        if (!pair) return pair.error();
        const auto [a, b] = *pair;
        if (key == "page") { t.pageWidthMm = a; t.pageHeightMm = b; hasPage = true; }
        else if (key == "margin") { t.marginLeftMm = a; t.marginTopMm = b; hasMargin = true; }
        else if (key == "label") { t.labelWidthMm = a; t.labelHeightMm = b; hasLabel = true; }
        else if (key == "pitch") { t.pitchXMm = a; t.pitchYMm = b; hasPitch = true; }
        else if (key == "grid") {
            const auto columns = gridCount(a);
            const auto rows = gridCount(b);
            if (!columns || !rows) {
                return makeError(ErrorCode::InvalidInput, "Grid columns and rows must be whole numbers from 1 to 1000.");
            }
            t.columns = *columns;
            t.rows = *rows;
        }
        else {
            return makeError(ErrorCode::InvalidInput, "Grid spec key '" + key + "' is unknown; use page, margin, label, pitch, grid.");
        }
    }
    if (!hasPage || !hasLabel) {
        return makeError(ErrorCode::InvalidInput, "A grid spec needs at least page=WxH and label=WxH (mm).");
    }
    if (!hasPitch) { t.pitchXMm = t.labelWidthMm; t.pitchYMm = t.labelHeightMm; }
    if (!hasMargin) {
        t.marginLeftMm = std::max(0.0, (t.pageWidthMm - (t.columns - 1) * t.pitchXMm - t.labelWidthMm) / 2);
        t.marginTopMm = std::max(0.0, (t.pageHeightMm - (t.rows - 1) * t.pitchYMm - t.labelHeightMm) / 2);
    }
    t.roll = t.labelsPerPage() == 1;
    t.title = "Custom grid " + std::to_string(t.columns) + "x" + std::to_string(t.rows);
    if (auto ok = validateTemplate(t); !ok) return ok.error();
    return t;
}

std::string builtinTemplateDir() {
    if (const char* env = std::getenv("PICKUPDESK_ASSETS_DIR"); env && *env) return (fs::path(env) / "templates").string();
    return (fs::path(PD_ASSETS_DIR) / "templates").string();
}

std::string userTemplateDir() { return (fs::path(config::configDir()) / "templates").string(); }

Result<std::vector<SheetTemplate>> listTemplates() {
    std::map<std::string, SheetTemplate> byName;
    if (auto ok = collectDir(builtinTemplateDir(), byName); !ok) return ok.error();
    if (auto ok = collectDir(userTemplateDir(), byName); !ok) return ok.error();
    std::vector<SheetTemplate> out;
    for (auto& [name, t] : byName) out.push_back(std::move(t));
    return out;
}

Result<SheetTemplate> findTemplate(const std::string& nameOrPath) {
    if (nameOrPath.size() > 5 && nameOrPath.ends_with(".json")) {
        auto text = readText(nameOrPath);
        if (!text) return text.error();
        return parseTemplateJson(*text, "'" + nameOrPath + "'");
    }
    auto all = listTemplates();
    if (!all) return all.error();
    std::string names;
    for (auto& t : *all) {
        if (t.name == nameOrPath) return std::move(t);
        names += (names.empty() ? "" : ", ") + t.name;
    }
    return makeError(ErrorCode::NotFound, "There is no label template named '" + nameOrPath + "'. Known templates: " +
                                              (names.empty() ? "(none found in " + builtinTemplateDir() + ")" : names) +
                                              "; or give a .json file or a custom grid.");
}

}  // namespace core::exporter
