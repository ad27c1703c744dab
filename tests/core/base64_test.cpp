#include "core/util/base64.hpp"

#include <doctest/doctest.h>

using core::util::base64Decode;
using core::util::base64Encode;

TEST_CASE("base64 encodes the RFC 4648 vectors") {
    CHECK(base64Encode("") == "");
    CHECK(base64Encode("f") == "Zg==");
    CHECK(base64Encode("fo") == "Zm8=");
    CHECK(base64Encode("foo") == "Zm9v");
    CHECK(base64Encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64 round-trips UTF-8 and binary bytes exactly") {
    const std::string chinese = "{\"machine_name\":\"上海静安寺店\"}";
    CHECK(base64Decode(base64Encode(chinese)).value() == chinese);
    std::string binary;
    for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
    CHECK(base64Decode(base64Encode(binary)).value() == binary);
}

TEST_CASE("base64 decode tolerates line breaks and missing padding, rejects garbage") {
    CHECK(base64Decode("Zm9v\nYmFy").value() == "foobar");
    CHECK(base64Decode("Zm8").value() == "fo");
    CHECK(base64Decode("Zg").value() == "f");
    CHECK_FALSE(base64Decode("Zm9v!").has_value());
    CHECK_FALSE(base64Decode("Z").has_value());
    CHECK_FALSE(base64Decode("not-base64_at*all").has_value());
}
