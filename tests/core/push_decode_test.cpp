// Push decoding and verification (core/protocol), against fixtures in tests/data/pushes.
#include "pd_test_paths.hpp"
#include "core/protocol/push_message.hpp"
#include "core/util/base64.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

using core::protocol::decodePush;
using core::protocol::encodePush;
using core::protocol::PayloadForm;
using core::protocol::Verification;
using core::sign::Encoding;
using nlohmann::json;

namespace {

constexpr const char* kKey = "push-test-key";
constexpr const char* kTopic = "/clients/16327138";

json fixture(const std::string& name) {
    std::ifstream in(std::string(PD_TEST_DATA_DIR) + "/pushes/" + name);
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

// Signs the fixture's fields (as the vendor would, values as sent) and Base64-encodes it, keeping
// numbers as numbers: the sign covers their JSON text.
std::string signedPayload(json object, const std::string& key = kKey, Encoding encoding = Encoding::Raw) {
    object.erase("sign");
    object["sign"] = core::sign::sign(core::sign::paramsFromJson(object), key, encoding);
    return core::util::base64Encode(object.dump());
}

bool hasNote(const core::protocol::PushMessage& m, const std::string& part) {
    return std::any_of(m.notes.begin(), m.notes.end(), [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("push: the seed create example (re-signed) decodes with every field") {
    const auto m = decodePush(signedPayload(fixture("seed_create.json")), kTopic, kKey, Encoding::Raw);
    CHECK(m.verification == Verification::Valid);
    CHECK(core::protocol::mayApply(m));
    CHECK(m.form == PayloadForm::Base64);
    CHECK(m.decodeError.empty());
    CHECK(m.method == "client.pickup_codes.create");
    REQUIRE(m.info != nullptr);
    CHECK(std::string(m.info->zh) == "取货码生成");
    CHECK(m.machineNo == "16327138");
    CHECK(m.machineId == 10009);
    CHECK(m.timestamp == 1748330699);
    CHECK(m.sign.size() == 32);
    CHECK(m.fields.size() == 13);
    CHECK(m.fields["status"] == "0");
    REQUIRE(m.create);
    CHECK(m.create->id == 1);
    CHECK(m.create->productId == 20001);
    CHECK(m.create->code == "16327138");
    CHECK(m.create->quantity == 1);
    CHECK(m.create->expiredAtRaw == 1748339999);
    CHECK(m.create->expiresUtc == 1748339999);  // 10 digits: seconds
    CHECK(m.create->expiredDay == "2025-10-23 20:51:37");
    CHECK(m.create->used == false);
    CHECK(m.notes.empty());
    CHECK_FALSE(m.del);
    CHECK_FALSE(m.put);
    // The doc example's epoch and wall clock disagree by months: no offset can be inferred.
    CHECK_FALSE(core::protocol::inferredUtcOffset(*m.create));
}

TEST_CASE("push: each verification result") {
    const json seed = fixture("seed_create.json");
    SUBCASE("valid") {
        CHECK(decodePush(signedPayload(seed), kTopic, kKey, Encoding::Raw).verification == Verification::Valid);
    }
    SUBCASE("invalid: another key, a tampered field, the doc's placeholder sign") {
        CHECK(decodePush(signedPayload(seed, "other-key"), kTopic, kKey, Encoding::Raw).verification == Verification::Invalid);
        json tampered = json::parse(*core::util::base64Decode(signedPayload(seed)));
        tampered["quantity"] = "3";
        const auto m = decodePush(core::util::base64Encode(tampered.dump()), kTopic, kKey, Encoding::Raw);
        CHECK(m.verification == Verification::Invalid);
        CHECK_FALSE(core::protocol::mayApply(m));
        CHECK(m.create->quantity == 3);  // still decoded and shown
        CHECK(decodePush(core::util::base64Encode(seed.dump()), kTopic, kKey, Encoding::Raw).verification ==
              Verification::Invalid);
    }
    SUBCASE("unsigned: no sign, or an empty one") {
        json noSign = seed;
        noSign.erase("sign");
        const auto m = decodePush(core::util::base64Encode(noSign.dump()), kTopic, kKey, Encoding::Raw);
        CHECK(m.verification == Verification::Unsigned);
        CHECK_FALSE(core::protocol::mayApply(m));
        REQUIRE(m.create);
        CHECK(m.create->code == "16327138");
        json emptySign = seed;
        emptySign["sign"] = "";
        CHECK(decodePush(core::util::base64Encode(emptySign.dump()), kTopic, kKey, Encoding::Raw).verification ==
              Verification::Unsigned);
    }
    SUBCASE("undecodable, with the reason and the raw bytes kept") {
        const auto notBase64 = decodePush("%%% not base64 %%%", kTopic, kKey, Encoding::Raw);
        CHECK(notBase64.verification == Verification::Undecodable);
        CHECK(notBase64.decodeError == "not Base64");
        CHECK(notBase64.payload == "%%% not base64 %%%");
        CHECK(notBase64.topic == kTopic);
        const auto notJson = decodePush(core::util::base64Encode("hello, world"), kTopic, kKey, Encoding::Raw);
        CHECK(notJson.verification == Verification::Undecodable);
        CHECK(notJson.decodeError == "Base64 of something that is not JSON");
        const auto array = decodePush(core::util::base64Encode("[1,2,3]"), kTopic, kKey, Encoding::Raw);
        CHECK(array.decodeError == "not a JSON object");
        const auto text = decodePush(core::util::base64Encode("\"just a string\""), kTopic, kKey, Encoding::Raw);
        CHECK(text.decodeError == "not a JSON object");
        CHECK(decodePush("", kTopic, kKey, Encoding::Raw).decodeError == "empty payload");
        CHECK(decodePush(" \n", kTopic, kKey, Encoding::Raw).decodeError == "empty payload");
        const auto deep = decodePush(std::string(10000, '[') + std::string(10000, ']'), kTopic, kKey, Encoding::Raw);
        CHECK(deep.decodeError == "JSON nested too deeply");
        const auto big = decodePush(std::string(core::protocol::kMaxPushBytes + 1, 'A'), kTopic, kKey, Encoding::Raw);
        CHECK(big.verification == Verification::Undecodable);
        CHECK(big.decodeError.rfind("too large", 0) == 0);
        CHECK(big.payload.size() == core::protocol::kMaxPushBytes + 1);
        CHECK(core::protocol::verificationName(Verification::Undecodable) == std::string("undecodable"));
    }
}

TEST_CASE("push: verification names") {
    CHECK(std::string(core::protocol::verificationName(Verification::Valid)) == "valid");
    CHECK(std::string(core::protocol::verificationName(Verification::Invalid)) == "invalid");
    CHECK(std::string(core::protocol::verificationName(Verification::Unsigned)) == "unsigned");
    CHECK(std::string(core::protocol::verificationName(Verification::Undecodable)) == "undecodable");
    CHECK(std::string(core::protocol::verificationLabel(Verification::Valid, core::Lang::Zh)) == "签名有效");
}

TEST_CASE("push: numbers instead of strings are tolerated and the sign covers their JSON text") {
    const auto m = decodePush(signedPayload(fixture("create_numbers.json")), kTopic, kKey, Encoding::Raw);
    CHECK(m.verification == Verification::Valid);
    CHECK(m.machineNo == "16327138");
    CHECK(m.machineId == 10009);
    CHECK(m.timestamp == 1761216697);
    CHECK(m.fields["id"] == 42);  // kept as received
    REQUIRE(m.create);
    CHECK(m.create->id == 42);
    CHECK(m.create->code == "00412345");
    CHECK(m.create->quantity == 2);
    CHECK(m.create->used == false);
    CHECK(m.create->expiredAtRaw == 1761223897334);
    CHECK(m.create->expiresUtc == 1761223897);  // 13 digits: milliseconds
    CHECK(core::tz::toIso8601Utc(*m.create->expiresUtc) == "2025-10-23T12:51:37Z");
    CHECK(core::protocol::inferredUtcOffset(*m.create) == 28800);
    CHECK(m.notes.empty());
}

TEST_CASE("push: missing fields leave the view partly filled with notes and extra fields are kept") {
    json object = fixture("seed_create.json");
    object.erase("code");
    object.erase("quantity");
    object.erase("client_id");
    object["quantity_hint"] = "x";
    object["quantity"] = "three";
    object["nested"] = json{{"a", "1"}};
    const auto m = decodePush(signedPayload(object), "/clients/555", kKey, Encoding::Raw);
    CHECK(m.verification == Verification::Valid);
    CHECK(m.machineNo == "555");  // from the topic
    REQUIRE(m.create);
    CHECK(m.create->code.empty());
    CHECK_FALSE(m.create->quantity);
    CHECK(m.create->productId == 20001);
    CHECK(hasNote(m, "missing field 'code'"));
    CHECK(hasNote(m, "field 'quantity' is not a whole number: 'three'"));
    CHECK(m.fields["quantity_hint"] == "x");
    CHECK(m.fields["nested"]["a"] == "1");

    json noExpiry = fixture("seed_create.json");
    noExpiry.erase("expired_at");
    noExpiry.erase("expired_day");
    const auto never = decodePush(signedPayload(noExpiry), kTopic, kKey, Encoding::Raw);
    CHECK_FALSE(never.create->expiresUtc);
    CHECK(hasNote(never, "never expires"));
}

TEST_CASE("push: client_id wins over the topic and a mismatch is noted") {
    const auto m = decodePush(signedPayload(fixture("delete.json")), "/clients/99999999", kKey, Encoding::Raw);
    CHECK(m.machineNo == "16327138");
    CHECK(hasNote(m, "differs from the topic"));
    CHECK(core::protocol::machineFromTopic("/clients/16327138") == "16327138");
    CHECK(core::protocol::machineFromTopic("clients/16327138") == "16327138");
    CHECK(core::protocol::machineFromTopic("/no/86683806253754") == "86683806253754");
    CHECK(core::protocol::machineFromTopic("/server/app").empty());
    CHECK(core::protocol::machineFromTopic("/clients/").empty());
    CHECK(core::protocol::machineFromTopic("/clients/1/2").empty());
    CHECK(core::protocol::machineFromTopic("").empty());
}

TEST_CASE("push: an unknown method is shown raw and never dropped") {
    json object = fixture("delete.json");
    object["method"] = "client.new.feature";
    object["extra"] = "value";
    const auto m = decodePush(signedPayload(object), kTopic, kKey, Encoding::Raw);
    CHECK(m.verification == Verification::Valid);
    CHECK(m.method == "client.new.feature");
    CHECK(m.info == nullptr);
    CHECK_FALSE(m.del);
    CHECK(m.fields["extra"] == "value");
    CHECK(m.fields["id"] == "16327138");
    CHECK(hasNote(m, "unknown method 'client.new.feature'"));
    CHECK(core::protocol::summarize(m, core::Lang::En) == "Unknown method client.new.feature: 8 fields");
}

TEST_CASE("push: plain JSON is decoded but flagged") {
    json object = fixture("put.json");
    object["sign"] = core::sign::sign(core::sign::paramsFromJson(object), kKey, Encoding::Raw);
    const auto m = decodePush("  " + object.dump(2) + "\n", kTopic, kKey, Encoding::Raw);
    CHECK(m.verification == Verification::Valid);
    CHECK(m.form == PayloadForm::PlainJson);
    CHECK(hasNote(m, "plain JSON"));
    REQUIRE(m.put);
    CHECK(m.put->id == 16327138);
    CHECK(decodePush("{not json", kTopic, kKey, Encoding::Raw).decodeError == "not JSON");
}

TEST_CASE("push: encodePush / decodePush round trip in raw and form encodings") {
    const core::sign::Params fields{{"timestamp", "1761216697"}, {"machine_id", "10009"},
                                    {"method", "client.pickup_codes.create"}, {"client_id", "16327138"},
                                    {"id", "7"}, {"product_id", "30001"}, {"code", "12345678"}, {"quantity", "3"},
                                    {"expired_at", "1761223897334"}, {"expired_day", "2025-10-23 20:51:37"},
                                    {"used", "0"}, {"status", "0"}, {"sign", "stale"}};
    for (const Encoding encoding : {Encoding::Raw, Encoding::Form}) {
        CAPTURE(core::sign::encodingName(encoding));
        const std::string payload = encodePush(fields, kKey, encoding);
        const auto m = decodePush(payload, kTopic, kKey, encoding);
        CHECK(m.verification == Verification::Valid);
        CHECK(m.sign != "stale");
        CHECK(m.fields.size() == fields.size());
        REQUIRE(m.create);
        CHECK(m.create->quantity == 3);
        CHECK(m.create->expiredDay == "2025-10-23 20:51:37");
        // expired_day holds a space and colons, so raw and form signs differ.
        const Encoding other = encoding == Encoding::Raw ? Encoding::Form : Encoding::Raw;
        CHECK(decodePush(payload, kTopic, kKey, other).verification == Verification::Invalid);
    }
    // The vendor's signatory vector (§1) survives the round trip.
    const auto vector = decodePush(encodePush({{"client_id", "16327128"}, {"method", "android.shutdown"},
                                               {"timestamp", "1727494645"}},
                                              "ds069ed4223ac1660f", Encoding::Raw),
                                   "", "ds069ed4223ac1660f", Encoding::Raw);
    CHECK(vector.sign == "4D49FFFDE0DA4537160CFC258356277B");
    CHECK(vector.verification == Verification::Valid);
}

TEST_CASE("push: 5000 random and mutated payloads never crash and always get one of the four results") {
    std::mt19937 rng(20251023);  // fixed seed: failures are reproducible
    const std::vector<std::string> seeds{signedPayload(fixture("seed_create.json")),
                                         signedPayload(fixture("create_numbers.json")),
                                         signedPayload(fixture("channel_status.json")),
                                         fixture("fault_clear.json").dump()};
    int counts[4] = {0, 0, 0, 0};
    for (int i = 0; i < 5000; ++i) {
        std::string payload = seeds[static_cast<size_t>(i) % seeds.size()];
        const int kind = static_cast<int>(rng() % 5);
        if (kind == 0) {  // random bytes
            payload.assign(rng() % 400, '\0');
            for (auto& c : payload) c = static_cast<char>(rng() % 256);
        } else if (kind == 1) {  // flip bytes of the payload
            for (int n = 0; n < 1 + static_cast<int>(rng() % 4) && !payload.empty(); ++n)
                payload[rng() % payload.size()] = static_cast<char>(rng() % 256);
        } else if (kind == 2) {  // mutate the decoded JSON text, then re-encode
            static constexpr char kMutations[] = "{}[]\":,0a\\\x80\xff";
            auto decoded = core::util::base64Decode(payload).value_or(payload);
            for (int n = 0; n < 1 + static_cast<int>(rng() % 3) && !decoded.empty(); ++n)
                decoded[rng() % decoded.size()] = kMutations[rng() % (sizeof(kMutations) - 1)];
            payload = core::util::base64Encode(decoded);
        } else if (kind == 3) {  // truncate
            payload.resize(rng() % (payload.size() + 1));
        } else {  // well-formed JSON with odd values: numbers, nulls, arrays, objects, bad UTF-8
            json object = json::parse(core::util::base64Decode(payload).value_or(payload), nullptr, false);
            if (!object.is_object()) object = json::object();
            const std::vector<json> odd{json(nullptr), json(-1), json(1e300), json(true), json::array({1, "x"}),
                                        json{{"k", "v"}}, json(""), json("\xff\xfe"), json(std::string(300, '9')),
                                        json("client.pickup_codes.put")};
            for (auto& [k, v] : object.items()) {
                if (rng() % 3 == 0) v = odd[rng() % odd.size()];
            }
            payload = core::util::base64Encode(object.dump(-1, ' ', false, json::error_handler_t::replace));
        }
        const auto m = decodePush(payload, kTopic, kKey, Encoding::Raw);
        const int result = static_cast<int>(m.verification);
        REQUIRE(result >= 0);
        REQUIRE(result <= 3);
        ++counts[result];
        CHECK(m.payload == payload);
        if (m.verification == Verification::Undecodable) CHECK_FALSE(m.decodeError.empty());
        else CHECK(m.fields.is_object());
        // Everything a front-end does with it must not throw either.
        CHECK_NOTHROW((void)core::protocol::summarize(m, core::Lang::Zh));
        CHECK_NOTHROW((void)core::protocol::pushJson(m).dump(-1, ' ', false, json::error_handler_t::replace));
    }
    MESSAGE("valid " << counts[0] << ", invalid " << counts[1] << ", unsigned " << counts[2] << ", undecodable " << counts[3]);
    CHECK(counts[0] > 0);
    CHECK(counts[1] > 0);
    CHECK(counts[3] > 0);
}
