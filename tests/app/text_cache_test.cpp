// The text cache without a window: a cached string's pixels are the pixels ImGui's own glyph quads
// cover, and its slots are reused oldest first, never while the frame still draws them.
#include "app/desktop/fonts.hpp"
#include "app/desktop/text_cache.hpp"

#include <doctest/doctest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <string>
#include <vector>

using app::desktop::FontManager;
using app::desktop::TextCache;

namespace {

// An 8-bit picture: coverage per pixel.
struct Bitmap {
    int width = 0;
    int height = 0;
    std::vector<int> alpha;
    int& at(int x, int y) { return alpha[static_cast<std::size_t>(y * width + x)]; }
};

int atlasAlpha(const ImFontAtlas& atlas, float u, float v) {
    const int x = static_cast<int>(u * static_cast<float>(atlas.TexWidth));
    const int y = static_cast<int>(v * static_cast<float>(atlas.TexHeight));
    return atlas.TexPixelsAlpha8[y * atlas.TexWidth + x];
}

// What ImGui's AddText draws at `pos`, rasterised as the GPU would with nearest sampling: each
// glyph quad's pixels from the atlas, blended "over" the ones before.
Bitmap imguiPicture(const ImFont& font, ImVec2 pos, const char* text, int width, int height) {
    ImDrawListSharedData shared;
    ImDrawList list(&shared);
    list._ResetForNewFrame();
    list.PushClipRect(ImVec2(0, 0), ImVec2(static_cast<float>(width), static_cast<float>(height)));
    list.PushTextureID(font.ContainerAtlas->TexID);
    list.AddText(&font, font.FontSize, pos, IM_COL32_WHITE, text);
    Bitmap out{width, height, std::vector<int>(static_cast<std::size_t>(width * height), 0)};
    for (int q = 0; q + 3 < list.VtxBuffer.Size; q += 4) {  // PrimRectUV: top left, top right, bottom right, bottom left
        const ImDrawVert& a = list.VtxBuffer[q];
        const ImDrawVert& c = list.VtxBuffer[q + 2];
        REQUIRE(a.pos.x == std::floor(a.pos.x));  // pixel-exact: the picture does not depend on filtering
        REQUIRE(a.pos.y == std::floor(a.pos.y));
        const float du = (c.uv.x - a.uv.x) / (c.pos.x - a.pos.x);
        const float dv = (c.uv.y - a.uv.y) / (c.pos.y - a.pos.y);
        for (int y = static_cast<int>(a.pos.y); y < static_cast<int>(c.pos.y); ++y) {
            for (int x = static_cast<int>(a.pos.x); x < static_cast<int>(c.pos.x); ++x) {
                const float u = a.uv.x + (static_cast<float>(x - static_cast<int>(a.pos.x)) + 0.5f) * du;
                const float v = a.uv.y + (static_cast<float>(y - static_cast<int>(a.pos.y)) + 0.5f) * dv;
                const int s = atlasAlpha(*font.ContainerAtlas, u, v);
                int& d = out.at(x, y);
                d = d + s - (d * s + 127) / 255;
            }
        }
    }
    return out;
}

// The cached quad drawn at `pos` the way cached_text.cpp places it.
Bitmap cachedPicture(const TextCache& cache, const TextCache::Quad& quad, ImVec2 pos, int width, int height) {
    Bitmap out{width, height, std::vector<int>(static_cast<std::size_t>(width * height), 0)};
    const int x0 = static_cast<int>(std::floor(pos.x) + quad.offset.x);
    const int y0 = static_cast<int>(std::floor(pos.y) + quad.offset.y);
    const int u0 = static_cast<int>(std::lround(quad.uv0.x * static_cast<float>(cache.width())));
    const int v0 = static_cast<int>(std::lround(quad.uv0.y * static_cast<float>(cache.height())));
    for (int y = 0; y < static_cast<int>(quad.size.y); ++y) {
        for (int x = 0; x < static_cast<int>(quad.size.x); ++x) {
            out.at(x0 + x, y0 + y) = cache.pixels()[(v0 + y) * cache.width() + u0 + x];
        }
    }
    return out;
}

int differingPixels(const Bitmap& a, const Bitmap& b) {
    int n = 0;
    for (std::size_t i = 0; i < a.alpha.size(); ++i) n += a.alpha[i] != b.alpha[i] ? 1 : 0;
    return n;
}

int coveredPixels(const Bitmap& a) {
    int n = 0;
    for (const int v : a.alpha) n += v > 0 ? 1 : 0;
    return n;
}

void checkSamePicture(TextCache& cache, const ImFont& font, const char* text) {
    const ImVec2 pos(10.7f, 5.4f);  // ImGui floors the start
    const TextCache::Quad* quad = cache.find(font, text);
    REQUIRE(quad != nullptr);
    const Bitmap expected = imguiPicture(font, pos, text, 400, 40);
    const Bitmap got = cachedPicture(cache, *quad, pos, 400, 40);
    INFO("text: " << text);
    CHECK(coveredPixels(expected) > 20 * static_cast<int>(std::string(text).size() / 4));
    CHECK(differingPixels(expected, got) == 0);
}

}  // namespace

TEST_CASE("text cache: a string's pixels are those of ImGui's glyph quads, Latin and Chinese") {
    FontManager fonts;
    const bool cjk = fonts.load(17.f, "芬达 橙味 上海静安寺店");
    REQUIRE(fonts.atlas()->Fonts.size() == 1);
    const ImFont& font = *fonts.atlas()->Fonts[0];
    TextCache cache(1024, 256);
    checkSamePicture(cache, font, "10039595");
    checkSamePicture(cache, font, "2030-12-31 23:59:59");
    checkSamePicture(cache, font, "unused");
    if (cjk) checkSamePicture(cache, font, "芬达 橙味 330ml");
    // Found again: the same slot, nothing drawn again.
    cache.takeChanged();
    const TextCache::Quad* again = cache.find(font, "unused");
    REQUIRE(again != nullptr);
    CHECK(cache.takeChanged().empty());
    // Spaces only: nothing to draw, no slot.
    const TextCache::Quad* blank = cache.find(font, "   ");
    REQUIRE(blank != nullptr);
    CHECK(blank->size.x == 0.f);
    // A line break is not one line: ImGui draws it.
    CHECK(cache.find(font, "two\nlines") == nullptr);
}

TEST_CASE("text cache: when full it declines; later frames reuse the oldest slots, never one drawn in this frame or the last") {
    FontManager fonts;
    (void)fonts.load(16.f, "");
    const ImFont& font = *fonts.atlas()->Fonts[0];
    TextCache cache(256, 64);  // a few lines of a few strings
    cache.beginFrame();
    const TextCache::Quad* keptQuad = cache.find(font, "kept");
    REQUIRE(keptQuad != nullptr);
    const TextCache::Quad kept = *keptQuad;
    const Bitmap keptPicture = cachedPicture(cache, kept, ImVec2(0, 0), 100, 30);
    int added = 1;
    while (cache.find(font, "code " + std::to_string(added)) != nullptr) ++added;
    INFO("strings in the first frame: " << added);
    CHECK(added > 4);
    CHECK(cache.size() == static_cast<std::size_t>(added));  // nothing drawn this frame was given up
    CHECK_FALSE(cache.takeChanged().empty());
    CHECK(cache.takeChanged().empty());

    // The next frame may draw the same rows again: their slots stay, so a new string finds no room.
    cache.beginFrame();
    REQUIRE(cache.find(font, "kept") != nullptr);
    CHECK(cache.find(font, "code " + std::to_string(added)) == nullptr);  // the first that found no room
    CHECK(cache.size() == static_cast<std::size_t>(added));

    // Two frames on, the first frame's strings give way, except the one drawn since.
    cache.beginFrame();
    REQUIRE(cache.find(font, "kept") != nullptr);
    int next = 0;
    while (next < 3 * added && cache.find(font, "next " + std::to_string(next)) != nullptr) ++next;
    CHECK(next >= added - 2);  // the first frame's other slots were taken over
    CHECK(next < 3 * added);   // and then this frame's own were not
    const TextCache::Quad* keptAgain = cache.find(font, "kept");
    REQUIRE(keptAgain != nullptr);
    CHECK(keptAgain->uv0.x == kept.uv0.x);
    CHECK(keptAgain->uv0.y == kept.uv0.y);
    CHECK(differingPixels(keptPicture, cachedPicture(cache, *keptAgain, ImVec2(0, 0), 100, 30)) == 0);
    cache.beginFrame();
    cache.beginFrame();  // "code 3" gave way to this frame's strings; drawn again when asked
    CHECK(cache.find(font, "code 3") != nullptr);

    cache.clear();  // the font was rebuilt
    CHECK(cache.size() == 0);
}
