#include "core/secrets/secret_store.hpp"

#include <cstdlib>
#include <map>
#include <mutex>
#include <utility>

namespace core::secrets {
namespace {

// Words for messages; secretKindName() is the stable storage key.
const char* humanName(SecretKind kind) {
    switch (kind) {
        case SecretKind::AppSecret: return "AppSecret";
        case SecretKind::SignKey: return "signing key";
        case SecretKind::PushVerifyKey: return "push-verification key";
        case SecretKind::MqttPassword: return "MQTT password";
    }
    return "secret";
}

// An empty variable counts as unset: CI systems often export blanks for missing secrets.
std::optional<std::string> fromEnv(SecretKind kind) {
    const char* value = std::getenv(secretEnvVar(kind));
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

std::string howToSet(SecretKind kind) {
    const std::string env = secretEnvVar(kind);
    switch (kind) {
        case SecretKind::AppSecret:
            return "Store it with `pickupctl profile add --app-secret-stdin` or set " + env + ".";
        case SecretKind::SignKey:
            return "Store it with `pickupctl profile add --sign-key-stdin` or set " + env + ".";
        case SecretKind::PushVerifyKey:
            return "It defaults to the signing key: store that with `pickupctl profile add --sign-key-stdin` or set " +
                   std::string(secretEnvVar(SecretKind::SignKey)) + " (or set " + env + " for a separate push key).";
        case SecretKind::MqttPassword:
            return "Store it in the keychain or set " + env + ".";
    }
    return "Set " + env + ".";
}

class MemorySecretStore final : public SecretStore {
public:
    Status set(const std::string& profile, SecretKind kind, const std::string& value) override {
        std::lock_guard lock(m_mutex);
        m_values[{profile, kind}] = value;
        return {};
    }
    Result<std::optional<std::string>> get(const std::string& profile, SecretKind kind) override {
        std::lock_guard lock(m_mutex);
        const auto it = m_values.find({profile, kind});
        if (it == m_values.end()) return std::optional<std::string>();
        return std::optional<std::string>(it->second);
    }
    Status remove(const std::string& profile, SecretKind kind) override {
        std::lock_guard lock(m_mutex);
        m_values.erase({profile, kind});
        return {};
    }
    std::string backendName() const override { return "memory"; }

private:
    std::mutex m_mutex;
    std::map<std::pair<std::string, SecretKind>, std::string> m_values;
};

// Stands in where this build has no keychain backend: every call explains the alternatives.
class UnavailableKeychain final : public SecretStore {
public:
    Status set(const std::string&, SecretKind, const std::string&) override { return failure(); }
    Result<std::optional<std::string>> get(const std::string&, SecretKind) override { return failure(); }
    Status remove(const std::string&, SecretKind) override { return failure(); }
    std::string backendName() const override { return "none"; }

private:
    static Error failure() { return detail::keychainUnreachable("OS keychain", "this build has no keychain support"); }
};

}  // namespace

const char* secretKindName(SecretKind kind) {
    switch (kind) {
        case SecretKind::AppSecret: return "app_secret";
        case SecretKind::SignKey: return "sign_key";
        case SecretKind::PushVerifyKey: return "push_verify_key";
        case SecretKind::MqttPassword: return "mqtt_password";
    }
    return "unknown";
}

const char* secretEnvVar(SecretKind kind) {
    switch (kind) {
        case SecretKind::AppSecret: return "PICKUPDESK_APP_SECRET";
        case SecretKind::SignKey: return "PICKUPDESK_SIGN_KEY";
        case SecretKind::PushVerifyKey: return "PICKUPDESK_PUSH_KEY";
        case SecretKind::MqttPassword: return "PICKUPDESK_MQTT_PASSWORD";
    }
    return "PICKUPDESK_SECRET";
}

Error detail::keychainUnreachable(const std::string& backend, const std::string& reason) {
#if defined(__linux__)
    const char* hint = "or run a keyring (GNOME Keyring, KWallet)";
#else
    const char* hint = "or unlock the system keychain";
#endif
    return makeError(ErrorCode::Secret, "No keychain (" + backend + ") is reachable: " + reason +
                                            ". Set PICKUPDESK_APP_SECRET / PICKUPDESK_SIGN_KEY for automation, " +
                                            hint + ".");
}

std::unique_ptr<SecretStore> makeSystemKeychain() {
#if defined(__linux__) || defined(__APPLE__) || defined(_WIN32)
    if (auto store = detail::makePlatformKeychain()) return store;
#endif
    return std::make_unique<UnavailableKeychain>();
}

std::unique_ptr<SecretStore> makeMemorySecretStore() { return std::make_unique<MemorySecretStore>(); }

SecretResolver::SecretResolver(std::unique_ptr<SecretStore> keychain)
    : m_keychain(keychain ? std::move(keychain) : makeSystemKeychain()) {}

Result<std::optional<std::string>> SecretResolver::lookup(const std::string& profile, SecretKind kind) const {
    if (auto value = fromEnv(kind)) return value;
    auto stored = m_keychain->get(profile, kind);
    if (stored.ok() && stored.value()) return stored;
    if (kind == SecretKind::PushVerifyKey) {
        // vendor-protocol.md §10: the push key defaults to the signing key.
        auto signKey = lookup(profile, SecretKind::SignKey);
        if (signKey.ok() && signKey.value()) return signKey;
        if (stored.ok()) return signKey;  // nullopt, or the sign-key lookup's error
    }
    return stored;
}

Result<std::string> SecretResolver::resolve(const std::string& profile, SecretKind kind) const {
    auto found = lookup(profile, kind);
    if (!found.ok()) {
        Error error = found.error();
        error.message += " The " + std::string(humanName(kind)) + " of profile \"" + profile +
                         "\" can also come from " + secretEnvVar(kind) + ".";
        return error;
    }
    if (!found.value()) {
        return makeError(ErrorCode::Secret, "No " + std::string(humanName(kind)) + " is set for profile \"" +
                                                profile + "\". " + howToSet(kind));
    }
    return std::move(*found.value());
}

}  // namespace core::secrets
