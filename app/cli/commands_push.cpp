// pickupctl decode: decodes and verifies one MQTT push (support staff paste what a broker shows).
#include "app/cli/commands.hpp"
#include "app/cli/context.hpp"
#include "app/cli/exit_codes.hpp"

#include "core/protocol/push_message.hpp"

#include <cstdlib>
#include <iostream>
#include <iterator>

namespace cli {
namespace {

struct PushKey {
    std::string key;     // never printed
    std::string source;  // "--key", "PICKUPDESK_PUSH_KEY", "profile shop", ...
    std::string encoding;  // the profile's, when the key came from a profile
};

const char* envValue(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? value : nullptr;
}

// --key, else PICKUPDESK_PUSH_KEY, else the profile's push key (which defaults to its signing key).
core::Result<PushKey> pushKey(const GlobalOptions& g, const DecodeCliOptions& o) {
    if (o.key) return PushKey{*o.key, "--key", {}};
    if (const char* env = envValue("PICKUPDESK_PUSH_KEY")) return PushKey{env, "PICKUPDESK_PUSH_KEY", {}};
    auto ctx = Context::open(g);
    if (!ctx) return ctx.error();
    auto profile = (*ctx)->profiles().current(g.profile);
    if (!profile) {
        if (const char* env = envValue("PICKUPDESK_SIGN_KEY")) return PushKey{env, "PICKUPDESK_SIGN_KEY", {}};
        return core::makeError(core::ErrorCode::Config,
                               "No push-verification key: pass --key, set PICKUPDESK_PUSH_KEY, or add a profile "
                               "with a signing or push key (pickupctl profile add ... --push-key-stdin).");
    }
    auto key = (*ctx)->secrets().resolve(profile->name, core::secrets::SecretKind::PushVerifyKey);
    if (!key) return key.error();
    return PushKey{std::move(key.value()), "profile " + profile->name, profile->signEncoding};
}

std::string readPayload(const DecodeCliOptions& o) {
    if (o.payload) return *o.payload;
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

// Bytes that are not printable ASCII or UTF-8 lead/continuation bytes are shown as \xNN.
std::string preview(const std::string& bytes, size_t limit = 160) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < bytes.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c != 0x7f && c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else {
            out += "\\x";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0F]);
        }
    }
    if (bytes.size() > limit) out += "... (" + std::to_string(bytes.size()) + " bytes)";
    return out;
}

void printHuman(const core::protocol::PushMessage& m, const PushKey& key, const std::string& encoding) {
    using core::protocol::Verification;
    const auto line = [](const char* label, const std::string& value) {
        std::cout << label << std::string(static_cast<size_t>(14 - displayWidth(label)), ' ') << value << '\n';
    };
    line("verification", std::string(core::protocol::verificationLabel(m.verification, core::Lang::En)) + " / " +
                             core::protocol::verificationLabel(m.verification, core::Lang::Zh) + " (key from " +
                             key.source + ", " + encoding + " encoding)");
    if (m.verification == Verification::Undecodable) {
        line("error", m.decodeError);
        line("payload", preview(m.payload));
        return;
    }
    line("summary", core::protocol::summarize(m, core::Lang::En));
    line("摘要", core::protocol::summarize(m, core::Lang::Zh));
    line("method", m.method.empty() ? "(none)" : m.method);
    if (m.info != nullptr) line("direction", core::protocol::directionName(m.info->direction));
    line("machine", (m.machineNo.empty() ? "?" : m.machineNo) +
                        (m.machineId ? " (machine_id " + std::to_string(*m.machineId) + ")" : ""));
    if (!m.topic.empty()) line("topic", m.topic);
    if (m.timestamp) line("timestamp", std::to_string(*m.timestamp) + " (" + core::tz::toIso8601Utc(core::tz::normalizeEpoch(*m.timestamp)) + ")");
    if (m.create) {
        if (const auto offset = core::protocol::inferredUtcOffset(*m.create)) {
            line("utc offset", std::to_string(*offset) + " s, inferred from expired_at and expired_day");
        } else if (m.create->expiresUtc && !m.create->expiredDay.empty()) {
            line("utc offset", "cannot be inferred: expired_at and expired_day disagree");
        }
    }
    Table fields({"field", "value"});
    for (const auto& [k, v] : m.fields.items()) {
        fields.addRow({k, v.is_string() ? v.get<std::string>()
                                        : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
    }
    std::cout << '\n';
    fields.print(std::cout);
    for (const auto& note : m.notes) std::cout << "note: " << note << '\n';
}

}  // namespace

int runDecode(const GlobalOptions& g, const DecodeCliOptions& o) {
    auto key = pushKey(g, o);
    if (!key) return fail(key.error(), g);
    std::string encodingText = o.encoding.value_or("");
    if (encodingText.empty()) {
        if (const char* env = envValue("PICKUPDESK_SIGN_ENCODING")) encodingText = env;
    }
    if (encodingText.empty()) encodingText = key->encoding.empty() ? "raw" : key->encoding;
    const auto encoding = core::sign::parseEncoding(encodingText);
    if (!encoding) return fail(core::makeError(core::ErrorCode::InvalidInput, "--encoding must be raw or form."), g);

    const std::string payload = readPayload(o);
    const auto message = core::protocol::decodePush(payload, o.topic, key->key, *encoding);
    if (g.json) {
        auto out = core::protocol::pushJson(message);
        out["key_source"] = key->source;
        out["encoding"] = encodingText;
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else {
        printHuman(message, *key, encodingText);
    }
    // The verification is the command's answer, not a failure: scripts read it from the output.
    return kExitOk;
}

}  // namespace cli
