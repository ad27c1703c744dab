// pickupdesk: the desktop app (GLFW + OpenGL 3 + Dear ImGui) over core. See docs/DESKTOP.md.
#include "app/desktop/main_window.hpp"
#include "app/desktop/options.hpp"

#include <cstdio>

int main(int argc, char** argv) {
    app::desktop::Options options;
    std::string error;
    bool help = false;
    if (!app::desktop::parseOptions(argc, argv, options, error, help)) {
        std::fprintf(stderr, "pickupdesk: %s\n%s", error.c_str(), app::desktop::usageText());
        return 2;
    }
    if (help) {
        std::fputs(app::desktop::usageText(), stdout);
        return 0;
    }
    return app::desktop::runMainWindow(options);
}
