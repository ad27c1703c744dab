// File > Back up database / Restore database: core/store/backup.hpp on the app's workers.
#include "app/desktop/backend.hpp"
#include "app/desktop/backend_env.hpp"

#include "core/store/backup.hpp"

namespace app::desktop {

void Backend::backupDatabase(const std::string& destPath) {
    m_export.post([this, destPath] {
        auto info = core::store::backupDatabase(m_config.dbPath, destPath);
        DatabaseBackedUp done;
        if (info) {
            done.info = std::move(*info);
        } else {
            done.error = info.error();
        }
        m_events->post(std::move(done));
    });
}

void Backend::restoreDatabase(const std::string& sourcePath) {
    m_service.post([this, sourcePath] {
        DatabaseRestored done;
        if (m_config.instanceLock == nullptr) {
            done.error = core::makeError(core::ErrorCode::InvalidInput,
                                         "This window does not hold the database; close Pickup Desk and use "
                                         "`pickupctl restore FILE`.");
            m_events->post(std::move(done));
            return;
        }
        ServiceEnv& env = service();
        core::Result<core::store::RestoreOutcome> restored =
            env.store ? core::store::restoreIntoOpenStore(*env.store, *m_config.instanceLock, sourcePath)
                      // The writer connection never opened (a damaged file): replace the file itself;
                      // other connections of this window may still see the old one, hence the restart.
                      : core::store::restoreDatabase(*m_config.instanceLock, sourcePath);
        if (restored) {
            done.outcome = std::move(*restored);
            done.restartNeeded = !env.store;
            // The restored file may hold another active profile: rebuild the client on next use.
            env.codes.reset();
            env.api.reset();
            env.profile.reset();
        } else {
            done.error = restored.error();
        }
        m_events->post(std::move(done));
    });
}

}  // namespace app::desktop
