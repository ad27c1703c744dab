// Board frame stream decoder (hw/board/frame): bytes from a USB/serial link in arbitrary chunks.
// Checks the decoder's promises: every frame it yields has a valid size and re-encodes to bytes
// that decode to the same frame.
#include "hw/board/frame.hpp"
#include "hw/board/payloads.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

namespace {

void checkRoundTrip(const hw::board::Frame& frame) {
    if (frame.payload.size() > hw::board::kMaxPayload) std::abort();
    hw::board::FrameDecoder again;
    again.feed(hw::board::encodeFrame(frame));
    auto back = again.next();
    if (!back || !(*back == frame)) std::abort();
}

// The payload readers run on whatever a board sends back.
void decodePayloads(const hw::board::Frame& f) {
    using namespace hw::board;
    const Payload p(f.payload);
    (void)decodeIdentityBody(p);
    (void)decodeConfig(p);
    (void)decodeChannelRange(p);
    (void)decodeChannelsBody(p);
    (void)decodeSetChannel(p);
    (void)decodeDispense(p);
    (void)decodeTxn(p);
    (void)decodeDispenseStatusBody(p);
    (void)decodeClearFault(p);
    (void)decodePingBody(p);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    // The first byte sets the chunk size, so frames arrive split and merged.
    const std::size_t chunk = (data[0] % 17) + 1;
    const std::span<const std::uint8_t> stream(data + 1, size - 1);
    hw::board::FrameDecoder decoder;
    std::size_t fed = 0;
    while (fed < stream.size()) {
        const std::size_t n = std::min(chunk, stream.size() - fed);
        decoder.feed(stream.subspan(fed, n));
        fed += n;
        while (auto frame = decoder.next()) {
            checkRoundTrip(*frame);
            decodePayloads(*frame);
        }
    }
    if (decoder.buffered() > stream.size()) std::abort();
    return 0;
}
