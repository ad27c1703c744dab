// Provisioning files (hw/services/provisioning): JSON a technician loads onto a board.
// A parsed file must write back to JSON that parses to the same settings.
#include "hw/board/payloads.hpp"
#include "hw/services/provisioning.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto parsed = hw::services::parseProvisioning(text);
    if (!parsed) return 0;
    (void)hw::board::validateConfig(parsed->config);
    (void)hw::services::diffConfig(hw::board::BoardConfig{}, parsed->config);
    (void)hw::services::parseProvisioning(hw::services::provisioningJson(*parsed));
    return 0;
}
