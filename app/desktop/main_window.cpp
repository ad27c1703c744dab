#include "app/desktop/main_window.hpp"

#include "app/desktop/app_model.hpp"
#include "app/desktop/bench_script.hpp"
#include "app/desktop/cached_text.hpp"
#include "app/desktop/fonts.hpp"
#include "app/desktop/frame_renderer.hpp"
#include "app/desktop/i18n.hpp"
#include "app/desktop/in_use_notice.hpp"
#include "app/desktop/screenshot.hpp"
#include "app/desktop/settings.hpp"
#include "app/desktop/shell_view.hpp"
#include "app/desktop/software_raster.hpp"
#include "app/desktop/text_cache_texture.hpp"
#include "app/desktop/window_input.hpp"
#include "app/desktop/window_setup.hpp"
#include "core/config/instance_lock.hpp"
#include "core/config/paths.hpp"

#define GLFW_INCLUDE_NONE

#include <GLFW/glfw3.h>
#include <GL/gl.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#ifndef PD_DESKTOP_ASSETS_DIR
#define PD_DESKTOP_ASSETS_DIR "assets"
#endif

namespace app::desktop {
namespace {

// Frames that only show worker results (pushes arriving, pages loading) come at most 10 a second
// while the user is not interacting (input redraws at once): under a software renderer a frame of
// the push console costs 15-30 ms of CPU, and at 30 a second they took most of a core from the push
// ingest, which then fell behind 1,000 pushes/s (docs/BENCHMARKS.md "Soak").
constexpr auto kDataFrameInterval = std::chrono::milliseconds(100);
constexpr auto kInteracting = std::chrono::milliseconds(250);  // since the last input
// Start-up results (the stored view, counts, the first page, product counts) are drawn as they
// arrive: pacing them at 10 a second put up to 100 ms between each and the screen that shows them.
constexpr auto kStartUp = std::chrono::seconds(2);

std::string assetsDir() {
    if (const char* env = std::getenv("PICKUPDESK_ASSETS"); env != nullptr && *env != '\0') return env;
    return PD_DESKTOP_ASSETS_DIR;
}

struct Paths {
    std::string configDir;
    std::string dataDir;
    std::string dbPath;
};

Paths resolvePaths(const Options& o) {
    Paths p;
    if (!o.dataDir.empty()) {
        p.configDir = p.dataDir = o.dataDir;
        p.dbPath = (std::filesystem::path(o.dataDir) / "pickupdesk.db").string();
    } else {
        p.configDir = core::config::configDir();
        p.dataDir = core::config::dataDir();
        p.dbPath = core::config::defaultDatabasePath();
    }
    return p;
}

void applyLanguage(I18n& i18n, const std::string& lang) {
    std::string error;
    if (!i18n.load((std::filesystem::path(assetsDir()) / "i18n").string(), lang, error)) {
        std::fprintf(stderr, "pickupdesk: %s\n", error.c_str());
    }
    setActiveCatalog(&i18n);
}

// Input in this frame. Not mere hovering: with the pointer resting over the window the app must
// still go idle (it drew continuously before, at 10-60 % of a core).
bool hadInput(const ImGuiIO& io) {
    if (io.MouseDelta.x != 0.f || io.MouseDelta.y != 0.f || io.MouseWheel != 0.f || io.MouseWheelH != 0.f) return true;
    for (int b = 0; b < IM_ARRAYSIZE(io.MouseDown); ++b) {
        if (io.MouseDown[b] || io.MouseReleased[b]) return true;
    }
    for (const bool down : io.KeysDown) {
        if (down) return true;
    }
    return io.WantTextInput;  // the text cursor blinks
}

bool makeDataDirs(const Paths& paths) {
    for (const auto& dir : {paths.configDir, paths.dataDir}) {
        if (auto ok = core::config::ensurePrivateDir(dir); !ok) {
            std::fprintf(stderr, "pickupdesk: %s\n", ok.error().message.c_str());
            return false;
        }
    }
    return true;
}

// What --view asks to show once its data is there: a dialog or a push's details, for screenshots.
class StartupView {
public:
    StartupView(const Options& options, Settings& settings)
        : m_openGenerate(options.view == "generate"),
          m_openExport(options.view == "export"),
          m_selectPush(options.view == "pushes" && !options.screenshot.empty()) {
        if (options.view.empty()) return;
        settings.lastTab = m_openGenerate ? std::string("products")
                           : m_openExport ? std::string("codes")
                                          : options.view;
    }

    // Each is done once, in the first frame its data is there.
    void apply(AppModel& model) {
        if (m_openGenerate && !model.generate().isOpen() && model.products().loaded() &&
            !model.products().rows().empty()) {
            model.openGenerate(model.products().rows().front().product.id);
            m_openGenerate = false;
        }
        if (m_selectPush && !model.pushes().visible().empty()) {
            model.pushes().select(model.pushes().visibleRow(0).id);
            m_selectPush = false;
        }
        if (m_openExport && model.codes().counted() && model.codes().total() > 0) {
            model.openExport();
            m_openExport = false;
        }
    }

    bool waiting() const { return m_openExport || m_selectPush; }  // a screenshot waits for these

private:
    bool m_openGenerate;
    bool m_openExport;
    bool m_selectPush;
};

// The workers open the store, load the profile and sync while the window and its GL context are
// created (a software GL takes 0.5-1 s for that): the first full frame comes sooner. They wake the UI
// only once GLFW is up; whatever they post before is drained by the first frame.
std::unique_ptr<AppModel> startModel(const Options& options, const Settings& settings, const Paths& paths,
                                     core::config::InstanceLock* lock, std::shared_ptr<FrameGate> frameGate,
                                     std::atomic<bool>& glfwReady) {
    BackendConfig config;
    config.frameGate = std::move(frameGate);
    config.instanceLock = lock;
    config.dbPath = paths.dbPath;
    config.workDir = paths.dataDir;
    config.useKeychain = !options.noKeychain;
    config.sandboxMqttUrl = options.mqttUrl;
    auto model = std::make_unique<AppModel>(config, [&glfwReady] {
        if (glfwReady) glfwPostEmptyEvent();
    });
    model->setPreferredMachine(settings.lastMachine);
    // The codes table as it was left (the table's own sort, in imgui.ini, agrees): its first count is
    // then the one shown, not one the first frame's sort replaces.
    model->codes().setTimeMode(parseTimeMode(settings.codesTimeMode));
    if (const auto sort = parseCodeSort(settings.codesSort)) model->codes().setSort(*sort, settings.codesDescending);
    MqttSettings mqtt;
    mqtt.url = options.mqttUrl;
    model->setMqttSettings(mqtt);
    model->start(options.sandbox, options.simUrl);
    return model;
}

// What the next session starts from.
void saveSettings(Settings& settings, const std::string& path, GLFWwindow* window, bool shooting, AppModel& model,
                  const FontManager& fonts) {
    if (!shooting) glfwGetWindowSize(window, &settings.windowWidth, &settings.windowHeight);
    settings.lastMachine = model.machines().selectedNo();
    settings.codesTimeMode = timeModeName(model.codes().timeMode());
    settings.codesSort = codeSortName(model.codes().filter().sort);
    settings.codesDescending = model.codes().filter().descending;
    settings.fontGlyphs = fonts.extraGlyphs();
    if (!settings.save(path)) std::fprintf(stderr, "pickupdesk: cannot save %s\n", path.c_str());
}

// The frames, from the first to the window's close. Idle-aware: it waits for input or worker
// results, and paces frames that only show results (kDataFrameInterval).
class MainLoop {
public:
    struct Parts {
        GLFWwindow* window;
        AppModel& model;
        ShellView& shell;
        FontManager& fonts;
        I18n& i18n;
        Settings& settings;
        StartupView& startupView;
        const Options& options;
        BenchScript* bench;
        FrameGate& frameGate;
    };

    explicit MainLoop(Parts parts);
    ~MainLoop();
    MainLoop(const MainLoop&) = delete;
    MainLoop& operator=(const MainLoop&) = delete;
    int run();  // the exit code

private:
    void waitForFrame();
    void prepareFrame();
    void drawFrame(std::chrono::steady_clock::time_point frameStart,
                   std::chrono::steady_clock::time_point frameBuilt);
    void screenshotWhenSettled(int width, int height);
    void reportRedrawCheck();

    Parts m_p;
    const bool m_shooting;
    const bool m_gateFrames;  // with a GPU the swap waits for the display
    FrameRenderer m_renderer;
    TextCache m_textCache{2048, 2048};  // the codes table's strings (text_cache.hpp): ~2,000 of them
    std::optional<TextCacheTexture> m_textTexture;
    std::string m_pendingLang;
    const std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point m_lastFrameStart = m_started;
    std::chrono::steady_clock::time_point m_lastInput = m_started;
    int m_frame = 0;
    int m_activeFrames = 3;  // keep drawing a few frames after any input or result: ImGui settles over frames
    int m_exitCode = 0;
};

const char* glRenderer() { return reinterpret_cast<const char*>(glGetString(GL_RENDERER)); }

MainLoop::MainLoop(Parts parts)
    : m_p(parts),
      m_shooting(!parts.options.screenshot.empty()),
      m_gateFrames(isSoftwareRenderer(glRenderer())),
      m_renderer(parts.window, m_gateFrames) {
    if (!envFlag("PICKUPDESK_NO_TEXT_CACHE")) {  // =1: glyph by glyph, for comparison
        m_textTexture.emplace(m_textCache);
        setTextCache(&m_textCache);
    }
    m_p.shell.onLanguage = [this](const std::string& lang) { m_pendingLang = lang; };
    m_p.shell.onQuit = [this] { glfwSetWindowShouldClose(m_p.window, GLFW_TRUE); };
    if (m_p.bench) {
        if (const char* renderer = glRenderer()) m_p.bench->setRenderer(renderer);
        m_p.bench->setPartialRedraw(m_renderer.partial());
        if (const auto buffers = defaultFramebufferBuffers()) {
            m_p.bench->setFramebufferBuffers(buffers->depth, buffers->stencil);
        }
    }
}

MainLoop::~MainLoop() { setTextCache(nullptr); }

int MainLoop::run() {
    // ImGui's first frame lays out: a tab bar draws no tabs and shows its first tab's contents, not
    // the remembered one. That frame is built but never drawn; the first frame shown is the next.
    // Its text is not shown either, so it asks for no glyphs (a rebuild costs ~0.1 s).
    bool layoutFrame = true;
    setGlyphSink(nullptr);
    while (glfwWindowShouldClose(m_p.window) == GLFW_FALSE) {
        waitForFrame();
        const auto frameStart = std::chrono::steady_clock::now();
        m_lastFrameStart = frameStart;
        prepareFrame();
        ImGui_ImplOpenGL3_NewFrame();
        window_input::newFrame();
        m_textCache.beginFrame();
        if (m_p.bench) m_p.bench->injectInput(m_p.model);
        ImGui::NewFrame();
        m_p.shell.draw();
        ImGui::Render();
        if (std::exchange(layoutFrame, false)) {
            setGlyphSink(&m_p.fonts);
            continue;
        }
        drawFrame(frameStart, std::chrono::steady_clock::now());
    }
    if (m_p.bench && !m_p.bench->writeResult()) m_exitCode = 1;
    reportRedrawCheck();
    return m_exitCode;
}

void MainLoop::waitForFrame() {
    BenchScript* bench = m_p.bench;
    if (m_frame == 0) {
        glfwPollEvents();  // the layout frame and the first shown one: as soon as possible
    } else if (m_shooting) {
        glfwPollEvents();
        std::this_thread::sleep_for(std::chrono::milliseconds(16));  // Xvfb has no vsync
    } else if (bench && bench->continuous()) {
        bench->pace();
        glfwPollEvents();  // the script gives input every frame, as a user scrolling does
    } else if (m_activeFrames > 0 || m_p.model.pending() > 0) {
        glfwWaitEventsTimeout(m_p.model.pending() > 0 ? 0.1 : 0.016);
    } else {
        glfwWaitEventsTimeout(1.0);  // idle: wake on input, a worker result (glfwPostEmptyEvent) or once a second
        m_activeFrames = 1;          // one frame per idle second (status bar rate, ages); input asks for more
    }
    if (m_shooting || (bench && bench->continuous())) return;
    const auto now = std::chrono::steady_clock::now();
    const bool paced = now - m_started > kStartUp && now - m_lastInput > kInteracting;
    if (paced && now - m_lastFrameStart < kDataFrameInterval) {
        std::this_thread::sleep_for(kDataFrameInterval - (now - m_lastFrameStart));
    }
}

// Worker results, the --view startup, a language switch and new glyphs, before ImGui's frame.
void MainLoop::prepareFrame() {
    if (m_p.model.pump() > 0) m_activeFrames = 3;
    m_p.startupView.apply(m_p.model);
    if (!m_pendingLang.empty()) {
        m_p.settings.lang = m_pendingLang;
        applyLanguage(m_p.i18n, m_pendingLang);
        m_pendingLang.clear();
    }
    if (m_p.fonts.needsRebuild()) {
        m_p.fonts.rebuild();
        reuploadFontTexture();
        m_textCache.clear();  // its strings were drawn from the old atlas
        m_renderer.invalidate();
    }
}

void MainLoop::drawFrame(std::chrono::steady_clock::time_point frameStart,
                         std::chrono::steady_clock::time_point frameBuilt) {
    const auto [width, height] = window_input::framebufferSize();
    if (takeFullRedrawRequest()) m_renderer.invalidate();
    const ImVec4 background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];  // the shell window draws none
    const auto drawStart = std::chrono::steady_clock::now();
    if (m_textTexture) m_textTexture->upload();
    const long long redrawn = m_renderer.draw(*ImGui::GetDrawData(), width, height, background);
    if (m_p.bench) {
        const std::chrono::duration<double, std::milli> drawMs = std::chrono::steady_clock::now() - drawStart;
        m_p.bench->noteRedrawn(static_cast<double>(redrawn), static_cast<double>(m_renderer.copiedPixels()),
                               m_renderer.movesWindowPixels(), drawMs.count());
    }
    m_p.model.codes().requestMissing();
    if (hadInput(ImGui::GetIO())) {
        m_activeFrames = 3;
        m_lastInput = std::chrono::steady_clock::now();
    }
    --m_activeFrames;
    ++m_frame;
    if (m_shooting) screenshotWhenSettled(width, height);
    if (m_gateFrames) m_p.frameGate.close();  // the frame is rasterised now: on this thread or llvmpipe's
    m_renderer.present();
    if (m_gateFrames) m_p.frameGate.open();
    if (m_p.bench) {
        using Ms = std::chrono::duration<double, std::milli>;
        const auto now = std::chrono::steady_clock::now();
        m_p.bench->frameDone(m_p.model, Ms(now - frameStart).count(), Ms(frameBuilt - frameStart).count(),
                             !m_p.fonts.needsRebuild());
        if (m_p.bench->finished()) glfwSetWindowShouldClose(m_p.window, GLFW_TRUE);
    }
}

// --screenshot: after --frames frames and the sandbox data (at most 20 s), so the picture shows real content.
void MainLoop::screenshotWhenSettled(int width, int height) {
    AppModel& model = m_p.model;
    const bool settled = model.pending() == 0 && model.machines().loaded() && model.products().loaded() &&
                         !model.codes().busy() && !m_p.fonts.needsRebuild() && !m_p.startupView.waiting() &&
                         (!model.exporter().isOpen() || model.exporter().previewReady());
    const bool late = std::chrono::steady_clock::now() - m_started > std::chrono::seconds(20);
    if (m_frame < m_p.options.frames || !(settled || late)) return;
    if (!saveScreenshot(m_p.options.screenshot, width, height)) {
        std::fprintf(stderr, "pickupdesk: cannot write the screenshot %s\n", m_p.options.screenshot.c_str());
        m_exitCode = 1;
    }
    glfwSetWindowShouldClose(m_p.window, GLFW_TRUE);
}

void MainLoop::reportRedrawCheck() {
    if (m_renderer.checkedFrames() == 0) return;
    std::fprintf(stderr, "pickupdesk: redraw check: %d frames, %d read from the window, %d differed\n",
                 m_renderer.checkedFrames(), m_renderer.windowCheckedFrames(), m_renderer.differingFrames());
    if (m_renderer.differingFrames() > 0) m_exitCode = 1;
}

}  // namespace

int runMainWindow(const Options& options) {
    configureSoftwareRaster();  // before any thread (setenv) and before GLX opens the driver
    const Paths paths = resolvePaths(options);
    if (!makeDataDirs(paths)) return 1;
    // One writer per database: a second Pickup Desk on the same data directory only says who has
    // it and closes (in_use_notice.hpp). Held until the model and its connections are gone.
    auto lock = core::config::InstanceLock::acquire(paths.dbPath, "pickupdesk");
    if (!lock) {
        std::fprintf(stderr, "pickupdesk: %s\n", lock.error().message.c_str());
        if (lock.error().code != core::ErrorCode::InUse) return 1;
    }
    const std::string settingsPath = (std::filesystem::path(paths.configDir) / "settings.json").string();
    const std::string iniPath = (std::filesystem::path(paths.configDir) / "imgui.ini").string();
    Settings settings = Settings::load(settingsPath);
    if (!options.lang.empty()) settings.lang = options.lang;
    StartupView startupView(options, settings);
    I18n i18n;
    applyLanguage(i18n, settings.lang);
    // --bench-script: scripted input and frame timing (bench_script.hpp); null otherwise.
    std::unique_ptr<BenchScript> bench = options.benchScript.empty() ? nullptr : std::make_unique<BenchScript>(options);
    const auto stage = [&bench](const char* name) {
        if (bench) bench->noteStage(name);
    };
    stage("settings");

    std::atomic<bool> glfwReady{false};
    auto frameGate = std::make_shared<FrameGate>();
    std::unique_ptr<AppModel> model =
        lock ? startModel(options, settings, paths, lock->get(), frameGate, glfwReady) : nullptr;
    stage("workers");

    if (glfwInit() == GLFW_FALSE) {
        std::fprintf(stderr, "pickupdesk: cannot open a window (no display?). Use pickupctl without a display.\n");
        return 1;
    }
    // The font atlas (fontconfig, ~2,700 CJK glyphs rasterised: ~0.1 s) is built on a thread of its
    // own while the window and its GL context are created; it needs no ImGui context. Its size uses
    // the monitor's scale (initImGui corrects it in the rare case the window's differs).
    FontManager fonts;
    auto fontsLoaded = std::async(std::launch::async, [&fonts, glyphs = settings.fontGlyphs, scale = monitorScale()] {
        return fonts.load(kBaseFontPx * scale, I18n::allText((std::filesystem::path(assetsDir()) / "i18n").string()),
                          glyphs);
    });
    GLFWwindow* window = createWindow(settings);
    if (window != nullptr) stage("window");
    const bool haveCjkFont = fontsLoaded.get();
    if (window == nullptr) {
        glfwTerminate();
        return 1;
    }
    glfwReady = true;
    initImGui(window, fonts, iniPath, haveCjkFont);
    stage("fonts");
    initImGuiBackends(window);
    stage("gl_ready");
    if (!lock) {
        const int code = runInUseNotice(window, paths.dbPath, options.screenshot);
        shutdownWindow(window);
        return code;
    }

    ShellView shell(*model, settings, options.simUrl);
    if (bench) bench->setDatabase(paths.dbPath);
    const int exitCode =
        MainLoop({window, *model, shell, fonts, i18n, settings, startupView, options, bench.get(), *frameGate}).run();
    saveSettings(settings, settingsPath, window, !options.screenshot.empty(), *model, fonts);
    glfwReady = false;  // the workers outlive the window by a moment: no wake-ups into a terminated GLFW
    shutdownWindow(window);
    return exitCode;
}

}  // namespace app::desktop
