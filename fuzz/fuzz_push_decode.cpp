// Push decoding + verification (core/protocol): any bytes from the broker, Base64 or plain JSON.
// The first byte picks the signing encoding; the rest is the payload as received.
#include "core/protocol/push_message.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    using namespace core::protocol;
    const auto encoding = (data[0] & 1) != 0 ? core::sign::Encoding::Form : core::sign::Encoding::Raw;
    const std::string_view payload(reinterpret_cast<const char*>(data + 1), size - 1);
    const PushMessage m = decodePush(payload, "/clients/16327138", "push-test-key", encoding);
    // What watch/decode/ingest do next with a message: summaries, JSON, the zone check.
    (void)summarize(m, core::Lang::En);
    (void)summarize(m, core::Lang::Zh);
    (void)pushJson(m).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (m.create) {
        (void)inferredUtcOffset(*m.create);
        (void)checkMachineZone(*m.create, "America/New_York");
    }
    return 0;
}
