// Base64 -> JSON -> PushMessage, and the signature check (vendor-protocol.md §1, §4, §10).
#include "core/protocol/push_fields.hpp"
#include "core/protocol/push_message.hpp"

#include "core/api/reply_parse.hpp"
#include "core/util/base64.hpp"

namespace core::protocol {
namespace {

// nlohmann's parser and dump recurse per nesting level; a flat push has depth 1.
constexpr int kMaxDepth = 64;

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

bool nestedTooDeeply(std::string_view text) {
    int depth = 0;
    bool inString = false, escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > kMaxDepth) return true;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return false;
}

void setUndecodable(PushMessage& m, std::string reason) {
    m.verification = Verification::Undecodable;
    m.decodeError = std::move(reason);
}

// Sets form and returns the JSON text, or an empty optional after setUndecodable.
std::optional<std::string> jsonTextOf(PushMessage& m, std::string_view payload) {
    const std::string_view text = trimmed(payload);
    if (text.empty()) {
        setUndecodable(m, "empty payload");
        return std::nullopt;
    }
    if (text.size() > kMaxPushBytes) {
        setUndecodable(m, "too large (" + std::to_string(text.size()) + " bytes)");
        return std::nullopt;
    }
    // '{' and '[' are not Base64 characters, so plain JSON cannot be mistaken for Base64.
    if (text.front() == '{' || text.front() == '[') {
        m.form = PayloadForm::PlainJson;
        m.notes.emplace_back("plain JSON payload: the vendor sends Base64(JSON)");
        return std::string(text);
    }
    auto decoded = util::base64Decode(text);
    if (!decoded) {
        setUndecodable(m, "not Base64");
        return std::nullopt;
    }
    m.form = PayloadForm::Base64;
    return decoded;
}

void readCommonFields(PushMessage& m) {
    detail::FieldReader read(m.fields, m.notes);
    m.method = read.text("method");
    m.info = findMethod(m.method);
    if (!m.method.empty() && m.info == nullptr) m.notes.emplace_back("unknown method '" + m.method + "'");
    m.sign = api::jsonText(m.fields, "sign");
    m.timestamp = read.integer("timestamp");
    m.machineId = read.integer("machine_id", false);
    const std::string fromTopic = machineFromTopic(m.topic);
    m.machineNo = read.text("client_id", false);
    if (m.machineNo.empty()) {
        m.machineNo = fromTopic;
        if (fromTopic.empty()) m.notes.emplace_back("no client_id and the topic names no machine");
    } else if (!fromTopic.empty() && fromTopic != m.machineNo) {
        m.notes.emplace_back("client_id " + m.machineNo + " differs from the topic's machine " + fromTopic);
    }
}

Verification verifySign(PushMessage& m, std::string_view key, sign::Encoding encoding) {
    if (m.sign.empty()) return Verification::Unsigned;
    try {
        return sign::verify(sign::paramsFromJson(m.fields), key, encoding) ? Verification::Valid
                                                                           : Verification::Invalid;
    } catch (const std::exception&) {  // a nested value that cannot be serialised (bad UTF-8)
        m.notes.emplace_back("the sign could not be checked: a nested value is not valid UTF-8");
        return Verification::Invalid;
    }
}

void decodeInto(PushMessage& m, std::string_view payload, std::string_view key, sign::Encoding encoding) {
    const auto text = jsonTextOf(m, payload);
    if (!text) return;
    if (nestedTooDeeply(*text)) return setUndecodable(m, "JSON nested too deeply");
    auto parsed = nlohmann::json::parse(*text, nullptr, false);
    if (parsed.is_discarded()) return setUndecodable(m, m.form == PayloadForm::Base64 ? "Base64 of something that is not JSON" : "not JSON");
    if (!parsed.is_object()) return setUndecodable(m, "not a JSON object");
    m.fields = std::move(parsed);
    readCommonFields(m);
    m.verification = verifySign(m, key, encoding);
    detail::fillTypedView(m);
}

}  // namespace

const char* verificationName(Verification verification) {
    switch (verification) {
    case Verification::Valid: return "valid";
    case Verification::Invalid: return "invalid";
    case Verification::Unsigned: return "unsigned";
    case Verification::Undecodable: break;
    }
    return "undecodable";
}

const char* verificationLabel(Verification verification, Lang lang) {
    const bool zh = lang == Lang::Zh;
    switch (verification) {
    case Verification::Valid: return zh ? "签名有效" : "valid signature";
    case Verification::Invalid: return zh ? "签名无效" : "INVALID signature";
    case Verification::Unsigned: return zh ? "未签名" : "UNSIGNED";
    case Verification::Undecodable: break;
    }
    return zh ? "无法解码" : "UNDECODABLE";
}

const char* payloadFormName(PayloadForm form) {
    switch (form) {
    case PayloadForm::Base64: return "base64";
    case PayloadForm::PlainJson: return "plain_json";
    case PayloadForm::Unknown: break;
    }
    return "unknown";
}

std::string machineFromTopic(std::string_view topic) {
    if (!topic.empty() && topic.front() == '/') topic.remove_prefix(1);
    for (const std::string_view prefix : {std::string_view("clients/"), std::string_view("no/")}) {
        if (topic.substr(0, prefix.size()) != prefix) continue;
        const std::string_view rest = topic.substr(prefix.size());
        if (!rest.empty() && rest.find('/') == std::string_view::npos) return std::string(rest);
    }
    return {};
}

PushMessage decodePush(std::string_view payload, std::string_view topic, std::string_view key,
                       sign::Encoding encoding) {
    PushMessage m;
    try {
        m.payload.assign(payload);
        m.topic.assign(topic);
        decodeInto(m, payload, key, encoding);
    } catch (const std::exception& e) {  // out of memory and the like: still report, never throw
        m.fields = nlohmann::json::object();
        setUndecodable(m, std::string("decoding failed: ") + e.what());
    }
    return m;
}

std::string encodePush(sign::Params fields, std::string_view key, sign::Encoding encoding) {
    fields.erase("sign");
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [k, v] : fields) object[k] = v;
    object["sign"] = sign::sign(fields, key, encoding);
    return util::base64Encode(object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace core::protocol
