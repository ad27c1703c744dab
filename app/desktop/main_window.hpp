#pragma once
// GLFW + OpenGL 3 + ImGui: the window, HiDPI fonts, the idle-aware main loop, screenshots.
#include "app/desktop/options.hpp"

namespace app::desktop {
// Runs the app until the window closes (or the screenshot is written). Returns the exit code.
int runMainWindow(const Options& options);
}
