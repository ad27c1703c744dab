// Partial redraw (app/desktop/redraw_damage.hpp): which framebuffer rectangles a frame must redraw,
// from real ImGui draw lists built headlessly. The pixels themselves are checked against full redraws
// by the smoke test (PICKUPDESK_CHECK_REDRAW, tests/app/smoke_test.cpp).
#include "app/desktop/redraw_damage.hpp"
#include "tests/app/headless_ui.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using app::desktop::DamageTracker;
using app::desktop::PixelRect;

namespace {

constexpr int kWidth = 1280;
constexpr int kHeight = 800;

bool contains(const PixelRect& r, int x, int y) { return x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1; }

bool anyContains(const std::vector<PixelRect>& rects, int x, int y) {
    for (const PixelRect& r : rects) {
        if (contains(r, x, y)) return true;
    }
    return false;
}

// Two fixed windows; window A's second label and position, and a third window, are the test's to change.
struct Scene {
    std::string label = "a label that changes";
    float ax = 20.f;
    bool third = false;

    static void fixedWindow(const char* name, ImVec2 pos, const char* text, const char* text2 = nullptr) {
        ImGui::SetNextWindowPos(pos);
        ImGui::SetNextWindowSize(ImVec2(200.f, 100.f));
        ImGui::Begin(name, nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoSavedSettings);
        ImGui::TextUnformatted(text);
        if (text2 != nullptr) ImGui::TextUnformatted(text2);
        ImGui::End();
    }

    void draw() const {
        fixedWindow("A", ImVec2(ax, 20.f), "static text", label.c_str());
        fixedWindow("B", ImVec2(400.f, 300.f), "other window");
        if (third) fixedWindow("C", ImVec2(800.f, 500.f), "a third window");
    }
};

struct Fixture {
    apptest::HeadlessUi ui{ImVec2(kWidth, kHeight)};
    Scene scene;
    DamageTracker tracker;

    Fixture() {
        ui.setDraw([this] { scene.draw(); });
        ui.frame(3);  // windows settle over their first frames
        REQUIRE(tracker.update(*ImGui::GetDrawData(), kWidth, kHeight) == std::vector<PixelRect>{{0, 0, kWidth, kHeight}});
    }

    std::vector<PixelRect> next() {
        ui.frame();
        return tracker.update(*ImGui::GetDrawData(), kWidth, kHeight);
    }
};

}  // namespace

TEST_CASE("redraw damage: the first frame is drawn in full, an identical one not at all") {
    Fixture f;
    CHECK(f.next().empty());
    CHECK(f.next().empty());
}

TEST_CASE("redraw damage: a changed label redraws around that label only, and the commands are clipped to it") {
    Fixture f;
    f.scene.label = "the label changed";
    const auto damage = f.next();
    REQUIRE(damage.size() == 1);
    const PixelRect r = damage.front();
    // Inside window A (20..220 x 20..120), below its first line of text, far from window B.
    CHECK(r.x0 >= 20);
    CHECK(r.x1 <= 220);
    CHECK(r.y0 >= 20 + static_cast<int>(ImGui::GetTextLineHeight()));
    CHECK(r.y1 <= 120);
    CHECK(r.y1 - r.y0 < 2 * static_cast<int>(ImGui::GetTextLineHeightWithSpacing()));
    // The middle of the second line (after the window's 8 px padding).
    CHECK(contains(r, 30, 20 + 8 + static_cast<int>(ImGui::GetTextLineHeightWithSpacing() * 1.5f)));
    // Every command that still draws is clipped to the damage.
    const ImDrawData& data = *ImGui::GetDrawData();
    int drawing = 0;
    for (int n = 0; n < data.CmdListsCount; ++n) {
        for (const ImDrawCmd& cmd : data.CmdLists[n]->CmdBuffer) {
            if (cmd.UserCallback != nullptr || cmd.ElemCount == 0) continue;
            ++drawing;
            CHECK(cmd.ClipRect.x >= static_cast<float>(r.x0));
            CHECK(cmd.ClipRect.y >= static_cast<float>(r.y0));
            CHECK(cmd.ClipRect.z <= static_cast<float>(r.x1));
            CHECK(cmd.ClipRect.w <= static_cast<float>(r.y1));
        }
    }
    CHECK(drawing >= 1);
    CHECK(f.next().empty());  // and once drawn, nothing more
}

TEST_CASE("redraw damage: a moved window redraws where it was and where it is, not what it passed") {
    Fixture f;
    f.scene.ax = 700.f;
    const auto damage = f.next();
    CHECK(anyContains(damage, 30, 30));    // where it was
    CHECK(anyContains(damage, 710, 30));   // where it is
    CHECK(!anyContains(damage, 450, 30));  // between: untouched
    CHECK(!anyContains(damage, 450, 350)); // window B
}

TEST_CASE("redraw damage: another window, a resize or invalidate() redraws everything") {
    Fixture f;
    const std::vector<PixelRect> everything{{0, 0, kWidth, kHeight}};
    f.scene.third = true;
    CHECK(f.next() == everything);
    f.next();  // a new window lays itself out over its first frames
    f.next();
    CHECK(f.next().empty());
    f.tracker.invalidate();
    CHECK(f.next() == everything);
    f.ui.frame();
    CHECK(f.tracker.update(*ImGui::GetDrawData(), kWidth, kHeight - 100) == std::vector<PixelRect>{{0, 0, kWidth, kHeight - 100}});
}

TEST_CASE("redraw damage: a full-redraw request is taken once") {
    app::desktop::requestFullRedraw();
    CHECK(app::desktop::takeFullRedrawRequest());
    CHECK_FALSE(app::desktop::takeFullRedrawRequest());
}

TEST_CASE("redraw damage: clip rectangles map to the pixels the OpenGL backend's scissor covers") {
    // imgui_impl_opengl3: glScissor((int)x0, (int)(fb_h - y1), (int)(x1 - x0), (int)(y1 - y0)).
    CHECK(app::desktop::scissorPixels(ImVec4(10.5f, 20.25f, 100.75f, 50.5f), ImVec2(0, 0), 800) == PixelRect{10, 21, 100, 51});
    CHECK(app::desktop::scissorPixels(ImVec4(0, 0, 1280, 800), ImVec2(0, 0), 800) == PixelRect{0, 0, 1280, 800});
    CHECK(app::desktop::scissorPixels(ImVec4(50, 50, 50, 90), ImVec2(0, 0), 800).empty());
}

TEST_CASE("redraw damage: rectangles merge when they overlap or touch, and down to the limit") {
    using app::desktop::mergeRects;
    const auto merged = mergeRects({{0, 0, 100, 100}, {50, 50, 150, 150}, {600, 600, 700, 700}}, 4);
    CHECK(merged == std::vector<PixelRect>{{0, 0, 150, 150}, {600, 600, 700, 700}});
    std::vector<PixelRect> apart;
    for (int i = 0; i < 6; ++i) apart.push_back({i * 200, 0, i * 200 + 10, 10});
    const auto capped = mergeRects(apart, 4);
    CHECK(capped.size() == 4);
    for (const PixelRect& r : apart) CHECK(anyContains(capped, r.x0, r.y0));
}

TEST_CASE("redraw damage: clipping keeps a command once per rectangle it crosses, with only the triangles near it") {
    apptest::HeadlessUi ui{ImVec2(kWidth, kHeight)};  // the draw list's shared data
    ImDrawList list(ImGui::GetDrawListSharedData());
    list._ResetForNewFrame();
    list.PushClipRect(ImVec2(0, 0), ImVec2(1000, 100));
    list.AddRectFilled(ImVec2(12, 12), ImVec2(18, 18), IM_COL32_WHITE);     // in the first rectangle
    list.AddRectFilled(ImVec2(400, 10), ImVec2(500, 40), IM_COL32_WHITE);   // in neither
    list.AddRectFilled(ImVec2(950, 10), ImVec2(990, 40), IM_COL32_WHITE);   // in the second
    list.PopClipRect();
    list.PushClipRect(ImVec2(0, 500), ImVec2(100, 600));
    list.AddRectFilled(ImVec2(10, 510), ImVec2(50, 550), IM_COL32_WHITE);   // a command outside both
    list.PopClipRect();
    list._PopUnusedDrawCmd();
    REQUIRE(list.CmdBuffer.Size == 2);
    const int indices = list.IdxBuffer.Size;
    ImDrawList* lists[] = {&list};
    ImDrawData data;
    data.Valid = true;
    data.CmdLists = lists;
    data.CmdListsCount = 1;
    data.DisplayPos = ImVec2(0, 0);
    data.DisplaySize = ImVec2(kWidth, kHeight);
    data.FramebufferScale = ImVec2(1, 1);
    app::desktop::clipDrawData(data, {{10, 10, 20, 20}, {900, 0, 1280, 50}}, kHeight);
    REQUIRE(list.CmdBuffer.Size == 2);
    const ImDrawCmd& first = list.CmdBuffer[0];
    CHECK(first.ClipRect.x == 10.f);
    CHECK(first.ClipRect.w == 20.f);
    const ImDrawCmd& second = list.CmdBuffer[1];
    CHECK(second.ClipRect.x == 900.f);
    CHECK(second.ClipRect.z == 1000.f);
    CHECK(second.ClipRect.w == 50.f);
    // Each draws one rectangle (two triangles), from indices appended after the list's own.
    CHECK(list.IdxBuffer.Size == indices + 12);
    for (const ImDrawCmd* cmd : {&first, &second}) {
        CHECK(cmd->ElemCount == 6);
        CHECK(cmd->IdxOffset >= static_cast<unsigned>(indices));
    }
    const auto x = [&](const ImDrawCmd& cmd) { return list.VtxBuffer[list.IdxBuffer[static_cast<int>(cmd.IdxOffset)]].pos.x; };
    CHECK(x(first) < 20.f);
    CHECK(x(second) > 900.f);
}
