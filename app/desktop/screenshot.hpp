#pragma once
#include <string>

namespace app::desktop {
// Saves the current framebuffer (width x height) as PNG. False when the file cannot be written.
bool saveScreenshot(const std::string& path, int width, int height);
}
