#include "core/secrets/secret_store.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <unistd.h>

using core::ErrorCode;
using core::secrets::makeMemorySecretStore;
using core::secrets::makeSystemKeychain;
using core::secrets::SecretKind;
using core::secrets::SecretResolver;
using core::secrets::SecretStore;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Sets (or unsets, with nullptr) one environment variable for the scope, then restores it.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : m_name(name) {
        if (const char* old = std::getenv(name)) m_old = old;
        if (value != nullptr) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (m_old) ::setenv(m_name.c_str(), m_old->c_str(), 1);
        else ::unsetenv(m_name.c_str());
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    std::string m_name;
    std::optional<std::string> m_old;
};

// Every variable the resolver reads, cleared so the caller's shell cannot leak into a test.
struct CleanSecretEnv {
    ScopedEnv app{"PICKUPDESK_APP_SECRET", nullptr};
    ScopedEnv sign{"PICKUPDESK_SIGN_KEY", nullptr};
    ScopedEnv push{"PICKUPDESK_PUSH_KEY", nullptr};
    ScopedEnv mqtt{"PICKUPDESK_MQTT_PASSWORD", nullptr};
};

std::string testProfile(const char* suffix) {
    return "pd-test-" + std::to_string(::getpid()) + "-" + suffix;
}

// Any keychain failure: the right code, the alternatives named, the value never shown.
void checkKeychainError(const core::Error& error, const std::string& secretValue) {
    CHECK(error.code == ErrorCode::Secret);
    CHECK(contains(error.message, "PICKUPDESK_APP_SECRET"));
    CHECK(contains(error.message, "PICKUPDESK_SIGN_KEY"));
    CHECK_FALSE(contains(error.message, secretValue));
}

void checkUnreachableError(const core::Error& error, const std::string& secretValue) {
    checkKeychainError(error, secretValue);
    CHECK(contains(error.message, "No keychain (Secret Service) is reachable"));
    CHECK(contains(error.message, "GNOME Keyring"));
}

// Probes the real keychain. Unreachable fails the test under PICKUPDESK_REQUIRE_KEYCHAIN=1 (CI runs
// scripts/with-keyring); otherwise it warns and checks only that the error explains what to do.
bool keychainReachable(SecretStore& keychain) {
    const std::string probeValue = "probe-value-not-in-messages";
    const auto probe = keychain.set(testProfile("probe"), SecretKind::AppSecret, probeValue);
    if (probe.ok()) {
        CHECK(keychain.remove(testProfile("probe"), SecretKind::AppSecret).ok());
        return true;
    }
    const char* require = std::getenv("PICKUPDESK_REQUIRE_KEYCHAIN");
    if (require != nullptr && std::string(require) == "1") {
        FAIL_CHECK("keychain not usable but PICKUPDESK_REQUIRE_KEYCHAIN=1: " << probe.error().message);
    } else {
        WARN_MESSAGE(false, "keychain not usable, keychain round trip NOT tested (run under scripts/with-keyring): "
                                << probe.error().message);
        checkKeychainError(probe.error(), probeValue);
    }
    return false;
}

std::optional<std::string> getOrFail(SecretStore& store, const std::string& profile, SecretKind kind) {
    auto got = store.get(profile, kind);
    REQUIRE_MESSAGE(got.ok(), (got.ok() ? "" : got.error().message));
    return got.value();
}

}  // namespace

TEST_CASE("secret kinds have storage names and environment variables") {
    using core::secrets::secretEnvVar;
    using core::secrets::secretKindName;
    CHECK(std::string(secretKindName(SecretKind::AppSecret)) == "app_secret");
    CHECK(std::string(secretKindName(SecretKind::SignKey)) == "sign_key");
    CHECK(std::string(secretKindName(SecretKind::PushVerifyKey)) == "push_verify_key");
    CHECK(std::string(secretKindName(SecretKind::MqttPassword)) == "mqtt_password");
    CHECK(std::string(secretEnvVar(SecretKind::AppSecret)) == "PICKUPDESK_APP_SECRET");
    CHECK(std::string(secretEnvVar(SecretKind::SignKey)) == "PICKUPDESK_SIGN_KEY");
    CHECK(std::string(secretEnvVar(SecretKind::PushVerifyKey)) == "PICKUPDESK_PUSH_KEY");
    CHECK(std::string(secretEnvVar(SecretKind::MqttPassword)) == "PICKUPDESK_MQTT_PASSWORD");
}

TEST_CASE("memory secret store: set, get, overwrite, remove") {
    auto store = makeMemorySecretStore();
    CHECK(store->backendName() == "memory");
    CHECK_FALSE(getOrFail(*store, "shop", SecretKind::AppSecret));
    REQUIRE(store->set("shop", SecretKind::AppSecret, "secret-1").ok());
    CHECK(getOrFail(*store, "shop", SecretKind::AppSecret) == "secret-1");
    CHECK_FALSE(getOrFail(*store, "shop", SecretKind::SignKey));
    CHECK_FALSE(getOrFail(*store, "other", SecretKind::AppSecret));
    REQUIRE(store->set("shop", SecretKind::AppSecret, "secret-2").ok());
    CHECK(getOrFail(*store, "shop", SecretKind::AppSecret) == "secret-2");
    REQUIRE(store->remove("shop", SecretKind::AppSecret).ok());
    CHECK_FALSE(getOrFail(*store, "shop", SecretKind::AppSecret));
    CHECK(store->remove("shop", SecretKind::AppSecret).ok());  // removing nothing is fine
}

TEST_CASE("secret resolver: environment overrides the keychain, empty variables are ignored") {
    CleanSecretEnv clean;
    SecretResolver resolver(makeMemorySecretStore());
    REQUIRE(resolver.keychain().set("shop", SecretKind::AppSecret, "from-keychain").ok());

    auto fromKeychain = resolver.resolve("shop", SecretKind::AppSecret);
    REQUIRE(fromKeychain.ok());
    CHECK(*fromKeychain == "from-keychain");

    {
        ScopedEnv env("PICKUPDESK_APP_SECRET", "from-env");
        auto fromEnv = resolver.resolve("shop", SecretKind::AppSecret);
        REQUIRE(fromEnv.ok());
        CHECK(*fromEnv == "from-env");
    }
    {
        ScopedEnv env("PICKUPDESK_APP_SECRET", "");
        auto emptyEnv = resolver.resolve("shop", SecretKind::AppSecret);
        REQUIRE(emptyEnv.ok());
        CHECK(*emptyEnv == "from-keychain");
    }
    {
        ScopedEnv env("PICKUPDESK_MQTT_PASSWORD", "");
        auto missing = resolver.lookup("shop", SecretKind::MqttPassword);
        REQUIRE(missing.ok());
        CHECK_FALSE(missing.value());
    }
}

TEST_CASE("secret resolver: a missing secret names the variable and option, never a value") {
    CleanSecretEnv clean;
    SecretResolver resolver(makeMemorySecretStore());
    REQUIRE(resolver.keychain().set("shop", SecretKind::SignKey, "sign-value-123").ok());
    REQUIRE(resolver.keychain().set("other", SecretKind::AppSecret, "app-value-456").ok());

    auto app = resolver.resolve("shop", SecretKind::AppSecret);
    REQUIRE_FALSE(app.ok());
    CHECK(app.error().code == ErrorCode::Secret);
    CHECK(contains(app.error().message, "PICKUPDESK_APP_SECRET"));
    CHECK(contains(app.error().message, "pickupctl profile add --app-secret-stdin"));
    CHECK(contains(app.error().message, "\"shop\""));
    CHECK_FALSE(contains(app.error().message, "sign-value-123"));
    CHECK_FALSE(contains(app.error().message, "app-value-456"));

    auto sign = resolver.resolve("other", SecretKind::SignKey);
    REQUIRE_FALSE(sign.ok());
    CHECK(contains(sign.error().message, "PICKUPDESK_SIGN_KEY"));
    CHECK(contains(sign.error().message, "--sign-key-stdin"));
    CHECK_FALSE(contains(sign.error().message, "app-value-456"));

    auto mqtt = resolver.resolve("shop", SecretKind::MqttPassword);
    REQUIRE_FALSE(mqtt.ok());
    CHECK(contains(mqtt.error().message, "PICKUPDESK_MQTT_PASSWORD"));
}

TEST_CASE("secret resolver: the push-verification key falls back to the signing key") {
    CleanSecretEnv clean;
    SecretResolver resolver(makeMemorySecretStore());

    auto none = resolver.resolve("shop", SecretKind::PushVerifyKey);
    REQUIRE_FALSE(none.ok());
    CHECK(contains(none.error().message, "PICKUPDESK_PUSH_KEY"));
    CHECK(contains(none.error().message, "PICKUPDESK_SIGN_KEY"));
    auto noneLookup = resolver.lookup("shop", SecretKind::PushVerifyKey);
    REQUIRE(noneLookup.ok());
    CHECK_FALSE(noneLookup.value());

    REQUIRE(resolver.keychain().set("shop", SecretKind::SignKey, "sign-kc").ok());
    auto fromSign = resolver.resolve("shop", SecretKind::PushVerifyKey);
    REQUIRE(fromSign.ok());
    CHECK(*fromSign == "sign-kc");
    {
        ScopedEnv env("PICKUPDESK_SIGN_KEY", "sign-env");
        CHECK(*resolver.resolve("shop", SecretKind::PushVerifyKey) == "sign-env");
    }

    REQUIRE(resolver.keychain().set("shop", SecretKind::PushVerifyKey, "push-kc").ok());
    CHECK(*resolver.resolve("shop", SecretKind::PushVerifyKey) == "push-kc");
    ScopedEnv env("PICKUPDESK_PUSH_KEY", "push-env");
    CHECK(*resolver.resolve("shop", SecretKind::PushVerifyKey) == "push-env");
    // The fallback is for the push key only.
    CHECK_FALSE(resolver.resolve("other", SecretKind::AppSecret).ok());
}

TEST_CASE("keychain: without a session bus it fails fast and says what to do") {
    CleanSecretEnv clean;
    ScopedEnv noBus("DBUS_SESSION_BUS_ADDRESS", nullptr);
    ScopedEnv noRuntime("XDG_RUNTIME_DIR", nullptr);
    auto keychain = makeSystemKeychain();
    CHECK(keychain->backendName() == "Secret Service (libsecret)");

    const auto stored = keychain->set(testProfile("nobus"), SecretKind::SignKey, "never-shown-secret");
    REQUIRE_FALSE(stored.ok());
    checkUnreachableError(stored.error(), "never-shown-secret");
    const auto got = keychain->get(testProfile("nobus"), SecretKind::SignKey);
    REQUIRE_FALSE(got.ok());
    checkUnreachableError(got.error(), "never-shown-secret");
    REQUIRE_FALSE(keychain->remove(testProfile("nobus"), SecretKind::SignKey).ok());

    // Automation still works through the environment.
    SecretResolver resolver(std::move(keychain));
    ScopedEnv sign("PICKUPDESK_SIGN_KEY", "env-sign");
    CHECK(*resolver.resolve("any", SecretKind::SignKey) == "env-sign");
    CHECK(*resolver.resolve("any", SecretKind::PushVerifyKey) == "env-sign");
    auto app = resolver.resolve("any", SecretKind::AppSecret);
    REQUIRE_FALSE(app.ok());
    CHECK(app.error().code == ErrorCode::Secret);
    CHECK(contains(app.error().message, "PICKUPDESK_APP_SECRET"));
    CHECK_FALSE(contains(app.error().message, "env-sign"));
}

TEST_CASE("keychain: store, read back, overwrite and remove in the system keychain") {
    auto keychain = makeSystemKeychain();
    if (!keychainReachable(*keychain)) return;
    const std::string profile = testProfile("a");
    const std::string chinese = "密钥-ключ-🔑-secret";

    REQUIRE(keychain->set(profile, SecretKind::AppSecret, "first-value").ok());
    CHECK(getOrFail(*keychain, profile, SecretKind::AppSecret) == "first-value");
    CHECK_FALSE(getOrFail(*keychain, profile, SecretKind::SignKey));

    REQUIRE(keychain->set(profile, SecretKind::AppSecret, "second-value").ok());
    CHECK(getOrFail(*keychain, profile, SecretKind::AppSecret) == "second-value");

    REQUIRE(keychain->set(profile, SecretKind::SignKey, chinese).ok());
    CHECK(getOrFail(*keychain, profile, SecretKind::SignKey) == chinese);

    // A fresh store object reads what another one wrote: the data lives in the keyring.
    auto again = makeSystemKeychain();
    CHECK(getOrFail(*again, profile, SecretKind::SignKey) == chinese);

    REQUIRE(keychain->remove(profile, SecretKind::AppSecret).ok());
    CHECK_FALSE(getOrFail(*keychain, profile, SecretKind::AppSecret));
    CHECK(getOrFail(*keychain, profile, SecretKind::SignKey) == chinese);
    REQUIRE(keychain->remove(profile, SecretKind::SignKey).ok());
    CHECK_FALSE(getOrFail(*keychain, profile, SecretKind::SignKey));
    CHECK(keychain->remove(profile, SecretKind::SignKey).ok());  // already gone
}

TEST_CASE("keychain: two profiles are kept apart") {
    auto keychain = makeSystemKeychain();
    if (!keychainReachable(*keychain)) return;
    const std::string first = testProfile("first");
    const std::string second = testProfile("second");

    REQUIRE(keychain->set(first, SecretKind::AppSecret, "first-secret").ok());
    REQUIRE(keychain->set(second, SecretKind::AppSecret, "second-secret").ok());
    CHECK(getOrFail(*keychain, first, SecretKind::AppSecret) == "first-secret");
    CHECK(getOrFail(*keychain, second, SecretKind::AppSecret) == "second-secret");

    REQUIRE(keychain->remove(first, SecretKind::AppSecret).ok());
    CHECK_FALSE(getOrFail(*keychain, first, SecretKind::AppSecret));
    CHECK(getOrFail(*keychain, second, SecretKind::AppSecret) == "second-secret");
    REQUIRE(keychain->remove(second, SecretKind::AppSecret).ok());
    CHECK_FALSE(getOrFail(*keychain, second, SecretKind::AppSecret));
}

TEST_CASE("keychain: the resolver reads the system keychain behind the environment") {
    CleanSecretEnv clean;
    SecretResolver resolver(makeSystemKeychain());
    if (!keychainReachable(resolver.keychain())) return;
    const std::string profile = testProfile("resolver");

    REQUIRE(resolver.keychain().set(profile, SecretKind::SignKey, "kc-sign").ok());
    CHECK(*resolver.resolve(profile, SecretKind::SignKey) == "kc-sign");
    CHECK(*resolver.resolve(profile, SecretKind::PushVerifyKey) == "kc-sign");
    {
        ScopedEnv env("PICKUPDESK_SIGN_KEY", "env-sign");
        CHECK(*resolver.resolve(profile, SecretKind::SignKey) == "env-sign");
    }
    REQUIRE(resolver.keychain().remove(profile, SecretKind::SignKey).ok());
    CHECK_FALSE(resolver.resolve(profile, SecretKind::SignKey).ok());
}
