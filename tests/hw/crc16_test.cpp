#include "hw/board/crc16.hpp"

#include <doctest/doctest.h>

#include <array>
#include <string_view>

TEST_CASE("CRC-16/CCITT-FALSE matches the catalogue check value") {
    constexpr std::string_view kCheck = "123456789";
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(kCheck.data());
    CHECK(hw::board::crc16CcittFalse({bytes, kCheck.size()}) == 0x29B1);
}

TEST_CASE("CRC-16/CCITT-FALSE of nothing is the initial value and can be chained") {
    CHECK(hw::board::crc16CcittFalse({}) == 0xFFFF);
    const std::array<std::uint8_t, 4> all{0xA5, 0x5A, 0x01, 0x02};
    const auto whole = hw::board::crc16CcittFalse(all);
    const auto first = hw::board::crc16CcittFalse(std::span(all).first(2));
    CHECK(hw::board::crc16CcittFalse(std::span(all).subspan(2), first) == whole);
}
