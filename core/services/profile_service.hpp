#pragma once
// Vendor profiles: stored settings (no secrets) + secrets in the keychain + environment overrides.
#include "core/api/open_api_client.hpp"
#include "core/domain/types.hpp"
#include "core/net/mqtt_client.hpp"
#include "core/secrets/secret_store.hpp"
#include "core/store/store.hpp"
#include "core/util/result.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace core::services {

// Reads an environment variable (injectable for tests); empty values count as unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup processEnv();

struct ProfileInput {
    std::string name;
    std::string baseUrl;
    std::string appId;
    std::string signEncoding = "raw";
    std::string defaultTimezone = "Asia/Shanghai";
    std::string caFile;
    std::optional<std::string> appSecret;  // stored in the keychain when given
    std::optional<std::string> signKey;
    std::optional<std::string> pushKey;
    bool activate = true;
    // MQTT broker (issue 4); the password goes to the keychain like the other secrets.
    std::string mqttUrl, mqttUser, mqttCaFile, mqttClientCert, mqttClientKey, mqttClientId;
    int mqttVersion = 4;
    std::optional<std::string> mqttPassword;
};

// The broker to take pushes from, secrets resolved, and the push-verification key.
struct PushSettings {
    net::MqttConfig mqtt;       // serverUri, credentials, version, TLS files, client id (may be empty)
    std::string pushKey;        // never logged
    sign::Encoding encoding = sign::Encoding::Raw;
};

class ProfileService {
public:
    ProfileService(store::Store& store, secrets::SecretResolver& secrets, EnvLookup env = processEnv());

    Result<Profile> add(const ProfileInput& input);
    Result<std::vector<Profile>> list() const;
    Status use(const std::string& name);

    // The profile to work with: `name` if given, else the active one. PICKUPDESK_URL, PICKUPDESK_APPID,
    // PICKUPDESK_SIGN_ENCODING and PICKUPDESK_CA_FILE override its fields; with no stored profile but
    // PICKUPDESK_URL and PICKUPDESK_APPID set, a profile named "env" is recorded and used.
    Result<Profile> current(const std::optional<std::string>& name);

    // Everything the open-API client needs, secrets resolved (environment first, then keychain).
    Result<api::ClientConfig> clientConfig(const Profile& profile) const;

    // The profile's broker (PICKUPDESK_MQTT_URL / _USER / _PASSWORD override), nullopt when none is
    // configured. The MQTT password is looked up only when a user name is set.
    Result<std::optional<PushSettings>> pushSettings(const Profile& profile) const;

private:
    void applyEnvOverrides(Profile& profile) const;

    store::Store& m_store;
    secrets::SecretResolver& m_secrets;
    EnvLookup m_env;
};

}  // namespace core::services
