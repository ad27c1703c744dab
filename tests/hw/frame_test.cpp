#include "hw/board/frame.hpp"

#include "tests/hw/hex.hpp"

#include <doctest/doctest.h>

#include <random>

using hw::board::Bytes;
using hw::board::encodeFrame;
using hw::board::Frame;
using hw::board::FrameDecoder;
using hwtest::hex;

namespace {

struct Golden {
    std::uint8_t seq, cmd;
    const char* payload;
    const char* wire;
};

// The examples of docs/board-protocol.md §6.
const Golden kGolden[] = {
    {1, 0x30, "", "A5 5A 01 01 30 00 00 4C 08"},
    {1, 0xB0, "00 E8 03 00 00 00", "A5 5A 01 01 B0 06 00 00 E8 03 00 00 00 85 0A"},
    {2, 0x01, "01", "A5 5A 01 02 01 01 00 01 96 5E"},
    {2, 0x81, "00 01 01 20 00 01 02 03 07 53 49 4D 30 30 30 31",
     "A5 5A 01 02 81 10 00 00 01 01 20 00 01 02 03 07 53 49 4D 30 30 30 31 54 C9"},
    {3, 0x20, "07 00 00 00 01 17 01 01", "A5 5A 01 03 20 08 00 07 00 00 00 01 17 01 01 8E DC"},
    {3, 0xA0, "00 00", "A5 5A 01 03 A0 02 00 00 00 43 40"},
    {4, 0xA0, "04 01", "A5 5A 01 04 A0 02 00 04 01 E7 54"},
    {5, 0x21, "07 00 00 00", "A5 5A 01 05 21 04 00 07 00 00 00 F4 3A"},
    {5, 0xA1, "00 07 00 00 00 03 02 FF C0 5D 00 00",
     "A5 5A 01 05 A1 0C 00 00 07 00 00 00 03 02 FF C0 5D 00 00 27 01"},
    {6, 0xFF, "03", "A5 5A 01 06 FF 01 00 03 C5 CA"},
    {7, 0x02, "", "A5 5A 01 07 02 00 00 10 84"},
    {8, 0x03, "01 08 32 30 32 34 30 36 30 31 03 02 BB 01",
     "A5 5A 01 08 03 0E 00 01 08 32 30 32 34 30 36 30 31 03 02 BB 01 BE A7"},
    {9, 0x04, "", "A5 5A 01 09 04 00 00 EA 94"},
    {10, 0x10, "01 00 02", "A5 5A 01 0A 10 03 00 01 00 02 87 66"},
    {10, 0x90, "00 01 00 02 01 03 00 03 05 02", "A5 5A 01 0A 90 0A 00 00 01 00 02 01 03 00 03 05 02 95 E5"},
    {11, 0x22, "01 FF", "A5 5A 01 0B 22 02 00 01 FF 93 06"},
};

std::vector<Frame> drain(FrameDecoder& decoder) {
    std::vector<Frame> out;
    while (auto f = decoder.next()) out.push_back(std::move(*f));
    return out;
}

}  // namespace

TEST_CASE("frame golden vectors encode and decode exactly") {
    for (const auto& g : kGolden) {
        CAPTURE(g.wire);
        const Frame frame{hw::board::kVersion, g.seq, g.cmd, hex(g.payload)};
        CHECK(hwtest::toHex(encodeFrame(frame)) == hwtest::toHex(hex(g.wire)));
        FrameDecoder decoder;
        decoder.feed(hex(g.wire));
        const auto got = drain(decoder);
        REQUIRE(got.size() == 1);
        CHECK(got[0] == frame);
        CHECK(decoder.stats().skipped == 0);
    }
}

TEST_CASE("decoder handles split and merged reads") {
    Bytes stream;
    for (const auto& g : kGolden) {
        const auto w = hex(g.wire);
        stream.insert(stream.end(), w.begin(), w.end());
    }
    FrameDecoder merged;
    merged.feed(stream);
    CHECK(drain(merged).size() == std::size(kGolden));

    FrameDecoder split;
    std::size_t count = 0;
    for (auto b : stream) {
        split.feed({&b, 1});
        count += drain(split).size();
    }
    CHECK(count == std::size(kGolden));
    CHECK(split.buffered() == 0);
}

TEST_CASE("decoder resyncs after garbage, a bad CRC and an over-long LEN") {
    const Bytes good = hex("A5 5A 01 01 30 00 00 4C 08");
    Bytes corrupt = hex("A5 5A 01 03 A0 02 00 00 00 43 40");
    corrupt[8] ^= 0xFF;  // payload byte flipped: CRC no longer matches
    Bytes stream = hex("00 A5 13 37 5A A5");  // noise, including lone SOF halves
    stream.insert(stream.end(), corrupt.begin(), corrupt.end());
    stream.insert(stream.end(), {0xA5, 0x5A, 0x01, 0x09, 0x30, 0x01, 0x02});  // LEN 0x0201 > 256
    stream.insert(stream.end(), good.begin(), good.end());

    FrameDecoder decoder;
    decoder.feed(stream);
    const auto frames = drain(decoder);
    REQUIRE(frames.size() == 1);
    CHECK(frames[0].seq == 1);
    CHECK(frames[0].cmd == 0x30);
    CHECK(decoder.stats().badCrc == 1);
    CHECK(decoder.stats().oversize == 1);
    CHECK(decoder.stats().skipped > 0);
}

TEST_CASE("a valid frame hidden inside a corrupt one is still found") {
    Bytes inner = hex("A5 5A 01 02 01 01 00 01 96 5E");
    Bytes stream = hex("A5 5A 01 07 02 04 00");  // header claims 4 payload bytes: the inner frame follows
    stream.insert(stream.end(), inner.begin(), inner.end());
    FrameDecoder decoder;
    decoder.feed(stream);
    const auto frames = drain(decoder);
    REQUIRE(frames.size() == 1);
    CHECK(frames[0].seq == 2);
    CHECK(decoder.stats().badCrc == 1);
}

TEST_CASE("fuzz: random garbage between frames, random chunking, every frame exactly once") {
    for (std::uint32_t seed = 1; seed <= 40; ++seed) {
        CAPTURE(seed);
        std::mt19937 rng(seed);
        std::vector<Frame> sent;
        Bytes stream;
        for (int i = 0; i < 60; ++i) {
            Bytes garbage(rng() % 24);
            for (auto& b : garbage) b = static_cast<std::uint8_t>(rng() % 4 == 0 ? 0xA5 : rng());
            stream.insert(stream.end(), garbage.begin(), garbage.end());
            Frame f{hw::board::kVersion, static_cast<std::uint8_t>(i + 1), static_cast<std::uint8_t>(rng()), {}};
            f.payload.resize(rng() % 64 == 0 ? hw::board::kMaxPayload : rng() % 40);
            for (auto& b : f.payload) b = static_cast<std::uint8_t>(rng());
            const auto wire = encodeFrame(f);
            stream.insert(stream.end(), wire.begin(), wire.end());
            sent.push_back(std::move(f));
        }
        FrameDecoder decoder;
        std::vector<Frame> got;
        for (std::size_t pos = 0; pos < stream.size();) {
            const std::size_t n = std::min<std::size_t>(1 + rng() % 70, stream.size() - pos);
            decoder.feed({stream.data() + pos, n});
            pos += n;
            auto frames = drain(decoder);
            got.insert(got.end(), frames.begin(), frames.end());
        }
        // Garbage can by chance form a frame with a valid CRC; every sent frame must still appear once, in order.
        std::size_t match = 0;
        for (const auto& f : got) {
            if (match < sent.size() && f == sent[match]) ++match;
        }
        CHECK(match == sent.size());
        CHECK(got.size() <= sent.size() + 1);
    }
}
