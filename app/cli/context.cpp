#include "app/cli/context.hpp"

#include "app/cli/exit_codes.hpp"
#include "core/config/paths.hpp"

#include <filesystem>

namespace cli {

std::string databasePath(const GlobalOptions& options) {
    return options.db.empty() ? core::config::defaultDatabasePath() : options.db;
}

core::Result<std::unique_ptr<Context>> Context::open(const GlobalOptions& options, Access access) {
    std::unique_ptr<Context> ctx(new Context());
    ctx->m_options = options;
    const std::string path = databasePath(options);
    const auto parent = std::filesystem::path(path).parent_path().string();
    if (auto ok = core::config::ensurePrivateDir(parent); !ok) return ok.error();
    core::store::StoreOpenOptions storeOptions;
    if (access == Access::Read) {
        // Opening a new or older file writes to it (creation, migration): that needs the writer's lock,
        // so a reader never upgrades a file under a running app or another writer.
        auto version = core::store::Store::fileSchemaVersion(path);
        if (!version) return version.error();
        if (*version < core::store::Store::latestSchemaVersion()) access = Access::Write;
    }
    if (access == Access::Write) {
        auto lock = core::config::InstanceLock::acquire(path, "pickupctl " + options.command);
        if (!lock) return lock.error();
        ctx->m_lock = std::move(*lock);
        storeOptions.quickCheck = true;  // the writer checks; see StoreOpenOptions
    }
    auto store = core::store::Store::open(path, storeOptions);
    if (!store) return store.error();
    ctx->m_store = std::move(*store);
    ctx->m_secrets = std::make_unique<core::secrets::SecretResolver>(core::secrets::makeSystemKeychain());
    ctx->m_profiles = std::make_unique<core::services::ProfileService>(*ctx->m_store, *ctx->m_secrets);
    return ctx;
}

core::Result<core::api::OpenApiClient*> Context::api() {
    if (m_api) return m_api.get();
    auto profile = m_profiles->current(m_options.profile);
    if (!profile) return profile.error();
    m_profile = std::move(*profile);
    auto config = m_profiles->clientConfig(m_profile);
    if (!config) return config.error();
    const auto timeoutMs = static_cast<long>(m_options.timeoutSeconds * 1000);
    config->totalTimeoutMs = timeoutMs;
    config->connectTimeoutMs = std::min(config->connectTimeoutMs, timeoutMs);
    m_api = std::make_unique<core::api::OpenApiClient>(std::move(*config));
    return m_api.get();
}

core::Result<core::services::CodeService*> Context::codes() {
    if (m_codes) return m_codes.get();
    auto client = api();
    if (!client) return client.error();
    m_codes = std::make_unique<core::services::CodeService>(*m_store, **client, m_profile);
    return m_codes.get();
}

}  // namespace cli

namespace cli {

int fail(const core::Error& error, const GlobalOptions& g) {
    printError(error, g.json);
    return exitCodeFor(error);
}

}  // namespace cli
