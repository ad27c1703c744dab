// Label templates (core/export/sheet_template): user JSON files and grid specs. A template that
// parses is validated; a valid one gives label rectangles inside the page and round-trips.
#include "core/export/sheet_template.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void checkValid(const core::exporter::SheetTemplate& t) {
    if (!core::exporter::validateTemplate(t)) return;
    const int slots = t.labelsPerPage();
    for (int slot = 0; slot < slots && slot < 4096; ++slot) {
        const auto r = t.labelRect(slot);
        // Validation promises the grid fits on the page (a small tolerance for rounding).
        if (r.x < -1e-6 || r.y < -1e-6 || r.x + r.w > t.pageWidthMm + 1e-3 || r.y + r.h > t.pageHeightMm + 1e-3) {
            std::abort();
        }
    }
    auto again = core::exporter::parseTemplateJson(core::exporter::templateToJson(t), "round trip");
    if (!again) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto t = core::exporter::parseTemplateJson(text, "fuzz.json")) checkValid(*t);
    if (auto g = core::exporter::parseGridSpec(text)) checkValid(*g);
    return 0;
}
