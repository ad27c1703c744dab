// The scroll copy (app/desktop/redraw_scroll.hpp): a table built headlessly as the codes view builds
// its own, scrolled by whole pixels. The pixels are checked against full redraws by the smoke test
// (PICKUPDESK_CHECK_REDRAW, tests/app/smoke_test.cpp); here, which copy and damage a frame plans.
#include "app/desktop/redraw_damage.hpp"
#include "app/desktop/redraw_rows.hpp"
#include "tests/app/headless_ui.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <utility>
#include <vector>

using app::desktop::DamageTracker;
using app::desktop::PixelRect;

namespace {

constexpr int kWidth = 1280;
constexpr int kHeight = 800;

struct TableScene {
    std::optional<float> scrollTo;
    int hovered = -1;  // a row drawn highlighted, as under the mouse
    bool noteRows = true;
    bool tooltip = false;
    float tableHeight = 0.f;  // 0: to the window's bottom

    void draw() {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(kWidth, kHeight));
        ImGui::Begin("shell", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
        ImGui::TextUnformatted("a toolbar above the table");
        const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable;
        if (ImGui::BeginTable("##rows", 4, flags, ImVec2(0.f, tableHeight))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            for (const char* name : {"code", "id", "product", "status"}) ImGui::TableSetupColumn(name);
            ImGui::TableHeadersRow();
            ImGui::GetWindowDrawList()->Flags &= ~(ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedFill);
            if (scrollTo) ImGui::SetScrollY(*std::exchange(scrollTo, std::nullopt));
            app::desktop::ScrolledRowsRecorder rows;
            ImGuiListClipper clipper;
            clipper.Begin(100000);
            while (clipper.Step()) {
                for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                    ImGui::TableNextRow();
                    if (noteRows) rows.rowStarted(i);
                    if (i == hovered) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, IM_COL32(80, 80, 160, 255));
                    ImGui::TableNextColumn();
                    ImGui::Text("%08d", 10000000 + i * 7);
                    ImGui::TableNextColumn();
                    ImGui::Text("%d", i);
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(i % 3 == 0 ? "cola" : "water");
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted("unused");
                }
            }
            if (noteRows) rows.finish();
            ImGui::EndTable();
        }
        ImGui::End();
        if (tooltip) {
            ImGui::SetNextWindowPos(ImVec2(300, 400));
            ImGui::Begin("tip", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
            ImGui::TextUnformatted("a window over the rows");
            ImGui::End();
        }
    }
};

struct Fixture {
    apptest::HeadlessUi ui{ImVec2(kWidth, kHeight)};
    TableScene scene;
    DamageTracker tracker;

    Fixture() {
        ui.setDraw([this] { scene.draw(); });
        ui.frame(3);
        tracker.update(*ImGui::GetDrawData(), kWidth, kHeight, app::desktop::takeScrolledRows());
        next();
    }

    std::vector<PixelRect> next() {
        ui.frame();
        return tracker.update(*ImGui::GetDrawData(), kWidth, kHeight, app::desktop::takeScrolledRows());
    }
    // Scrolls to y: one frame asks, the next shows it.
    std::vector<PixelRect> scroll(float y) {
        scene.scrollTo = y;
        next();
        return next();
    }
};

bool contains(const PixelRect& r, int x, int y) { return x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1; }

bool anyContains(const std::vector<PixelRect>& rects, int x, int y) {
    for (const PixelRect& r : rects) {
        if (contains(r, x, y)) return true;
    }
    return false;
}

long long area(const std::vector<PixelRect>& rects) {
    long long sum = 0;
    for (const PixelRect& r : rects) sum += r.area();
    return sum;
}

}  // namespace

TEST_CASE("scroll copy: rows that moved by whole pixels are copied, only the rows that came in are drawn") {
    Fixture f;
    const auto damage = f.scroll(240.f);
    REQUIRE(f.tracker.scrollCopy().has_value());
    const app::desktop::ScrollCopy copy = *f.tracker.scrollCopy();
    CHECK(copy.dy == -240);  // the rows moved up
    // The region is the rows' area: the table's width, below its header, to the window's bottom.
    CHECK(copy.region.x0 < 20);
    CHECK(copy.region.x1 > kWidth - 40);
    CHECK(copy.region.y0 > 30);
    CHECK(copy.region.y0 < 60);
    CHECK(copy.region.y1 > kHeight - 20);
    const int middle = (copy.region.y0 + copy.region.y1) / 2;
    const int x = kWidth / 2;
    CHECK_FALSE(anyContains(damage, x, middle));         // a row that only moved
    CHECK(anyContains(damage, x, copy.region.y1 - 10));  // the rows that came in at the bottom
    CHECK(anyContains(damage, x, copy.region.y1 - 235));
    CHECK(area(damage) < copy.region.area() / 2);
    // Once drawn, a frame without a scroll has nothing to copy or draw.
    CHECK(f.next().empty());
    CHECK_FALSE(f.tracker.scrollCopy().has_value());
}

TEST_CASE("scroll copy: a highlight that stays under the mouse is drawn where it is and where the copy moved it") {
    Fixture f;
    // The row under the mouse at y ~ 400 before and after a scroll by 12 rows of the same height.
    f.scene.hovered = 20;
    f.next();
    const ImGuiWindow* rows = f.ui.window("##rows");
    REQUIRE(rows != nullptr);
    const float rowHeight = ImGui::GetFrameHeight() - ImGui::GetStyle().FramePadding.y * 2 + ImGui::GetStyle().CellPadding.y * 2;
    f.scene.scrollTo = 12 * rowHeight;
    f.next();
    f.scene.hovered = 32;
    const auto damage = f.next();
    REQUIRE(f.tracker.scrollCopy().has_value());
    const app::desktop::ScrollCopy copy = *f.tracker.scrollCopy();
    const int moved = -copy.dy;
    CHECK(moved == static_cast<int>(12 * rowHeight));
    const int y = static_cast<int>(copy.region.y0 + 20.5f * rowHeight);  // inside row 20 before, row 32 after
    CHECK(anyContains(damage, kWidth / 2, y));          // the highlight now
    CHECK(anyContains(damage, kWidth / 2, y - moved));  // where the copy put the old highlight
    CHECK_FALSE(anyContains(damage, kWidth / 2, y - moved / 2));
}

TEST_CASE("scroll copy: a window over the rows is drawn again, where it is and where the copy moved it") {
    Fixture f;
    f.scene.tooltip = true;
    f.next();
    f.next();
    const auto damage = f.scroll(240.f);
    REQUIRE(f.tracker.scrollCopy().has_value());
    CHECK(anyContains(damage, 310, 410));        // the window, at (300, 400)
    CHECK(anyContains(damage, 310, 410 - 240));  // its pixels, moved up with the rows
}

TEST_CASE("scroll copy: without rows noted, or with the copy turned off, the frame is damaged as before") {
    SUBCASE("no rows noted") {
        Fixture f;
        f.scene.noteRows = false;
        f.next();
        const auto damage = f.scroll(240.f);
        CHECK_FALSE(f.tracker.scrollCopy().has_value());
        CHECK(anyContains(damage, kWidth / 2, kHeight / 2));
    }
    SUBCASE("turned off") {
        Fixture f;
        f.tracker.allowScrollCopy(false);
        const auto damage = f.scroll(240.f);
        CHECK_FALSE(f.tracker.scrollCopy().has_value());
        CHECK(anyContains(damage, kWidth / 2, kHeight / 2));
    }
}

// Scrolled from the top by whole rows, a row's top border meets the table's edge and is drawn
// beyond the column lines' ends (for this table's height the last row's, found in the app at its
// 1,000,000-code benchmark), so the rows' region reaches a pixel or two past them. The lines still
// count as unchanged bands (this made every such frame redraw the whole table), and the region's
// rows they miss are drawn again (the smoke test's redraw check compares the pixels).
TEST_CASE("scroll copy: rows lined up with the table's edge are copied too, not the whole table drawn") {
    Fixture f;
    f.scene.tableHeight = 613.f;
    f.scroll(0.f);
    const float rowHeight = ImGui::GetTextLineHeight() + 2.f * ImGui::GetStyle().CellPadding.y;
    const auto damage = f.scroll(12.f * rowHeight);
    REQUIRE(f.tracker.scrollCopy().has_value());
    const app::desktop::ScrollCopy copy = *f.tracker.scrollCopy();
    CHECK(copy.dy == -static_cast<int>(12.f * rowHeight));
    const int middle = (copy.region.y0 + copy.region.y1) / 2;
    CHECK_FALSE(anyContains(damage, kWidth / 2, middle));  // a row that only moved
    CHECK(area(damage) < copy.region.area() / 2);
}
