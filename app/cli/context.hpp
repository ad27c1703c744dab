#pragma once
// What a pickupctl command needs: the store, secrets, the current profile and an API client.
#include "app/cli/commands.hpp"

#include "core/api/open_api_client.hpp"
#include "core/secrets/secret_store.hpp"
#include "core/services/code_service.hpp"
#include "core/services/profile_service.hpp"
#include "core/store/store.hpp"

#include <memory>

namespace cli {

class Context {
public:
    static core::Result<std::unique_ptr<Context>> open(const GlobalOptions& options);

    core::store::Store& store() { return *m_store; }
    core::services::ProfileService& profiles() { return *m_profiles; }
    // Resolves the profile and its secrets and builds the API client (on first use).
    core::Result<core::services::CodeService*> codes();
    core::Result<core::api::OpenApiClient*> api();
    const core::Profile& profile() const { return m_profile; }
    core::secrets::SecretResolver& secrets() { return *m_secrets; }

private:
    Context() = default;
    GlobalOptions m_options;
    std::unique_ptr<core::store::Store> m_store;
    std::unique_ptr<core::secrets::SecretResolver> m_secrets;
    std::unique_ptr<core::services::ProfileService> m_profiles;
    core::Profile m_profile;
    std::unique_ptr<core::api::OpenApiClient> m_api;
    std::unique_ptr<core::services::CodeService> m_codes;
};

}  // namespace cli
