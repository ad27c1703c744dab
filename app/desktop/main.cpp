// pickupdesk: the desktop app (GLFW + OpenGL 3 + Dear ImGui) over core. See docs/DESKTOP.md.
#include "app/desktop/main_window.hpp"
#include "app/desktop/options.hpp"

#include <cstdio>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

// glibc returns the top of the heap to the system once more than M_TRIM_THRESHOLD of it is free;
// the threshold follows the largest freed mmap'ed block. The GL driver re-creates each vertex buffer
// every frame (ImGui streams them), so the heap's top grew and shrank every frame: 2-3 ms of page
// faults per frame on the UI thread under llvmpipe (docs/BENCHMARKS.md). A fixed 64 MiB threshold
// keeps that memory; blocks over 128 KiB still come from mmap and go back when freed.
void keepHeapTop() {
#if defined(__GLIBC__)
    (void)mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
    keepHeapTop();
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
