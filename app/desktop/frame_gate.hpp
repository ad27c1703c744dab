#pragma once
// Under a software renderer (llvmpipe) a frame is rasterised on the CPU: by one thread per core
// inside SwapBuffers, or on 2 cores by the UI thread itself (software_raster.hpp), so any other busy
// thread of ours stretches the frame. The query worker's reads
// (a page, a sort of 1,000,000 ids) can wait a few milliseconds instead: the UI thread closes the
// gate around the swap, and the worker's SQLite connection calls wait() between VM steps
// (Store::setYieldHook). With a GPU the swap mostly waits for the display, so the gate stays unused.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace app::desktop {

class FrameGate {
public:
    // At most this long per wait(): a stuck or very slow frame never stops the worker.
    static constexpr std::chrono::milliseconds kMaxWait{20};

    void close();  // UI thread: a frame is being rasterised
    void open();   // UI thread: the frame is done
    // Worker: returns at once while open; otherwise when the frame is done (or after kMaxWait).
    // True when it waited.
    bool wait();

private:
    std::atomic<bool> m_closed{false};
    std::mutex m_mutex;
    std::condition_variable m_opened;
};

// True for renderers that draw on the CPU (GL_RENDERER strings of Mesa llvmpipe/softpipe, SwiftShader,
// Windows' GDI Generic, Apple's software renderer).
bool isSoftwareRenderer(const char* glRenderer);

}  // namespace app::desktop
