#pragma once
// Label sheet templates: page, margins, label size, pitch and grid, in millimetres. Templates are
// data (JSON): built-in ones ship in assets/templates, user ones live in <configDir>/templates.
#include "core/util/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace core::exporter {

struct Rect {
    double x = 0, y = 0, w = 0, h = 0;  // mm from the page's top-left corner
};

// x/y shift (mm) added to every label, to correct a printer's feed; saved per printer + template.
struct Offset {
    double xMm = 0;
    double yMm = 0;
};

struct SheetTemplate {
    std::string name;   // "a4-3x8"
    std::string title;  // shown in pickers
    bool roll = false;  // a thermal roll: one label per page
    double pageWidthMm = 0, pageHeightMm = 0;
    double marginLeftMm = 0, marginTopMm = 0;
    double labelWidthMm = 0, labelHeightMm = 0;
    double pitchXMm = 0, pitchYMm = 0;  // distance from one label's left/top edge to the next one's
    int columns = 1, rows = 1;

    int labelsPerPage() const { return columns * rows; }
    // Slot 0 is the top-left label; slots run left to right, then top to bottom.
    Rect labelRect(int slot, Offset offset = {}) const;
};

// Checks sizes are positive, labels do not overlap and the grid fits on the page.
Status validateTemplate(const SheetTemplate& t);

Result<SheetTemplate> parseTemplateJson(std::string_view json, const std::string& origin);
std::string templateToJson(const SheetTemplate& t);

// "page=210x297,margin=7.25x12.9,label=63.5x33.9,pitch=66x33.9,grid=3x8" (mm; grid is
// columns x rows); pitch defaults to the label size, margin to centring the grid.
Result<SheetTemplate> parseGridSpec(std::string_view spec);

// Where built-in templates are found: $PICKUPDESK_ASSETS_DIR/templates when set, else the source
// tree's assets/templates (PD_ASSETS_DIR, set at build time for development and tests).
std::string builtinTemplateDir();
std::string userTemplateDir();  // <configDir>/templates

// Built-in then user templates (a user template with a built-in's name replaces it), by name.
Result<std::vector<SheetTemplate>> listTemplates();
// A template by name, or by path when `nameOrPath` ends in ".json".
Result<SheetTemplate> findTemplate(const std::string& nameOrPath);

}  // namespace core::exporter
