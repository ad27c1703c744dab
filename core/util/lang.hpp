#pragma once
#include <optional>
#include <string_view>

namespace core {

// UI / message language.
enum class Lang { En, Zh };

inline std::optional<Lang> parseLang(std::string_view text) {
    if (text == "en" || text.rfind("en_", 0) == 0 || text.rfind("en-", 0) == 0) return Lang::En;
    if (text == "zh" || text.rfind("zh_", 0) == 0 || text.rfind("zh-", 0) == 0) return Lang::Zh;
    return std::nullopt;
}

}  // namespace core
