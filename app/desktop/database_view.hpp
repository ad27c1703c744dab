#pragma once
// File > Back up database… / Restore database…: one small modal each, over AppModel (the work
// runs on the backend's workers; the UI thread never waits).
#include "app/desktop/app_model.hpp"

#include <string>

namespace app::desktop {

class DatabaseView {
public:
    explicit DatabaseView(AppModel& model) : m_model(model) {}
    void draw();
    void openBackup();   // suggests <data dir>/backups/pickupdesk-<time>.db
    void openRestore();  // suggests the newest backup, if any

private:
    enum class Mode { None, Backup, Restore };
    void drawBackup();
    void drawRestore();
    AppModel& m_model;
    Mode m_mode = Mode::None;
    bool m_open = false;
    bool m_started = false;  // the job of this dialog was sent
    char m_path[1024] = {};
};

}  // namespace app::desktop
