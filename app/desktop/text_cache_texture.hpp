#pragma once
// The text cache's texture (text_cache.hpp): 8-bit, sampled as white with the cache's coverage as
// alpha, like ImGui's font atlas, so ImGui's shader draws both. Needs the window's GL context.
#include "app/desktop/text_cache.hpp"

namespace app::desktop {

class TextCacheTexture {
public:
    // Creates the texture and hands it to the cache.
    explicit TextCacheTexture(TextCache& cache);
    ~TextCacheTexture();
    TextCacheTexture(const TextCacheTexture&) = delete;
    TextCacheTexture& operator=(const TextCacheTexture&) = delete;

    // Sends what the cache drew since the last upload; before the frame is drawn. Returns the pixels sent.
    long long upload();

private:
    TextCache& m_cache;
    unsigned m_texture = 0;
};

}  // namespace app::desktop
