#pragma once
// QR symbols via libqrencode: the payload is the code itself, or a merchant template such as
// "https://x/p?c={code}".
#include "core/util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core::exporter {

enum class EcLevel { L, M, Q, H };

std::optional<EcLevel> parseEcLevel(std::string_view text);  // "L", "M", "Q", "H" (any case)
const char* ecLevelName(EcLevel level);

inline constexpr int kQuietZoneModules = 4;  // the QR standard's minimum

struct QrMatrix {
    int size = 0;                       // modules per side, without the quiet zone
    std::vector<std::uint8_t> modules;  // size*size, row-major, 1 = dark
    bool dark(int x, int y) const { return modules[static_cast<std::size_t>(y * size + x)] != 0; }
};

// Replaces every "{code}" in `payloadTemplate` with `code`; an empty template means the code.
std::string expandPayload(std::string_view payloadTemplate, std::string_view code);

// Encodes UTF-8 text (digits in numeric mode, the rest 8-bit; case-sensitive; smallest version).
Result<QrMatrix> encodeQr(std::string_view text, EcLevel level);

}  // namespace core::exporter
