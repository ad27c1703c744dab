// User date/time input (core/tz): --expires text in a machine zone and vendor time values.
// The first byte picks the zone and the DST choice; the rest is the text as typed.
#include "core/tz/machine_time.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

constexpr std::array<std::string_view, 6> kZones = {"Asia/Shanghai", "America/New_York", "Europe/London",
                                                    "Australia/Lord_Howe", "UTC", "Not/A_Zone"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    using namespace core::tz;
    const std::string_view zone = kZones[data[0] % kZones.size()];
    const auto ambiguity = static_cast<Ambiguity>((data[0] / kZones.size()) % 3);
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    if (auto t = localToUtc(text, zone, ambiguity)) {
        (void)formatInZone(*t, zone);
        (void)toIso8601Utc(*t);
        (void)utcOffsetSeconds(*t, zone);
    }
    if (auto v = parseVendorTime(text)) {
        // A GMT+8 string the vendor sent must format back to a string that parses to the same instant.
        auto back = parseGmt8String(toGmt8String(*v));
        if (back && *back != *v) std::abort();
    }
    (void)parseGmt8String(text);
    return 0;
}
