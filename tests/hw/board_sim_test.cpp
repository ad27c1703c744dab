// The simulator as a board: raw frames in, exact bytes out (the golden answers of docs/board-protocol.md).
#include "hw/board/frame.hpp"
#include "hw/board/payloads.hpp"
#include "hw/sim/board_sim.hpp"

#include "tests/hw/hex.hpp"

#include <doctest/doctest.h>

using namespace hw::board;
using hw::FakeClock;
using hw::Millis;
using hw::sim::BoardSim;
using hwtest::hex;
using hwtest::toHex;

namespace {

std::string ask(BoardSim& board, std::uint8_t seq, Cmd cmd, const Bytes& payload, std::uint8_t version = kVersion) {
    return toHex(board.feed(encodeFrame({version, seq, static_cast<std::uint8_t>(cmd), payload})));
}

// The payload of the single frame in `wire`.
Bytes decodeResponse(const Bytes& wire) {
    FrameDecoder decoder;
    decoder.feed(wire);
    auto frame = decoder.next();
    REQUIRE(frame);
    CHECK_FALSE(decoder.next());
    CHECK(frame->version == kVersion);
    return frame->payload;
}

}  // namespace

TEST_CASE("simulator answers match the documented golden frames") {
    FakeClock clock;
    BoardSim board(BoardModel::W50x, clock);
    CHECK(toHex(board.feed(hex("A5 5A 01 02 01 01 00 01 96 5E"))) ==
          "A5 5A 01 02 81 10 00 00 01 01 20 00 01 02 03 07 53 49 4D 30 30 30 31 54 C9");
    clock.advance(Millis(1000));
    CHECK(toHex(board.feed(hex("A5 5A 01 01 30 00 00 4C 08"))) == "A5 5A 01 01 B0 06 00 00 E8 03 00 00 00 85 0A");
    CHECK(toHex(board.feed(hex("A5 5A 01 03 20 08 00 07 00 00 00 01 17 01 01 8E DC"))) == "A5 5A 01 03 A0 02 00 00 00 43 40");
    clock.advance(Millis(60'000));
    CHECK(ask(board, 4, Cmd::Dispense, encodeDispense({8, 1, 40, SlotType::Spring, false, false})) ==
          "A5 5A 01 04 A0 02 00 04 01 E7 54");
    CHECK(ask(board, 6, static_cast<Cmd>(0x7F), {}) == "A5 5A 01 06 FF 01 00 03 C5 CA");
}

TEST_CASE("simulator refuses bad version and bad lengths, and ignores garbage and bad CRC") {
    FakeClock clock;
    BoardSim board(BoardModel::ELock24P, clock);
    auto version = decodeResponse(board.feed(encodeFrame({2, 1, static_cast<std::uint8_t>(Cmd::Ping), {}})));
    CHECK(version == Bytes{static_cast<std::uint8_t>(BoardStatus::BadVersion)});
    CHECK(decodeResponse(board.feed(encodeFrame({kVersion, 2, static_cast<std::uint8_t>(Cmd::Hello), {}}))) ==
          Bytes{static_cast<std::uint8_t>(BoardStatus::BadLen)});
    Bytes noisy = hex("00 11 A5 22");
    Bytes bad = encodeFrame({kVersion, 3, static_cast<std::uint8_t>(Cmd::Ping), {}});
    bad.back() ^= 1;
    noisy.insert(noisy.end(), bad.begin(), bad.end());
    CHECK(board.feed(noisy).empty());
    CHECK(board.badCrcFrames() == 1);
}

TEST_CASE("simulator: the same request under the same SEQ is replayed; a known txn never vends twice") {
    FakeClock clock;
    BoardSim board(BoardModel::M2301, clock);
    const Bytes req = encodeFrame({kVersion, 9, static_cast<std::uint8_t>(Cmd::Dispense), encodeDispense({77, 1, 5, SlotType::Spring, false, false})});
    const Bytes first = board.feed(req);
    CHECK(board.feed(req) == first);
    CHECK(board.replays() == 1);
    CHECK(board.dispensesExecuted() == 1);
    clock.advance(Millis(5000));
    // Same txn under a new SEQ: answered "accepted", not run again.
    const Bytes again = encodeFrame({kVersion, 10, static_cast<std::uint8_t>(Cmd::Dispense), encodeDispense({77, 1, 5, SlotType::Spring, false, false})});
    CHECK(decodeResponse(board.feed(again)) == Bytes{0, 0});
    CHECK(board.dispensesExecuted() == 1);
}

TEST_CASE("simulator: busy while a motor runs; a hung slot is stopped by CLEAR_FAULT") {
    FakeClock clock;
    BoardSim board(BoardModel::W50x, clock);
    board.plan(1, 2, {hw::sim::SlotFault::Hang, Millis(0)});
    CHECK(decodeResponse(board.feed(encodeFrame({kVersion, 1, 0x20, encodeDispense({1, 1, 2, SlotType::Spring, false, false})}))) == Bytes{0, 0});
    clock.advance(Millis(200'000));
    CHECK(decodeResponse(board.feed(encodeFrame({kVersion, 2, 0x20, encodeDispense({2, 1, 3, SlotType::Spring, false, false})}))) ==
          Bytes{static_cast<std::uint8_t>(BoardStatus::Busy), static_cast<std::uint8_t>(Fault::BoardBusy)});
    CHECK(decodeResponse(board.feed(encodeFrame({kVersion, 3, 0x22, encodeClearFault({1, 2})}))) == Bytes{0});
    auto status = decodeResponse(board.feed(encodeFrame({kVersion, 4, 0x21, encodeTxn(1)})));
    REQUIRE(status.size() == 12);
    auto s = decodeDispenseStatusBody(Payload(status).subspan(1));
    REQUIRE(s);
    CHECK(s->state == DispenseState::Fault);
    CHECK(s->fault == Fault::GoodsStuck);
    CHECK(decodeResponse(board.feed(encodeFrame({kVersion, 5, 0x20, encodeDispense({3, 1, 3, SlotType::Spring, false, false})}))) == Bytes{0, 0});
}
