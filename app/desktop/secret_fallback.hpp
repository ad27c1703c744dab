#pragma once
// The OS keychain, or process memory when the keychain cannot be reached (no Secret Service,
// headless session). Memory-held secrets die with the process: the UI says so.
#include "core/secrets/secret_store.hpp"

#include <atomic>
#include <memory>
#include <string>

namespace app::desktop {

class FallbackSecretStore final : public core::secrets::SecretStore {
public:
    // `keychain` may be null: memory only from the start (tests, --no-keychain).
    explicit FallbackSecretStore(std::unique_ptr<core::secrets::SecretStore> keychain);

    core::Status set(const std::string& profile, core::secrets::SecretKind kind, const std::string& value) override;
    core::Result<std::optional<std::string>> get(const std::string& profile, core::secrets::SecretKind kind) override;
    core::Status remove(const std::string& profile, core::secrets::SecretKind kind) override;
    std::string backendName() const override;

    bool inMemoryOnly() const { return m_memoryOnly.load(); }
    const std::string& reason() const { return m_reason; }  // why the keychain was not used

private:
    std::unique_ptr<core::secrets::SecretStore> m_keychain;
    std::unique_ptr<core::secrets::SecretStore> m_memory;
    std::atomic<bool> m_memoryOnly{false};
    std::string m_reason;
};

}  // namespace app::desktop
