#pragma once
// Helpers for the desktop view-model tests: a backend in a temp dir, and pumping the AppModel's
// event queue until a condition holds.
#include "app/desktop/app_model.hpp"
#include "tests/support/temp_dir.hpp"

#include <chrono>
#include <thread>

namespace apptest {

// A store, work dir and calibration file inside `dir`; tests never touch the user's keychain.
inline app::desktop::BackendConfig configIn(const testsupport::TempDir& dir) {
    app::desktop::BackendConfig c;
    c.dbPath = dir.file("pickupdesk.db");
    c.workDir = dir.path();
    c.useKeychain = false;
    c.calibrationFile = dir.file("calibration.json");  // never the user's config directory
    return c;
}

template <typename Pred>
bool pumpUntil(app::desktop::AppModel& model, Pred done, int timeoutMs = 15000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        model.pump();
        model.codes().requestMissing();
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    model.pump();
    return done();
}

}  // namespace apptest
