#include "app/desktop/text_cache_texture.hpp"

#include <GL/gl.h>

#include <cstdint>

namespace app::desktop {
namespace {

constexpr GLint kR8 = 0x8229;                   // GL_R8 (OpenGL 3.0)
constexpr GLenum kRed = 0x1903;                 // GL_RED
constexpr GLenum kTextureSwizzleRgba = 0x8E46;  // GL_TEXTURE_SWIZZLE_RGBA (OpenGL 3.3)
constexpr GLint kClampToEdge = 0x812F;          // GL_CLAMP_TO_EDGE (OpenGL 1.2: not in Windows' gl.h)

}  // namespace

TextCacheTexture::TextCacheTexture(TextCache& cache) : m_cache(cache) {
    GLuint texture = 0;
    glGenTextures(1, &texture);
    m_texture = texture;
    glBindTexture(GL_TEXTURE_2D, texture);
    // Quads map texels to pixels one to one (text_cache.hpp): nearest is exact and the cheapest.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, kClampToEdge);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, kClampToEdge);
    const GLint swizzle[4] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};  // white, the coverage as alpha
    glTexParameteriv(GL_TEXTURE_2D, kTextureSwizzleRgba, swizzle);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, kR8, cache.width(), cache.height(), 0, kRed, GL_UNSIGNED_BYTE, cache.pixels());
    glBindTexture(GL_TEXTURE_2D, 0);
    cache.takeChanged();  // all sent
    cache.setTexture(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(texture)));
}

TextCacheTexture::~TextCacheTexture() {
    m_cache.setTexture(nullptr);
    const GLuint texture = m_texture;
    glDeleteTextures(1, &texture);
}

long long TextCacheTexture::upload() {
    const auto spans = m_cache.takeChanged();
    if (spans.empty()) return 0;
    long long pixels = 0;
    glBindTexture(GL_TEXTURE_2D, m_texture);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, m_cache.width());
    for (const auto& span : spans) {
        glPixelStorei(GL_UNPACK_SKIP_PIXELS, span.x);
        glPixelStorei(GL_UNPACK_SKIP_ROWS, span.y);
        glTexSubImage2D(GL_TEXTURE_2D, 0, span.x, span.y, span.width, span.height, kRed, GL_UNSIGNED_BYTE,
                        m_cache.pixels());
        pixels += static_cast<long long>(span.width) * span.height;
    }
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
    glPixelStorei(GL_UNPACK_SKIP_ROWS, 0);
    glBindTexture(GL_TEXTURE_2D, 0);
    return pixels;
}

}  // namespace app::desktop
