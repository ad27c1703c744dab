#include "core/export/qr.hpp"

#include <qrencode.h>

#include <cctype>
#include <memory>

namespace core::exporter {

std::optional<EcLevel> parseEcLevel(std::string_view text) {
    if (text.size() != 1) return std::nullopt;
    switch (std::toupper(static_cast<unsigned char>(text[0]))) {
    case 'L': return EcLevel::L;
    case 'M': return EcLevel::M;
    case 'Q': return EcLevel::Q;
    case 'H': return EcLevel::H;
    default: return std::nullopt;
    }
}

const char* ecLevelName(EcLevel level) {
    switch (level) {
    case EcLevel::L: return "L";
    case EcLevel::M: return "M";
    case EcLevel::Q: return "Q";
    case EcLevel::H: return "H";
    }
    return "M";
}

std::string expandPayload(std::string_view payloadTemplate, std::string_view code) {
    if (payloadTemplate.empty()) return std::string(code);
    constexpr std::string_view kPlaceholder = "{code}";
    std::string out;
    std::size_t pos = 0;
    for (;;) {
        const std::size_t hit = payloadTemplate.find(kPlaceholder, pos);
        out.append(payloadTemplate.substr(pos, hit - pos));
        if (hit == std::string_view::npos) break;
        out.append(code);
        pos = hit + kPlaceholder.size();
    }
    return out;
}

Result<QrMatrix> encodeQr(std::string_view text, EcLevel level) {
    if (text.empty()) return makeError(ErrorCode::InvalidInput, "A QR code needs some text; the code is empty.");
    QRecLevel ec = QR_ECLEVEL_M;
    switch (level) {
    case EcLevel::L: ec = QR_ECLEVEL_L; break;
    case EcLevel::M: ec = QR_ECLEVEL_M; break;
    case EcLevel::Q: ec = QR_ECLEVEL_Q; break;
    case EcLevel::H: ec = QR_ECLEVEL_H; break;
    }
    const std::string copy(text);  // libqrencode wants a NUL-terminated string
    std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(QRcode_encodeString(copy.c_str(), 0, ec, QR_MODE_8, 1), &QRcode_free);
    if (!qr) {
        return makeError(ErrorCode::InvalidInput, "Could not make a QR code of '" + copy +
                                                      "' (too long for a QR symbol?). Shorten the QR text template.");
    }
    QrMatrix m;
    m.size = qr->width;
    m.modules.resize(static_cast<std::size_t>(m.size) * static_cast<std::size_t>(m.size));
    for (std::size_t i = 0; i < m.modules.size(); ++i) m.modules[i] = qr->data[i] & 1;
    return m;
}

}  // namespace core::exporter
