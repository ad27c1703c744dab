#include "core/sign/signing.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using core::sign::Encoding;
using core::sign::Params;

// The three vectors of vendor-protocol.md §1 (from the vendor libraries' own tests).
TEST_CASE("signing vector: go-pansy") {
    const Params p{{"a", "123"}, {"b", "456"}, {"c", "789"}, {"timestamp", "1717899356"}};
    CHECK(core::sign::canonicalString(p, "abc", Encoding::Raw) == "a=123&b=456&c=789&timestamp=1717899356&key=abc");
    CHECK(core::sign::sign(p, "abc", Encoding::Raw) == "0C59AD369ED0E8F5AD06610EBBE6F263");
    CHECK(core::sign::sign(p, "abc", Encoding::Form) == "0C59AD369ED0E8F5AD06610EBBE6F263");
}

TEST_CASE("signing vector: cakioe/signature") {
    const Params p{{"key1", "1"}, {"key2", "2"}, {"key3", "3"}, {"timestamp", "1758184523"}};
    CHECK(core::sign::sign(p, "testkey", Encoding::Raw) == "3E661AEA5BB4B071274EDC629089CA34");
    CHECK(core::sign::sign(p, "testkey", Encoding::Form) == "3E661AEA5BB4B071274EDC629089CA34");
}

TEST_CASE("signing vector: cakioe/signatory") {
    const Params p{{"client_id", "16327128"}, {"method", "android.shutdown"}, {"timestamp", "1727494645"}};
    CHECK(core::sign::sign(p, "ds069ed4223ac1660f", Encoding::Raw) == "4D49FFFDE0DA4537160CFC258356277B");
    CHECK(core::sign::sign(p, "ds069ed4223ac1660f", Encoding::Form) == "4D49FFFDE0DA4537160CFC258356277B");
}

TEST_CASE("sign, empty and NULL values are dropped; 0 is kept") {
    const Params p{{"a", "123"}, {"b", "456"}, {"c", "789"}, {"timestamp", "1717899356"},
                   {"sign", "WHATEVER"}, {"empty", ""}, {"nil", "NULL"}};
    CHECK(core::sign::sign(p, "abc", Encoding::Raw) == "0C59AD369ED0E8F5AD06610EBBE6F263");
    const Params zero{{"status", "0"}};
    CHECK(core::sign::canonicalString(zero, "k", Encoding::Raw) == "status=0&key=k");
}

TEST_CASE("keys sort by ASCII, upper case before lower case") {
    const Params p{{"b", "1"}, {"B", "2"}, {"a", "3"}, {"_x", "4"}};
    CHECK(core::sign::canonicalString(p, "K", Encoding::Raw) == "B=2&_x=4&a=3&b=1&key=K");
}

TEST_CASE("form encoding escapes datetimes and URLs like Go's url.Values") {
    CHECK(core::sign::formEncode("2024-12-31 23:59:59") == "2024-12-31+23%3A59%3A59");
    CHECK(core::sign::formEncode("https://a.b/c?d=e") == "https%3A%2F%2Fa.b%2Fc%3Fd%3De");
    CHECK(core::sign::formEncode("a-b_c.d~e") == "a-b_c.d~e");
    CHECK(core::sign::formEncode("上") == "%E4%B8%8A");
    const Params p{{"expired_at", "2024-12-31 23:59:59"}};
    CHECK(core::sign::canonicalString(p, "k", Encoding::Form) == "expired_at=2024-12-31+23%3A59%3A59&key=k");
    CHECK(core::sign::canonicalString(p, "k", Encoding::Raw) == "expired_at=2024-12-31 23:59:59&key=k");
    CHECK(core::sign::sign(p, "k", Encoding::Form) != core::sign::sign(p, "k", Encoding::Raw));
}

TEST_CASE("UTF-8 values are signed as their bytes") {
    const Params p{{"name", "可口可乐"}, {"timestamp", "1"}};
    CHECK(core::sign::canonicalString(p, "k", Encoding::Raw) == "name=可口可乐&timestamp=1&key=k");
    CHECK(core::sign::sign(p, "k", Encoding::Raw).size() == 32);
}

TEST_CASE("verify accepts the right sign in any hex case and rejects others") {
    Params p{{"client_id", "16327128"}, {"method", "android.shutdown"}, {"timestamp", "1727494645"}};
    p["sign"] = "4d49fffde0da4537160cfc258356277b";
    CHECK(core::sign::verify(p, "ds069ed4223ac1660f", Encoding::Raw));
    CHECK_FALSE(core::sign::verify(p, "wrong", Encoding::Raw));
    p["timestamp"] = "1727494646";
    CHECK_FALSE(core::sign::verify(p, "ds069ed4223ac1660f", Encoding::Raw));
    p.erase("sign");
    CHECK_FALSE(core::sign::verify(p, "ds069ed4223ac1660f", Encoding::Raw));
}

TEST_CASE("params from JSON: numbers as text, null dropped") {
    const auto j = nlohmann::json::parse(R"({"id":1,"code":"16327138","used":0,"x":null,"ok":true})");
    const auto p = core::sign::paramsFromJson(j);
    CHECK(p.at("id") == "1");
    CHECK(p.at("code") == "16327138");
    CHECK(p.at("used") == "0");
    CHECK(p.at("ok") == "true");
    CHECK(p.count("x") == 0);
}

TEST_CASE("encoding names parse both ways") {
    CHECK(core::sign::parseEncoding("raw") == Encoding::Raw);
    CHECK(core::sign::parseEncoding("form") == Encoding::Form);
    CHECK_FALSE(core::sign::parseEncoding("RAW").has_value());
    CHECK(std::string(core::sign::encodingName(Encoding::Form)) == "form");
}
