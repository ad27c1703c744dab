#include "app/desktop/fonts.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>

namespace app::desktop {
namespace {

std::string fontconfigMatch() {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen("fc-match -f '%{file}' 'sans:lang=zh-cn' 2>/dev/null", "r"), pclose);
    if (!pipe) return {};
    std::array<char, 512> buf{};
    std::string out;
    while (fgets(buf.data(), static_cast<int>(buf.size()), pipe.get()) != nullptr) out += buf.data();
    return out;
}

bool isCjkFile(const std::string& path) {
    // fc-match may answer with a Latin-only face (DejaVu) when no CJK font is installed.
    for (const char* hint : {"wqy", "Noto", "CJK", "Droid", "Source", "Han", "Hei", "Song", "msyh", "PingFang"}) {
        if (path.find(hint) != std::string::npos) return true;
    }
    return false;
}

// UTF-8 decode of BMP characters (ImWchar is 16-bit in Debian's build).
template <typename F>
void forEachCodepoint(std::string_view text, F&& f) {
    size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        unsigned cp = 0;
        int extra = 0;
        if (c < 0x80) { cp = c; }
        else if ((c >> 5) == 0x6) { cp = c & 0x1F; extra = 1; }
        else if ((c >> 4) == 0xE) { cp = c & 0x0F; extra = 2; }
        else { cp = 0xFFFD; extra = (c >> 3) == 0x1E ? 3 : 0; }
        for (int k = 0; k < extra && i + 1 < text.size(); ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(text[++i]) & 0x3F);
        }
        ++i;
        if (cp < 0x10000) f(static_cast<ImWchar>(cp));
    }
}

void appendUtf8(std::string& out, ImWchar c) {  // BMP only, as ImWchar is
    const unsigned cp = c;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace

std::string FontManager::findCjkFont() {
    if (const char* env = std::getenv("PICKUPDESK_FONT"); env != nullptr && std::filesystem::exists(env)) return env;
    const std::string matched = fontconfigMatch();
    if (!matched.empty() && isCjkFile(matched) && std::filesystem::exists(matched)) return matched;
    for (const char* path : {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                             "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                             "/System/Library/Fonts/PingFang.ttc", "C:\\Windows\\Fonts\\msyh.ttc"}) {
        if (std::filesystem::exists(path)) return path;
    }
    return {};
}

FontManager::FontManager() : m_atlas(std::make_unique<ImFontAtlas>()) {}
FontManager::~FontManager() = default;

bool FontManager::load(float pixelSize, const std::string& uiText, const std::string& remembered) {
    m_size = pixelSize;
    m_uiText = uiText;
    forEachCodepoint(remembered, [this](ImWchar c) {
        if (c >= 0x80 && c != 0xFFFD && m_extra.size() < kMaxRemembered) m_extra.insert(c);
    });
    m_path = findCjkFont();
    // NotoSansCJK's face 0 is Japanese; face 2 is Simplified Chinese.
    m_faceIndex = m_path.find("NotoSansCJK") != std::string::npos ? 2 : 0;
    build();
    return !m_path.empty();
}

void FontManager::resize(float pixelSize) {
    if (pixelSize == m_size) return;
    m_size = pixelSize;
    build();
}

void FontManager::build() {
    ImFontAtlas& fonts = *m_atlas;
    fonts.Clear();
    // Pixel-exact text: with glyphs on whole pixels (1x oversampling, snapped advances) the texture
    // can be sampled GL_NEAREST (main_window.cpp), which a software renderer shades ~25 % faster.
    // Baked anti-aliased lines need bilinear filtering, so lines are built as geometry instead.
    fonts.Flags |= ImFontAtlasFlags_NoBakedLines;
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(fonts.GetGlyphRangesDefault());
    builder.AddRanges(fonts.GetGlyphRangesChineseSimplifiedCommon());
    builder.AddText(m_uiText.c_str());
    for (const ImWchar c : m_extra) builder.AddChar(c);
    builder.AddChar(0x25CF);  // ● online dot fallback
    m_ranges.clear();
    builder.BuildRanges(&m_ranges);
    if (m_path.empty()) {
        ImFontConfig config;
        config.SizePixels = m_size;
        fonts.AddFontDefault(&config);
    } else {
        ImFontConfig config;
        config.FontNo = m_faceIndex;
        config.OversampleH = 1;  // CJK atlases get big; 1x keeps them at 2048²
        config.OversampleV = 1;
        config.PixelSnapH = true;  // whole-pixel advances (ImGui's default font does the same)
        fonts.AddFontFromFileTTF(m_path.c_str(), m_size, &config, m_ranges.Data);
    }
    fonts.Build();
    // The OpenGL backend uploads RGBA: convert here, off the UI thread when load() runs on a worker.
    unsigned char* pixels = nullptr;
    int width = 0;
    int height = 0;
    fonts.GetTexDataAsRGBA32(&pixels, &width, &height);
    m_missing.clear();
}

void FontManager::noteText(std::string_view text) {
    ImFont* font = m_atlas->Fonts.empty() ? nullptr : m_atlas->Fonts[0];
    if (font == nullptr || m_path.empty()) return;
    forEachCodepoint(text, [&](ImWchar c) {
        if (c < 0x80 || m_extra.count(c) > 0) return;
        if (font->FindGlyphNoFallback(c) == nullptr) {
            m_extra.insert(c);
            m_missing.insert(c);
        }
    });
}

std::string FontManager::extraGlyphs() const {
    std::string out;
    std::size_t n = 0;
    for (const ImWchar c : m_extra) {
        if (++n > kMaxRemembered) break;
        appendUtf8(out, c);
    }
    return out;
}

void FontManager::rebuild() {
    if (m_missing.empty()) return;
    build();
}

}  // namespace app::desktop
