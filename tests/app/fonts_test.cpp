// FontManager without a window: the atlas is built with no ImGui context (main_window.cpp builds
// it on a thread while the window is created), and glyphs vendor text needed are remembered.
#include "app/desktop/fonts.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <cmath>
#include <string>

using app::desktop::FontManager;

TEST_CASE("fonts: the atlas loads without an ImGui context and remembers the glyphs vendor text needed") {
    if (FontManager::findCjkFont().empty()) {
        MESSAGE("no CJK font installed: skipped");
        return;
    }
    // load() runs on a thread before the context exists: none is current here either.
    struct NoContext {
        ImGuiContext* saved = ImGui::GetCurrentContext();
        NoContext() { ImGui::SetCurrentContext(nullptr); }
        ~NoContext() { ImGui::SetCurrentContext(saved); }
    } noContext;
    const std::string rare = "爵";                    // not in ImGui's ChineseSimplifiedCommon ranges
    FontManager first;
    REQUIRE(first.load(16.f, "File 文件"));
    first.noteText("上海 " + rare);
    CHECK(first.needsRebuild());
    CHECK(first.extraGlyphs() == rare);
    first.rebuild();
    CHECK_FALSE(first.needsRebuild());
    REQUIRE(first.atlas()->Fonts.size() == 1);
    CHECK(first.atlas()->Fonts[0]->FindGlyphNoFallback(0x7235) != nullptr);  // 爵

    FontManager next;  // the next run, given what the first one remembered
    REQUIRE(next.load(16.f, "File 文件", first.extraGlyphs()));
    CHECK(next.atlas()->Fonts[0]->FindGlyphNoFallback(0x7235) != nullptr);
    next.noteText(rare);
    CHECK_FALSE(next.needsRebuild());
    CHECK(next.extraGlyphs() == rare);
    int width = 0;
    int height = 0;
    unsigned char* pixels = nullptr;
    next.atlas()->GetTexDataAsRGBA32(&pixels, &width, &height);  // converted by load(), for the GL upload
    CHECK(pixels != nullptr);
    CHECK(width > 0);
}

TEST_CASE("fonts: glyphs sit on whole pixels, so the texture can be sampled nearest") {
    // main_window.cpp samples the atlas GL_NEAREST; that equals bilinear only when every glyph quad
    // starts on a whole pixel and advances by whole pixels (ImGui floors the text's start).
    FontManager fonts;
    (void)fonts.load(17.5f, "File 文件 上海");  // a fractional size, as on a 125 % display
    CHECK((fonts.atlas()->Flags & ImFontAtlasFlags_NoBakedLines) != 0);  // baked lines need bilinear
    REQUIRE(fonts.atlas()->Fonts.size() == 1);
    const ImFont& font = *fonts.atlas()->Fonts[0];
    REQUIRE(font.Glyphs.Size > 100);
    int offPixel = 0;
    for (const ImFontGlyph& g : font.Glyphs) {
        for (const float v : {g.AdvanceX, g.X0, g.Y0, g.X1, g.Y1}) {
            if (v != std::floor(v)) ++offPixel;
        }
    }
    CHECK(offPixel == 0);
}
