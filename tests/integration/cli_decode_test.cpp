// `pickupctl decode`: the real binary decoding and verifying pushes built by core::protocol::encodePush.
#include "pd_test_paths.hpp"
#include "core/protocol/push_message.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

using core::sign::Encoding;
using nlohmann::json;
using testsupport::ProcessResult;

namespace {

constexpr const char* kPushKey = "PushKey-5c8e01-LEAKCHECK";

const core::sign::Params kCreate{{"timestamp", "1761216697"}, {"machine_id", "10009"},
                                 {"method", "client.pickup_codes.create"}, {"client_id", "16327138"},
                                 {"id", "7"}, {"product_id", "20001"}, {"code", "16327138"}, {"quantity", "1"},
                                 {"expired_at", "1761223897334"}, {"expired_day", "2025-10-23 20:51:37"},
                                 {"used", "0"}, {"status", "0"}};

// pickupctl with its own data directory and database, no profile and no secrets unless added.
class DecodeRunner {
public:
    DecodeRunner()
        : m_env{{"PICKUPDESK_DB", m_dir.file("pickupdesk.db")},
                {"XDG_DATA_HOME", m_dir.file("data")},
                {"XDG_CONFIG_HOME", m_dir.file("config")},
                {"PICKUPDESK_URL", ""}, {"PICKUPDESK_APPID", ""}, {"PICKUPDESK_SIGN_KEY", ""},
                {"PICKUPDESK_PUSH_KEY", ""}, {"PICKUPDESK_SIGN_ENCODING", ""}} {}

    ProcessResult run(const std::vector<std::string>& args, const std::string& stdinText = {}) {
        std::vector<std::string> argv{PD_PICKUPCTL_PATH};
        argv.insert(argv.end(), args.begin(), args.end());
        ProcessResult r = testsupport::runProcess(argv, m_env, stdinText, 30000);
        CHECK_FALSE(r.timedOut);
        CHECK(r.out.find(kPushKey) == std::string::npos);  // the key is never printed
        CHECK(r.err.find(kPushKey) == std::string::npos);
        return r;
    }

    json decodeJson(const std::vector<std::string>& args, const std::string& stdinText = {}) {
        std::vector<std::string> full{"--json", "decode"};
        full.insert(full.end(), args.begin(), args.end());
        const ProcessResult r = run(full, stdinText);
        INFO("stdout: " << r.out << "\nstderr: " << r.err);
        CHECK(r.exitCode == 0);
        auto parsed = nlohmann::json::parse(r.out, nullptr, false);
        REQUIRE_FALSE(parsed.is_discarded());
        return parsed;
    }

    std::map<std::string, std::string>& env() { return m_env; }

private:
    testsupport::TempDir m_dir;
    std::map<std::string, std::string> m_env;
};

}  // namespace

TEST_CASE("cli decode: a signed create as an argument with --json") {
    DecodeRunner p;
    const std::string payload = core::protocol::encodePush(kCreate, kPushKey, Encoding::Raw);
    const auto j = p.decodeJson({"--key", kPushKey, "--topic", "/clients/16327138", payload});
    CHECK(j["verification"] == "valid");
    CHECK(j["key_source"] == "--key");
    CHECK(j["encoding"] == "raw");
    CHECK(j["method"] == "client.pickup_codes.create");
    CHECK(j["label_zh"] == "取货码生成");
    CHECK(j["machine_no"] == "16327138");
    CHECK(j["topic"] == "/clients/16327138");
    CHECK(j["fields"]["expired_day"] == "2025-10-23 20:51:37");
    CHECK(j["fields"].size() == kCreate.size() + 1);
    CHECK(j["view"]["code"] == "16327138");
    CHECK(j["view"]["expires_utc"] == "2025-10-23T12:51:37Z");
    CHECK(j["view"]["inferred_utc_offset"] == 28800);
}

TEST_CASE("cli decode: payload on stdin with human output in English and Chinese") {
    DecodeRunner p;
    const std::string payload = core::protocol::encodePush(kCreate, kPushKey, Encoding::Raw);
    const auto r = p.run({"decode", "--key", kPushKey}, payload + "\n");
    INFO(r.out << r.err);
    CHECK(r.exitCode == 0);
    CHECK(r.out.find("valid signature / 签名有效") != std::string::npos);
    CHECK(r.out.find("Pickup codes created: code 16327138 product 20001 qty 1 expires 2025-10-23 20:51:37") !=
          std::string::npos);
    CHECK(r.out.find("取货码生成: 取货码 16327138") != std::string::npos);
    CHECK(r.out.find("28800 s, inferred") != std::string::npos);
    CHECK(r.out.find("expired_at   1761223897334") != std::string::npos);
}

TEST_CASE("cli decode: invalid and unsigned and undecodable are reported and are not errors") {
    DecodeRunner p;
    const auto wrong = p.decodeJson({"--key", "another-key", core::protocol::encodePush(kCreate, kPushKey, Encoding::Raw)});
    CHECK(wrong["verification"] == "invalid");
    CHECK(wrong["view"]["code"] == "16327138");

    json unsignedObject = json::object();
    for (const auto& [k, v] : kCreate) unsignedObject[k] = v;
    const auto plain = p.decodeJson({"--key", kPushKey}, unsignedObject.dump());
    CHECK(plain["verification"] == "unsigned");
    CHECK(plain["form"] == "plain_json");

    const auto garbage = p.decodeJson({"--key", kPushKey, "@@not-base64@@"});
    CHECK(garbage["verification"] == "undecodable");
    CHECK(garbage["decode_error"] == "not Base64");
    CHECK(garbage["payload"] == "@@not-base64@@");
    const auto human = p.run({"decode", "--key", kPushKey, "@@not-base64@@"});
    CHECK(human.exitCode == 0);
    CHECK(human.out.find("UNDECODABLE / 无法解码") != std::string::npos);
    CHECK(human.out.find("not Base64") != std::string::npos);
}

TEST_CASE("cli decode: key from PICKUPDESK_PUSH_KEY then from the profile's signing key") {
    DecodeRunner p;
    const std::string raw = core::protocol::encodePush(kCreate, kPushKey, Encoding::Raw);
    p.env()["PICKUPDESK_PUSH_KEY"] = kPushKey;
    auto j = p.decodeJson({raw});
    CHECK(j["verification"] == "valid");
    CHECK(j["key_source"] == "PICKUPDESK_PUSH_KEY");

    // No push key: the env profile's signing key (§10 default) and its form encoding.
    p.env()["PICKUPDESK_PUSH_KEY"] = "";
    p.env()["PICKUPDESK_URL"] = "http://127.0.0.1:9";
    p.env()["PICKUPDESK_APPID"] = "app";
    p.env()["PICKUPDESK_SIGN_KEY"] = kPushKey;
    p.env()["PICKUPDESK_SIGN_ENCODING"] = "form";
    j = p.decodeJson({core::protocol::encodePush(kCreate, kPushKey, Encoding::Form)});
    CHECK(j["verification"] == "valid");
    CHECK(j["key_source"] == "profile env");
    CHECK(j["encoding"] == "form");
    // --encoding overrides: the form-signed push does not verify as raw.
    j = p.decodeJson({"--encoding", "raw", core::protocol::encodePush(kCreate, kPushKey, Encoding::Form)});
    CHECK(j["verification"] == "invalid");
}

TEST_CASE("cli decode: no key anywhere is a configuration error and bad options are usage errors") {
    DecodeRunner p;
    const auto r = p.run({"decode", "eyJ9"});
    CHECK(r.exitCode == 6);
    CHECK(r.err.find("PICKUPDESK_PUSH_KEY") != std::string::npos);
    CHECK(r.err.find("--key") != std::string::npos);
    CHECK(p.run({"decode", "--key", "k", "--encoding", "base64", "eyJ9"}).exitCode == 2);
}
