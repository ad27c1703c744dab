#include "core/services/profile_service.hpp"

#include "core/tz/machine_time.hpp"

#include <cstdlib>

namespace core::services {

EnvLookup processEnv() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr || *value == '\0') return std::nullopt;
        return std::string(value);
    };
}

namespace {

bool startsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

Status validateMqtt(const ProfileInput& input) {
    const std::string& url = input.mqttUrl;
    if (!url.empty() && !startsWith(url, "tcp://") && !startsWith(url, "ssl://") && !startsWith(url, "mqtt://") &&
        !startsWith(url, "mqtts://") && !startsWith(url, "ws://") && !startsWith(url, "wss://")) {
        return makeError(ErrorCode::InvalidInput, "The MQTT URL must start with tcp://, ssl://, ws:// or wss://, "
                                                  "e.g. ssl://mqtt.example.com:8883.");
    }
    if (input.mqttVersion != 4 && input.mqttVersion != 5) {
        return makeError(ErrorCode::InvalidInput, "The MQTT version must be 4 (3.1.1) or 5.");
    }
    if (url.empty() && (!input.mqttUser.empty() || input.mqttPassword || !input.mqttCaFile.empty())) {
        return makeError(ErrorCode::InvalidInput, "MQTT settings were given without a broker: add --mqtt-url.");
    }
    return {};
}

Status validate(const ProfileInput& input) {
    if (input.name.empty() || input.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != std::string::npos) {
        return makeError(ErrorCode::InvalidInput, "Profile name '" + input.name + "' is not valid: use letters, digits, '-', '_' or '.'.");
    }
    if (input.baseUrl.rfind("https://", 0) != 0 && input.baseUrl.rfind("http://", 0) != 0) {
        return makeError(ErrorCode::InvalidInput, "The URL must start with https:// (or http:// for a local simulator), e.g. https://www.awish.vip.");
    }
    if (input.appId.empty()) return makeError(ErrorCode::InvalidInput, "The Appid is empty: copy it from the vendor's developer centre.");
    if (!sign::parseEncoding(input.signEncoding)) {
        return makeError(ErrorCode::InvalidInput, "Sign encoding must be 'raw' or 'form', not '" + input.signEncoding + "'.");
    }
    if (!tz::isValidZone(input.defaultTimezone)) {
        return makeError(ErrorCode::InvalidInput, "Unknown time zone '" + input.defaultTimezone + "': use an IANA name such as Asia/Shanghai.");
    }
    return validateMqtt(input);
}

}  // namespace

ProfileService::ProfileService(store::Store& store, secrets::SecretResolver& secrets, EnvLookup env)
    : m_store(store), m_secrets(secrets), m_env(std::move(env)) {}

Result<Profile> ProfileService::add(const ProfileInput& input) {
    if (auto ok = validate(input); !ok) return ok.error();
    Profile profile;
    profile.name = input.name;
    profile.baseUrl = input.baseUrl;
    while (!profile.baseUrl.empty() && profile.baseUrl.back() == '/') profile.baseUrl.pop_back();
    profile.appId = input.appId;
    profile.signEncoding = input.signEncoding;
    profile.defaultTimezone = input.defaultTimezone;
    profile.caFile = input.caFile;
    profile.mqttUrl = input.mqttUrl;
    profile.mqttUser = input.mqttUser;
    profile.mqttVersion = input.mqttVersion;
    profile.mqttCaFile = input.mqttCaFile;
    profile.mqttClientCert = input.mqttClientCert;
    profile.mqttClientKey = input.mqttClientKey;
    profile.mqttClientId = input.mqttClientId;
    const std::pair<const std::optional<std::string>*, secrets::SecretKind> toStore[] = {
        {&input.appSecret, secrets::SecretKind::AppSecret},
        {&input.signKey, secrets::SecretKind::SignKey},
        {&input.pushKey, secrets::SecretKind::PushVerifyKey},
        {&input.mqttPassword, secrets::SecretKind::MqttPassword}};
    for (const auto& [value, kind] : toStore) {
        if (!value->has_value()) continue;
        if (auto ok = m_secrets.keychain().set(profile.name, kind, **value); !ok) return ok.error();
    }
    auto id = m_store.upsertProfile(profile);
    if (!id) return id.error();
    profile.id = *id;
    if (input.activate) {
        if (auto ok = m_store.setActiveProfile(profile.name); !ok) return ok.error();
        profile.active = true;
    }
    return profile;
}

Result<std::vector<Profile>> ProfileService::list() const { return m_store.listProfiles(); }

Status ProfileService::use(const std::string& name) { return m_store.setActiveProfile(name); }

void ProfileService::applyEnvOverrides(Profile& profile) const {
    if (auto v = m_env("PICKUPDESK_URL")) profile.baseUrl = *v;
    if (auto v = m_env("PICKUPDESK_APPID")) profile.appId = *v;
    if (auto v = m_env("PICKUPDESK_SIGN_ENCODING")) profile.signEncoding = *v;
    if (auto v = m_env("PICKUPDESK_CA_FILE")) profile.caFile = *v;
    if (auto v = m_env("PICKUPDESK_MQTT_URL")) profile.mqttUrl = *v;
    if (auto v = m_env("PICKUPDESK_MQTT_USER")) profile.mqttUser = *v;
}

Result<Profile> ProfileService::current(const std::optional<std::string>& name) {
    Profile profile;
    if (name) {
        auto found = m_store.profileByName(*name);
        if (!found) return found.error();
        profile = *found;
    } else {
        auto active = m_store.activeProfile();
        if (!active) return active.error();
        if (active->has_value()) {
            profile = **active;
        } else if (m_env("PICKUPDESK_URL") && m_env("PICKUPDESK_APPID")) {
            ProfileInput input;
            input.name = "env";
            input.baseUrl = *m_env("PICKUPDESK_URL");
            input.appId = *m_env("PICKUPDESK_APPID");
            input.signEncoding = m_env("PICKUPDESK_SIGN_ENCODING").value_or("raw");
            input.caFile = m_env("PICKUPDESK_CA_FILE").value_or("");
            auto added = add(input);
            if (!added) return added.error();
            profile = std::move(*added);
        } else {
            return makeError(ErrorCode::Config, "No vendor profile is set up. Add one with `pickupctl profile add NAME --url URL "
                                                "--appid APPID --app-secret-stdin`, or set PICKUPDESK_URL and PICKUPDESK_APPID.");
        }
    }
    applyEnvOverrides(profile);
    if (!sign::parseEncoding(profile.signEncoding)) {
        return makeError(ErrorCode::Config, "Sign encoding must be 'raw' or 'form', not '" + profile.signEncoding + "'.");
    }
    return profile;
}

Result<api::ClientConfig> ProfileService::clientConfig(const Profile& profile) const {
    api::ClientConfig config;
    config.baseUrl = profile.baseUrl;
    config.appId = profile.appId;
    config.encoding = sign::parseEncoding(profile.signEncoding).value_or(sign::Encoding::Raw);
    config.caFile = profile.caFile;
    auto appSecret = m_secrets.resolve(profile.name, secrets::SecretKind::AppSecret);
    if (!appSecret) return appSecret.error();
    auto signKey = m_secrets.resolve(profile.name, secrets::SecretKind::SignKey);
    if (!signKey) return signKey.error();
    config.appSecret = std::move(*appSecret);
    config.signKey = std::move(*signKey);
    return config;
}

Result<std::optional<PushSettings>> ProfileService::pushSettings(const Profile& profile) const {
    if (profile.mqttUrl.empty()) return std::optional<PushSettings>{};
    PushSettings settings;
    settings.mqtt.serverUri = profile.mqttUrl;
    settings.mqtt.username = profile.mqttUser;
    settings.mqtt.mqttVersion = profile.mqttVersion == 5 ? 5 : 4;
    settings.mqtt.caFile = profile.mqttCaFile;
    settings.mqtt.clientCert = profile.mqttClientCert;
    settings.mqtt.clientKey = profile.mqttClientKey;
    settings.mqtt.clientId = profile.mqttClientId;
    if (!profile.mqttUser.empty()) {
        auto password = m_secrets.lookup(profile.name, secrets::SecretKind::MqttPassword);
        if (!password) return password.error();
        settings.mqtt.password = password.value().value_or("");
    }
    auto key = m_secrets.resolve(profile.name, secrets::SecretKind::PushVerifyKey);
    if (!key) return key.error();
    settings.pushKey = std::move(*key);
    settings.encoding = sign::parseEncoding(profile.signEncoding).value_or(sign::Encoding::Raw);
    return std::optional<PushSettings>{std::move(settings)};
}

}  // namespace core::services
