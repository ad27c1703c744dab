#include "app/desktop/main_window.hpp"

#include "app/desktop/app_model.hpp"
#include "app/desktop/bench_script.hpp"
#include "app/desktop/fonts.hpp"
#include "app/desktop/frame_renderer.hpp"
#include "app/desktop/i18n.hpp"
#include "app/desktop/in_use_notice.hpp"
#include "app/desktop/screenshot.hpp"
#include "app/desktop/settings.hpp"
#include "app/desktop/shell_view.hpp"
#include "core/config/instance_lock.hpp"
#include "core/config/paths.hpp"

#define GLFW_INCLUDE_NONE
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define PD_LEAK_CHECK 1
#else
#define PD_LEAK_CHECK 0
#endif

#include <GLFW/glfw3.h>
#include <GL/gl.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>
#include <utility>

#ifndef PD_DESKTOP_ASSETS_DIR
#define PD_DESKTOP_ASSETS_DIR "assets"
#endif

namespace app::desktop {
namespace {

constexpr float kBaseFontPx = 16.f;
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

float monitorScale() {
    float xscale = 1.f;
    float yscale = 1.f;
    if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) glfwGetMonitorContentScale(monitor, &xscale, &yscale);
    return xscale > 0.f ? xscale : 1.f;
}

float windowScale(GLFWwindow* window) {
    float xscale = 1.f;
    float yscale = 1.f;
    glfwGetWindowContentScale(window, &xscale, &yscale);
    return xscale > 0.f ? xscale : 1.f;
}

// The main window with a current OpenGL 3.3 core context; nullptr (after saying why) if none.
GLFWwindow* createWindow(const Settings& settings) {
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    // ImGui draws without depth or stencil. Without those buffers llvmpipe also draws each quad as
    // one rectangle instead of two triangles (its rectangle path needs no depth buffer): a scrolled
    // codes table costs ~0.5 ms less per frame.
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    GLFWwindow* window = glfwCreateWindow(settings.windowWidth, settings.windowHeight, "Pickup Desk", nullptr, nullptr);
    if (window == nullptr) {
        std::fprintf(stderr, "pickupdesk: cannot create an OpenGL 3.3 window. Update the graphics driver.\n");
        return nullptr;
    }
    glfwSetWindowPos(window, 0, 0);
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);
    return window;
}

// After each upload of the font atlas: text is drawn on whole pixels (FontManager::build), where
// nearest sampling gives the same picture as ImGui's bilinear default and is ~25 % cheaper per pixel
// under a software renderer (llvmpipe, docs/BENCHMARKS.md).
void sampleFontTextureNearest() {
    const auto texture = static_cast<GLuint>(reinterpret_cast<std::intptr_t>(ImGui::GetIO().Fonts->TexID));
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, 0);
}

void shutdownWindow(GLFWwindow* window) {
    setGlyphSink(nullptr);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
#if PD_LEAK_CHECK
    // ASan builds: look for leaks now, while the OpenGL driver is loaded. After glfwTerminate Mesa
    // unloads llvmpipe, and what it leaves behind comes from an unnamed module that no suppression
    // (tests/sanitizers/lsan.supp) can name. This replaces the check at exit.
    __lsan_do_leak_check();
#endif
    glfwDestroyWindow(window);
    glfwTerminate();
}

}  // namespace

int runMainWindow(const Options& options) {
    const Paths paths = resolvePaths(options);
    for (const auto& dir : {paths.configDir, paths.dataDir}) {
        if (auto ok = core::config::ensurePrivateDir(dir); !ok) {
            std::fprintf(stderr, "pickupdesk: %s\n", ok.error().message.c_str());
            return 1;
        }
    }
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
    bool showGenerate = options.view == "generate";  // screenshots of the dialog: opened once
    bool showExport = options.view == "export";
    bool selectPush = options.view == "pushes" && !options.screenshot.empty();  // show the detail pane
    if (!options.view.empty()) {
        settings.lastTab = showGenerate ? std::string("products") : showExport ? std::string("codes") : options.view;
    }
    I18n i18n;
    applyLanguage(i18n, settings.lang);
    // --bench-script: scripted input and frame timing (bench_script.hpp); null otherwise.
    std::unique_ptr<BenchScript> bench = options.benchScript.empty() ? nullptr : std::make_unique<BenchScript>(options);
    const auto stage = [&bench](const char* name) {
        if (bench) bench->noteStage(name);
    };
    stage("settings");

    // The workers open the store, load the profile and sync while the window and its GL context are
    // created (a software GL takes 0.5-1 s for that): the first full frame comes sooner. They wake
    // the UI only once GLFW is up; whatever they post before is drained by the first frame.
    std::atomic<bool> glfwReady{false};
    auto frameGate = std::make_shared<FrameGate>();
    std::unique_ptr<AppModel> modelOwner;
    if (lock) {
        BackendConfig config;
        config.frameGate = frameGate;
        config.instanceLock = lock->get();
        config.dbPath = paths.dbPath;
        config.workDir = paths.dataDir;
        config.useKeychain = !options.noKeychain;
        config.sandboxMqttUrl = options.mqttUrl;
        modelOwner = std::make_unique<AppModel>(config, [&glfwReady] {
            if (glfwReady) glfwPostEmptyEvent();
        });
        modelOwner->setPreferredMachine(settings.lastMachine);
        // The codes table as it was left (the table's own sort, in imgui.ini, agrees): its first count
        // is then the one shown, not one the first frame's sort replaces.
        modelOwner->codes().setTimeMode(parseTimeMode(settings.codesTimeMode));
        if (const auto sort = parseCodeSort(settings.codesSort)) modelOwner->codes().setSort(*sort, settings.codesDescending);
        MqttSettings mqtt;
        mqtt.url = options.mqttUrl;
        modelOwner->setMqttSettings(mqtt);
        modelOwner->start(options.sandbox, options.simUrl);
    }
    stage("workers");

    if (glfwInit() == GLFW_FALSE) {
        std::fprintf(stderr, "pickupdesk: cannot open a window (no display?). Use pickupctl without a display.\n");
        return 1;
    }
    // The font atlas (fontconfig, ~2,700 CJK glyphs rasterised: ~0.1 s) is built on a thread of its
    // own while the window and its GL context are created; it needs no ImGui context. Its size uses
    // the monitor's scale, and is corrected below in the rare case the window's differs.
    FontManager fonts;
    auto fontsLoaded = std::async(std::launch::async, [&fonts, glyphs = settings.fontGlyphs, scale = monitorScale()] {
        return fonts.load(kBaseFontPx * scale, I18n::allText((std::filesystem::path(assetsDir()) / "i18n").string()), glyphs);
    });
    GLFWwindow* window = createWindow(settings);
    if (window != nullptr) stage("window");
    const bool haveCjkFont = fontsLoaded.get();
    if (window == nullptr) {
        glfwTerminate();
        return 1;
    }
    glfwReady = true;

    IMGUI_CHECKVERSION();
    ImGui::CreateContext(fonts.atlas());
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = iniPath.c_str();
    ImGui::StyleColorsLight();
    const float scale = windowScale(window);
    ImGui::GetStyle().ScaleAllSizes(scale);
    fonts.resize(kBaseFontPx * scale);
    if (!haveCjkFont) {
        std::fprintf(stderr, "pickupdesk: no CJK font found; Chinese text will not render. Install fonts-wqy-microhei.\n");
    }
    setGlyphSink(&fonts);
    stage("fonts");
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    ImGui_ImplOpenGL3_CreateDeviceObjects();  // else the first NewFrame would, with bilinear fonts
    sampleFontTextureNearest();
    stage("gl_ready");
    if (!lock) {
        const int code = runInUseNotice(window, paths.dbPath, options.screenshot);
        shutdownWindow(window);
        return code;
    }

    AppModel& model = *modelOwner;
    ShellView shell(model, settings, options.simUrl);
    std::string pendingLang;
    shell.onLanguage = [&](const std::string& lang) { pendingLang = lang; };
    shell.onQuit = [&] { glfwSetWindowShouldClose(window, GLFW_TRUE); };

    const bool shooting = !options.screenshot.empty();
    const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    if (bench && renderer != nullptr) bench->setRenderer(renderer);
    const bool gateFrames = isSoftwareRenderer(renderer);  // with a GPU the swap waits for the display
    FrameRenderer frameRenderer(window, gateFrames);
    if (bench) bench->setPartialRedraw(frameRenderer.partial());
    if (const auto buffers = bench ? defaultFramebufferBuffers() : std::nullopt) {
        bench->setFramebufferBuffers(buffers->depth, buffers->stencil);
    }
    if (bench) bench->setDatabase(paths.dbPath);
    const auto started = std::chrono::steady_clock::now();
    int frame = 0;
    int activeFrames = 3;  // keep drawing a few frames after any input or result: ImGui settles over frames
    // ImGui's first frame lays out: a tab bar draws no tabs and shows its first tab's contents, not
    // the remembered one. That frame is built but never drawn; the first frame shown is the next.
    // Its text is not shown either, so it asks for no glyphs (a rebuild costs ~0.1 s).
    bool layoutFrame = true;
    setGlyphSink(nullptr);
    int exitCode = 0;
    auto lastFrameStart = started;
    auto lastInput = started;
    while (glfwWindowShouldClose(window) == GLFW_FALSE) {
        if (frame == 0) {
            glfwPollEvents();  // the layout frame and the first shown one: as soon as possible
        } else if (shooting) {
            glfwPollEvents();
            std::this_thread::sleep_for(std::chrono::milliseconds(16));  // Xvfb has no vsync
        } else if (bench && bench->continuous()) {
            bench->pace();
            glfwPollEvents();  // the script gives input every frame, as a user scrolling does
        } else if (activeFrames > 0 || model.pending() > 0) {
            glfwWaitEventsTimeout(model.pending() > 0 ? 0.1 : 0.016);
        } else {
            glfwWaitEventsTimeout(1.0);  // idle: wake on input, a worker result (glfwPostEmptyEvent) or once a second
            activeFrames = 1;            // one frame per idle second (status bar rate, ages); input asks for more
        }
        if (!shooting && !(bench && bench->continuous())) {
            const auto now = std::chrono::steady_clock::now();
            const bool paced = now - started > kStartUp && now - lastInput > kInteracting;
            if (paced && now - lastFrameStart < kDataFrameInterval) {
                std::this_thread::sleep_for(kDataFrameInterval - (now - lastFrameStart));
            }
        }
        const auto frameStart = std::chrono::steady_clock::now();
        lastFrameStart = frameStart;
        if (model.pump() > 0) activeFrames = 3;
        if (showGenerate && !model.generate().isOpen() && model.products().loaded() && !model.products().rows().empty()) {
            model.openGenerate(model.products().rows().front().product.id);
            showGenerate = false;
        }
        if (selectPush && !model.pushes().visible().empty()) {
            model.pushes().select(model.pushes().visibleRow(0).id);
            selectPush = false;
        }
        if (showExport && model.codes().counted() && model.codes().total() > 0) {
            model.openExport();
            showExport = false;
        }
        if (!pendingLang.empty()) {
            settings.lang = pendingLang;
            applyLanguage(i18n, pendingLang);
            pendingLang.clear();
        }
        if (fonts.needsRebuild()) {
            fonts.rebuild();
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            ImGui_ImplOpenGL3_CreateFontsTexture();
            sampleFontTextureNearest();
            frameRenderer.invalidate();
        }
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        if (bench) bench->injectInput(model);
        ImGui::NewFrame();
        shell.draw();
        ImGui::Render();
        if (std::exchange(layoutFrame, false)) {
            setGlyphSink(&fonts);
            continue;
        }
        const auto frameBuilt = std::chrono::steady_clock::now();
        int width = 0;
        int height = 0;
        glfwGetFramebufferSize(window, &width, &height);
        if (takeFullRedrawRequest()) frameRenderer.invalidate();
        const ImVec4 background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];  // the shell window draws none
        const long long redrawn = frameRenderer.draw(*ImGui::GetDrawData(), width, height, background);
        if (bench) bench->noteRedrawn(static_cast<double>(redrawn));
        model.codes().requestMissing();
        if (hadInput(io)) {
            activeFrames = 3;
            lastInput = std::chrono::steady_clock::now();
        }
        --activeFrames;
        ++frame;
        if (shooting) {
            // Wait for the sandbox data too (at most 20 s), so the picture shows real content.
            const bool settled = model.pending() == 0 && model.machines().loaded() && model.products().loaded() &&
                                 !model.codes().busy() && !fonts.needsRebuild() && !showExport && !selectPush &&
                                 (!model.exporter().isOpen() || model.exporter().previewReady());
            const bool late = std::chrono::steady_clock::now() - started > std::chrono::seconds(20);
            if (frame >= options.frames && (settled || late)) {
                if (!saveScreenshot(options.screenshot, width, height)) {
                    std::fprintf(stderr, "pickupdesk: cannot write the screenshot %s\n", options.screenshot.c_str());
                    exitCode = 1;
                }
                glfwSetWindowShouldClose(window, GLFW_TRUE);
            }
        }
        if (gateFrames) frameGate->close();  // the raster threads need every core now
        frameRenderer.present();
        if (gateFrames) frameGate->open();
        if (bench) {
            using Ms = std::chrono::duration<double, std::milli>;
            bench->frameDone(model, Ms(std::chrono::steady_clock::now() - frameStart).count(), Ms(frameBuilt - frameStart).count(),
                             !fonts.needsRebuild());
            if (bench->finished()) glfwSetWindowShouldClose(window, GLFW_TRUE);
        }
    }
    if (bench && !bench->writeResult()) exitCode = 1;
    if (frameRenderer.checkedFrames() > 0) {
        std::fprintf(stderr, "pickupdesk: redraw check: %d frames, %d read from the window, %d differed\n",
                     frameRenderer.checkedFrames(), frameRenderer.windowCheckedFrames(), frameRenderer.differingFrames());
        if (frameRenderer.differingFrames() > 0) exitCode = 1;
    }
    if (!shooting) {
        glfwGetWindowSize(window, &settings.windowWidth, &settings.windowHeight);
    }
    settings.lastMachine = model.machines().selectedNo();
    settings.codesTimeMode = timeModeName(model.codes().timeMode());
    settings.codesSort = codeSortName(model.codes().filter().sort);
    settings.codesDescending = model.codes().filter().descending;
    settings.fontGlyphs = fonts.extraGlyphs();
    if (!settings.save(settingsPath)) std::fprintf(stderr, "pickupdesk: cannot save %s\n", settingsPath.c_str());
    glfwReady = false;  // the workers outlive the window by a moment: no wake-ups into a terminated GLFW
    shutdownWindow(window);
    return exitCode;
}

}  // namespace app::desktop
