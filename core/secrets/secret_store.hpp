#pragma once
// Secrets (AppSecret, signing key, push-verification key, MQTT password) live in the OS keychain:
// Secret Service (libsecret) on Linux, Keychain on macOS, Credential Manager on Windows, all behind
// SecretStore. Environment variables override for automation. Secrets never go to SQLite, config
// files, logs or error messages.
#include "core/util/result.hpp"

#include <memory>
#include <optional>
#include <string>

namespace core::secrets {

enum class SecretKind { AppSecret, SignKey, PushVerifyKey, MqttPassword };

const char* secretKindName(SecretKind kind);     // "app_secret", "sign_key", ...
const char* secretEnvVar(SecretKind kind);       // "PICKUPDESK_APP_SECRET", "PICKUPDESK_SIGN_KEY", ...

class SecretStore {
public:
    virtual ~SecretStore() = default;
    virtual Status set(const std::string& profile, SecretKind kind, const std::string& value) = 0;
    // nullopt when nothing is stored; an error when the keychain itself fails.
    virtual Result<std::optional<std::string>> get(const std::string& profile, SecretKind kind) = 0;
    virtual Status remove(const std::string& profile, SecretKind kind) = 0;
    virtual std::string backendName() const = 0;
};

// The platform keychain. Never null: where no keychain can be reached its calls fail with
// ErrorCode::Secret and a message naming the environment variables to use instead.
std::unique_ptr<SecretStore> makeSystemKeychain();

// Process-local store, for tests of code above the keychain and for --no-keychain runs.
std::unique_ptr<SecretStore> makeMemorySecretStore();

// Looks a secret up: environment variable first, then the keychain.
class SecretResolver {
public:
    explicit SecretResolver(std::unique_ptr<SecretStore> keychain);
    // The error names the environment variable and the `pickupctl profile add` option to set it.
    Result<std::string> resolve(const std::string& profile, SecretKind kind) const;
    // Like resolve, but nullopt instead of an error when the secret is simply not set.
    Result<std::optional<std::string>> lookup(const std::string& profile, SecretKind kind) const;
    SecretStore& keychain() { return *m_keychain; }

private:
    std::unique_ptr<SecretStore> m_keychain;
};

namespace detail {
// The OS keychain, defined in the one keychain_<os>.cpp this build compiles.
std::unique_ptr<SecretStore> makePlatformKeychain();
// ErrorCode::Secret: "No keychain (...) is reachable: <reason>. Set PICKUPDESK_APP_SECRET / ..."
Error keychainUnreachable(const std::string& backend, const std::string& reason);
}  // namespace detail

}  // namespace core::secrets
