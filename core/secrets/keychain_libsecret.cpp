// Linux keychain: the freedesktop Secret Service (GNOME Keyring, KWallet) through libsecret.
#include "core/secrets/secret_store.hpp"

#include <libsecret/secret.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

namespace core::secrets {
namespace {

constexpr const char* kBackend = "Secret Service";

struct GErrorFree {
    void operator()(GError* error) const { g_error_free(error); }
};
using ErrorPtr = std::unique_ptr<GError, GErrorFree>;

struct PasswordFree {
    void operator()(gchar* password) const { secret_password_free(password); }  // wipes, then frees
};
using PasswordPtr = std::unique_ptr<gchar, PasswordFree>;

SecretSchema makeSchema() {
    SecretSchema schema{};
    schema.name = "org.pickupdesk.Secret";
    schema.flags = SECRET_SCHEMA_NONE;
    schema.attributes[0] = {"profile", SECRET_SCHEMA_ATTRIBUTE_STRING};
    schema.attributes[1] = {"kind", SECRET_SCHEMA_ATTRIBUTE_STRING};
    return schema;  // the zeroed attributes[2] ends the list
}

const SecretSchema* schema() {
    static const SecretSchema kSchema = makeSchema();
    return &kSchema;
}

// Without a session bus GLib would try to autolaunch one through X11, which can hang or fail
// slowly; the systemd user bus at $XDG_RUNTIME_DIR/bus counts as a session bus too.
bool hasSessionBus() {
    const char* address = std::getenv("DBUS_SESSION_BUS_ADDRESS");
    if (address != nullptr && *address != '\0') return true;
    const char* runtimeDir = std::getenv("XDG_RUNTIME_DIR");
    if (runtimeDir == nullptr || *runtimeDir == '\0') return false;
    std::error_code ec;
    return std::filesystem::is_socket(std::filesystem::path(runtimeDir) / "bus", ec);
}

Error noSessionBus() {
    return detail::keychainUnreachable(kBackend, "there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)");
}

// SECRET_ERROR means the service answered but refused (locked, dismissed prompt); other errors
// (no bus, no service, D-Bus failure) mean no keychain is reachable.
Error failure(const char* action, const std::string& profile, SecretKind kind, const GError* error) {
    if (error == nullptr) {
        return makeError(ErrorCode::Secret, std::string("The keychain (Secret Service) did not ") + action + " the " +
                                                secretKindName(kind) + " of profile \"" + profile +
                                                "\". Unlock your keyring and try again.");
    }
    // The service runs but has no default keyring (a fresh session that never unlocked one);
    // gnome-keyring reports that as UnknownMethod "Object does not exist at path ...".
    if (g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
        g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD)) {
        return makeError(ErrorCode::Secret, std::string("The keychain (Secret Service) has no default keyring: ") +
                                                error->message +
                                                ". Create or unlock a login keyring (e.g. with Seahorse), or set "
                                                "PICKUPDESK_APP_SECRET / PICKUPDESK_SIGN_KEY for automation.");
    }
    if (error->domain != SECRET_ERROR) return detail::keychainUnreachable(kBackend, error->message);
    return makeError(ErrorCode::Secret, std::string("The keychain (Secret Service) could not ") + action + " the " +
                                            secretKindName(kind) + " of profile \"" + profile + "\": " +
                                            error->message +
                                            ". Unlock your keyring and try again, or set PICKUPDESK_APP_SECRET / "
                                            "PICKUPDESK_SIGN_KEY for automation.");
}

class LibsecretKeychain final : public SecretStore {
public:
    Status set(const std::string& profile, SecretKind kind, const std::string& value) override {
        if (!hasSessionBus()) return noSessionBus();
        const std::string label = "Pickup Desk: " + profile + " " + secretKindName(kind);
        GError* raw = nullptr;
        const gboolean stored =
            secret_password_store_sync(schema(), SECRET_COLLECTION_DEFAULT, label.c_str(), value.c_str(), nullptr,
                                       &raw, "profile", profile.c_str(), "kind", secretKindName(kind), nullptr);
        const ErrorPtr error(raw);
        if (!stored) return failure("store", profile, kind, error.get());
        return {};
    }

    Result<std::optional<std::string>> get(const std::string& profile, SecretKind kind) override {
        if (!hasSessionBus()) return noSessionBus();
        GError* raw = nullptr;
        const PasswordPtr password(secret_password_lookup_sync(schema(), nullptr, &raw, "profile", profile.c_str(),
                                                               "kind", secretKindName(kind), nullptr));
        const ErrorPtr error(raw);
        if (error) return failure("read", profile, kind, error.get());
        if (!password) return std::optional<std::string>();
        return std::optional<std::string>(password.get());
    }

    Status remove(const std::string& profile, SecretKind kind) override {
        if (!hasSessionBus()) return noSessionBus();
        GError* raw = nullptr;
        // FALSE without an error only means nothing was stored: removing is then already done.
        secret_password_clear_sync(schema(), nullptr, &raw, "profile", profile.c_str(), "kind",
                                   secretKindName(kind), nullptr);
        const ErrorPtr error(raw);
        if (error) return failure("remove", profile, kind, error.get());
        return {};
    }

    std::string backendName() const override { return "Secret Service (libsecret)"; }
};

}  // namespace

std::unique_ptr<SecretStore> detail::makePlatformKeychain() { return std::make_unique<LibsecretKeychain>(); }

}  // namespace core::secrets
