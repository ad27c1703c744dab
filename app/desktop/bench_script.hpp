#pragma once
// pickupdesk --bench-script NAME --bench-out FILE.json: a scripted, timed session for
// bench/app_bench.sh (docs/BENCHMARKS.md, "Desktop app"). Off unless the flag is given; the app
// is otherwise unchanged. The script waits until the window shows its data in full (the first full
// frame: machines, products, the codes table's count and every visible row). Scroll and filter then
// warm up: they wait (at most 30 s) until the start-up work (sync, counts) is done, then run their input
// --bench-warmup frames (120) unmeasured, so the measured frames are the steady state; the warm-up's
// frames are recorded apart. Then:
//   scroll  N frames of mouse-wheel scrolling over the codes table, with a click on the table's
//           scrollbar track every 50 frames (a jump to a random place in the 1,000,000 rows)
//   filter  N frames; every 20 frames the next filter (typed code prefix, status, product, sort)
//           through the codes view model's setters, as the toolbar widgets call them, while the
//           wheel scrolls
//   pushes  S seconds on the Pushes tab while an external publisher sends (no input)
//   idle    S seconds with no input (CPU time of the whole process over that time)
//   soak    S seconds on the Pushes tab while an external publisher sends, generating and exporting
//           every few minutes, sampling memory, open files, threads and frame time each minute
//           (bench_soak.hpp, bench/app_bench.sh)
// Input goes in through ImGuiIO between the platform backend's NewFrame and ImGui::NewFrame, as
// the GLFW backend feeds it. Frame time = from the loop's wake-up to the end of SwapBuffers.
#include "app/desktop/bench_soak.hpp"
#include "app/desktop/options.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace app::desktop {

class AppModel;

class BenchScript {
public:
    explicit BenchScript(const Options& options);

    // Scroll and filter drive input every frame: the main loop polls instead of waiting.
    // (Not while waiting for the start-up work: the app then draws when results come, as without input.)
    bool continuous() const { return drivesInput() && inputScript(); }
    // --bench-fps: waits for the next frame's start (a display's refresh); at once when unpaced.
    void pace();
    // Synthetic input for this frame (call after the platform backend's NewFrame).
    void injectInput(AppModel& model);
    // After SwapBuffers: the frame's duration, and the part before the GL draw (pump, ImGui
    // NewFrame .. Render, i.e. the app's own CPU work); advances the script. textComplete: the
    // frame had every glyph it drew (no font rebuild is pending), so it counts as a full frame.
    void frameDone(AppModel& model, double frameMs, double buildMs, bool textComplete);
    bool finished() const { return m_finished; }
    void setRenderer(std::string renderer) { m_renderer = std::move(renderer); }  // GL_RENDERER, for the record
    void setDatabase(const std::string& dbPath);  // the soak samples the store's size
    void noteStage(const std::string& stage);     // a start-up milestone reached now (window, fonts...)
    void setPartialRedraw(bool partial) { m_partialRedraw = partial; }  // frame_renderer.hpp, for the record
    void setFramebufferBuffers(bool depth, bool stencil) {  // the window's depth and stencil buffers, for the record
        m_framebufferKnown = true;
        m_depthBuffer = depth;
        m_stencilBuffer = stencil;
    }
    // This frame's damage, the pixels a scroll copy moved, whether it moves them in the window too,
    // and how long the renderer's GL calls took (with llvmpipe on the UI thread: the rasterising).
    // Before frameDone.
    void noteRedrawn(double pixels, double copied, bool inWindow, double drawMs) {
        m_lastDrawMs = drawMs;
        m_lastRedrawn = pixels;
        m_lastCopied = copied;
        m_lastCopiedInWindow = inWindow;
    }
    // Writes --bench-out; false (with a message on stderr) when it cannot.
    bool writeResult() const;

private:
    enum class Phase {
        Settling,         // until the first full frame
        AwaitingStartup,  // scroll, filter: no input until the start-up work is done (at most 30 s)
        WarmingUp,        // then their input for --bench-warmup frames, not measured
        Measuring,
    };
    bool drivesInput() const { return m_phase == Phase::WarmingUp || m_phase == Phase::Measuring; }
    // Scroll and filter: input every frame, a run of --bench-frames frames, a warm-up first.
    bool inputScript() const { return m_script == "scroll" || m_script == "filter"; }
    bool settled(AppModel& model) const;         // the first full frame: codes table and products
    bool codesTableShown(AppModel& model) const;  // the codes table counted, every visible row drawn
    void startMeasuring(AppModel& model);
    void settle(AppModel& model);                   // a frame before the first full frame
    void awaitStartupDone();                        // a frame before the warm-up (no input)
    void warmUp(AppModel& model, double frameMs);  // a warm-up frame; starts measuring when warm
    void noteStages(AppModel& model, bool textComplete);  // the start-up timeline: when each milestone first held
    void scrollInput();
    void filterStep(AppModel& model);
    double msSinceLaunch() const;

    std::string m_script;
    std::string m_out;
    std::string m_renderer;
    int m_frames = 1000;
    int m_seconds = 0;
    std::int64_t m_launchNs = 0;  // PICKUPDESK_BENCH_T0_NS (the driver's clock at exec), else the process start
    std::chrono::steady_clock::time_point m_started;
    std::chrono::steady_clock::time_point m_measureStart;
    std::mt19937 m_random{12345};

    double m_firstFrameMs = -1;      // any frame presented
    double m_codesTableMs = -1;      // the codes table shown in full (product names may still be ids)
    double m_fullFrameMs = -1;       // the first full frame (and the products with their code counts)
    double m_quietMs = -1;           // start-up work done (no pending jobs)
    std::map<std::string, double> m_stagesMs;  // milestone -> ms from exec to the frame that first showed it
    std::chrono::steady_clock::time_point m_quietAt;
    int m_warmupFrames = 120;        // --bench-warmup (scroll, filter)
    Phase m_phase = Phase::Settling;
    bool m_startupDone = false;      // the start-up work was done within the wait
    std::vector<double> m_warmupMs;  // the warm-up's frame times
    std::chrono::steady_clock::time_point m_warmupStart;
    double m_measureStartMs = -1;    // when measuring began, ms from exec
    bool m_finished = false;
    bool m_timedOut = false;
    int m_frame = 0;                 // measured (or warm-up) frames so far: the script's position
    std::vector<double> m_frameMs;
    std::vector<double> m_buildMs;
    // CPU time between consecutive frame ends: the whole process (llvmpipe's raster threads and the
    // workers too) and the UI thread alone. Independent of how busy the rest of the machine is.
    std::vector<double> m_processCpuMs;
    std::chrono::nanoseconds m_period{0};  // --bench-fps
    std::chrono::steady_clock::time_point m_nextFrame;
    bool m_partialRedraw = false;
    bool m_framebufferKnown = false;
    bool m_depthBuffer = false;
    bool m_stencilBuffer = false;
    double m_lastRedrawn = 0;
    double m_lastDrawMs = 0;
    std::vector<double> m_drawMs;  // per measured frame
    double m_lastCopied = 0;
    bool m_lastCopiedInWindow = false;
    int m_copiedFrames = 0;            // frames that moved pixels with a scroll copy
    int m_copiedInWindowFrames = 0;    // of those, frames that moved the window's pixels on the X server
    std::vector<double> m_copiedMpx;   // per such frame, in millions
    std::vector<double> m_redrawnMpx;  // framebuffer pixels cleared and redrawn per frame, in millions
    std::vector<double> m_drawnMpx;  // triangle area per frame, in millions of pixels
    int m_waitingFrames = 0;         // measured frames with code rows still loading
    std::vector<double> m_mainCpuMs;
    double m_lastProcessCpu = -1;
    double m_lastMainCpu = -1;
    double m_cpuStart = 0;
    double m_cpuSeconds = 0;
    double m_wallSeconds = 0;
    std::int64_t m_codesTotal = 0;
    std::int64_t m_pushRowsStart = 0;
    std::int64_t m_pushRowsEnd = 0;
    double m_pushRate = 0;
    int m_pendingJumpRelease = 0;    // frames until the scrollbar click is released
    int m_lastJumpFrame = -1;        // scroll: the measured frame that clicked the scrollbar track
    std::vector<int> m_sinceJump;    // per measured frame: frames since that click (-1: none yet)
    std::unique_ptr<SoakDriver> m_soak;  // the soak script only
};

}  // namespace app::desktop
