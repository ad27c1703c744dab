#pragma once
// What a pickupctl command needs: the store, secrets, the current profile and an API client.
#include "app/cli/commands.hpp"

#include "core/api/open_api_client.hpp"
#include "core/config/instance_lock.hpp"
#include "core/secrets/secret_store.hpp"
#include "core/services/code_service.hpp"
#include "core/services/profile_service.hpp"
#include "core/store/store.hpp"

#include <memory>

namespace cli {

// Commands that write take the database's instance lock (one writer per database: the app, `watch`,
// another pickupctl), and check the file's integrity at open. Readers (list, show, export, backup)
// take no lock: SQLite's WAL lets them read while a writer runs. Export counts as a reader: its
// only write is the append-only export audit row, one short transaction SQLite serializes. A reader
// that would create or upgrade the file (an older schema) takes the lock for that command too.
enum class Access { Read, Write };

// The database file: --db, else PICKUPDESK_DB, else the user data directory.
std::string databasePath(const GlobalOptions& options);

class Context {
public:
    static core::Result<std::unique_ptr<Context>> open(const GlobalOptions& options, Access access = Access::Read);

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
    std::unique_ptr<core::config::InstanceLock> m_lock;  // declared first: released after the store closes
    std::unique_ptr<core::store::Store> m_store;
    std::unique_ptr<core::secrets::SecretResolver> m_secrets;
    std::unique_ptr<core::services::ProfileService> m_profiles;
    core::Profile m_profile;
    std::unique_ptr<core::api::OpenApiClient> m_api;
    std::unique_ptr<core::services::CodeService> m_codes;
};

}  // namespace cli
