#pragma once
// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor): the
// checksum of the board frame proposed in shared/hw-notes.md.
#include <cstddef>
#include <cstdint>
#include <span>

namespace hw::board {

std::uint16_t crc16CcittFalse(std::span<const std::uint8_t> bytes, std::uint16_t crc = 0xFFFF);

}  // namespace hw::board
