#include "app/desktop/secret_fallback.hpp"

namespace app::desktop {

using core::secrets::SecretKind;

FallbackSecretStore::FallbackSecretStore(std::unique_ptr<core::secrets::SecretStore> keychain)
    : m_keychain(std::move(keychain)), m_memory(core::secrets::makeMemorySecretStore()) {
    if (!m_keychain) {
        m_memoryOnly = true;
        m_reason = "keychain disabled";
    }
}

core::Status FallbackSecretStore::set(const std::string& profile, SecretKind kind, const std::string& value) {
    if (!m_memoryOnly) {
        auto stored = m_keychain->set(profile, kind, value);
        if (stored) return stored;
        m_memoryOnly = true;
        m_reason = stored.error().message;  // keychain messages never contain the secret
    }
    return m_memory->set(profile, kind, value);
}

core::Result<std::optional<std::string>> FallbackSecretStore::get(const std::string& profile, SecretKind kind) {
    auto inMemory = m_memory->get(profile, kind);
    if (inMemory && inMemory->has_value()) return inMemory;
    if (m_memoryOnly || !m_keychain) return std::optional<std::string>();
    return m_keychain->get(profile, kind);
}

core::Status FallbackSecretStore::remove(const std::string& profile, SecretKind kind) {
    (void)m_memory->remove(profile, kind);
    if (m_memoryOnly || !m_keychain) return {};
    return m_keychain->remove(profile, kind);
}

std::string FallbackSecretStore::backendName() const {
    return m_memoryOnly ? "memory" : (m_keychain ? m_keychain->backendName() : "memory");
}

}  // namespace app::desktop
