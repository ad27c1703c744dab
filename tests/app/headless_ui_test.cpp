// The app's real ImGui views (ShellView and everything it owns) driven headlessly: an ImGui context
// without backends (tests/app/headless_ui.hpp), synthetic mouse and keyboard input, and the real
// AppModel/Backend against the real simulator, which publishes its signed pushes to a real mosquitto.
#include "pd_test_paths.hpp"
#include "app/desktop/app_model.hpp"
#include "app/desktop/i18n.hpp"
#include "app/desktop/settings.hpp"
#include "app/desktop/shell_view.hpp"
#include "tests/app/headless_ui.hpp"
#include "tests/support/mosquitto.hpp"
#include "tests/support/sim_server.hpp"
#include "tests/app/app_test_support.hpp"
#include "tests/support/temp_dir.hpp"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <doctest/doctest.h>

#include <memory>

using namespace app::desktop;
using apptest::configIn;
using apptest::HeadlessUi;

namespace {

// The whole window's content, as main_window.cpp draws it, in sandbox mode with pushes.
struct UiFixture {
    testsupport::Mosquitto broker;
    testsupport::SimServer sim{{"--mqtt-url", broker.url()}};
    testsupport::TempDir dir;
    I18n i18n;
    Settings settings;
    AppModel model{configIn(dir), {}};
    HeadlessUi ui;
    std::unique_ptr<ShellView> shell;

    UiFixture() {
        std::string error;
        REQUIRE_MESSAGE(i18n.load(PD_I18N_DIR, "en", error), error);
        setActiveCatalog(&i18n);
        MqttSettings mqtt;
        mqtt.url = broker.url();
        model.setMqttSettings(mqtt);
        model.start(true, sim.url());
        settings.lastTab = "products";
        shell = std::make_unique<ShellView>(model, settings, sim.url());
        ui.setBetweenFrames([this] { model.pump(); });
        ui.setDraw([this] {
            shell->draw();
            model.codes().requestMissing();
        });
    }
    ~UiFixture() { setActiveCatalog(nullptr); }

    // Machines, the selected machine's products and codes, and the push subscription are in.
    bool settled() {
        return model.machines().loaded() && model.machines().selected() != nullptr && model.products().loaded() &&
               model.products().machineNo() == model.machines().selectedNo() && !model.products().rows().empty() &&
               model.codes().counted() && model.pending() == 0 &&
               model.pushes().mqtt().state == core::net::MqttState::Connected;
    }

    // The ID of the Selectable a machine gets in the machines list (machines_view.cpp).
    ImGuiID machineItem(const core::Machine& m) {
        const ImGuiWindow* list = ui.window("##machine_list");
        REQUIRE(list != nullptr);
        const std::string label = m.name + "\n" + m.machineNo + "  " + model.machines().effectiveZone(m);
        return HeadlessUi::id(HeadlessUi::scope(list), {m.machineNo, label});
    }

    // A tab of the main area (shell_view.cpp: "Label###id" in the "##tabs" bar).
    ImGuiID tabItem(const char* key, const char* tabId) {
        const ImGuiWindow* area = ui.window("##main_area");
        REQUIRE(area != nullptr);
        return HeadlessUi::id(HeadlessUi::scope(area), {"##tabs", std::string(tr(key)) + "###" + tabId});
    }

    ImGuiID generateItem(const char* key) {
        const ImGuiWindow* popup = ui.window("##generate");
        REQUIRE(popup != nullptr);
        return HeadlessUi::id(HeadlessUi::scope(popup), {tr(key)});
    }
};

}  // namespace

TEST_CASE("headless UI: pick a machine, generate from its products table, the pushed codes show in the codes tab") {
    UiFixture f;
    auto& ui = f.ui;
    auto& model = f.model;
    REQUIRE(ui.runUntil([&] { return f.settled(); }, 20000));

    // Click another machine in the list.
    const auto& machines = model.machines();
    const core::Machine* target = nullptr;
    for (const int index : machines.visible()) {
        const auto& m = machines.machines()[static_cast<size_t>(index)];
        if (target == nullptr && m.machineNo != machines.selectedNo()) target = &m;
    }
    REQUIRE(target != nullptr);
    const std::string machineNo = target->machineNo;
    REQUIRE_MESSAGE(ui.click("##machine_list", f.machineItem(*target)), ui.lastError());
    CHECK(machines.selectedNo() == machineNo);
    REQUIRE(ui.runUntil([&] { return f.settled() && model.products().machineNo() == machineNo; }));
    const std::int64_t before = model.codes().total();

    // The first product's Generate button (products table, one PushID(product id) per row).
    const core::Product product = model.products().rows().front().product;
    const ImGuiWindow* table = ui.window("##products");
    REQUIRE(table != nullptr);
    const ImGuiID rowScope = HeadlessUi::id(HeadlessUi::tableScope(table), static_cast<int>(product.id));
    REQUIRE_MESSAGE(ui.click("##products", HeadlessUi::id(rowScope, {tr("products.generate")})), ui.lastError());
    auto& gen = model.generate();
    REQUIRE(gen.isOpen());
    CHECK(gen.machineNo() == machineNo);
    CHECK(gen.form().productId == product.id);
    ui.frame();
    REQUIRE(ui.window("##generate") != nullptr);

    // Count: Ctrl+click turns the slider into a text field; type 3, Enter.
    REQUIRE_MESSAGE(ui.click("##generate", f.generateItem("gen.count"), true), ui.lastError());
    ui.pressKey(GLFW_KEY_BACKSPACE);
    ui.type("3");
    ui.pressKey(GLFW_KEY_ENTER);
    CHECK(gen.form().count == 3);
    if (!gen.form().never) REQUIRE_MESSAGE(ui.click("##generate", f.generateItem("gen.never")), ui.lastError());
    CHECK(gen.form().never);
    REQUIRE(gen.validate().empty());
    REQUIRE_MESSAGE(ui.click("##generate", f.generateItem("gen.submit")), ui.lastError());
    CHECK(gen.state() == GenerateState::Running);

    REQUIRE(ui.runUntil([&] { return gen.state() != GenerateState::Running; }, 20000));
    INFO((gen.error() ? gen.error()->message : std::string()));
    REQUIRE(gen.state() == GenerateState::Done);
    REQUIRE(gen.result().has_value());
    const auto result = *gen.result();
    REQUIRE(result.codes.size() == 3);
    CHECK(result.pushed == 3);  // every code came by push from the simulator through mosquitto
    CHECK(result.source == "push");
    REQUIRE(ui.runUntil([&] { return model.codes().counted() && model.pending() == 0 &&
                                     model.codes().total() == before + 3; }));

    // Close the dialog, open the Codes tab, type the first new code into the code filter.
    REQUIRE_MESSAGE(ui.click("##generate", f.generateItem("common.close")), ui.lastError());
    CHECK_FALSE(gen.isOpen());
    ui.frame(2);
    CHECK(ui.window("##generate") == nullptr);
    const ImGuiID codesTab = f.tabItem("tab.codes", "codes");
    REQUIRE_MESSAGE(ui.click("##main_area", codesTab), ui.lastError());
    ui.frame();
    CHECK(f.settings.lastTab == "codes");

    // The table's rows and borders are drawn without anti-aliasing: they are axis-aligned shapes on
    // whole pixels, where its fringe triangles only cost a software renderer time.
    auto& all = model.codes();
    REQUIRE(ui.runUntil([&] { return all.counted() && all.total() >= 1 && all.row(0) != nullptr; }));
    {
        const ImGuiWindow* codesWindow = ui.window("##codes");
        REQUIRE(codesWindow != nullptr);
        CHECK((codesWindow->DrawList->Flags & (ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedFill)) == 0);
        CHECK(codesWindow->DrawList->VtxBuffer.Size > 0);
    }
    REQUIRE_MESSAGE(ui.click("##main_area", HeadlessUi::id(codesTab, {"##prefix"})), ui.lastError());
    const std::string code = result.codes.front().code;
    ui.type(code);
    auto& codes = model.codes();
    CHECK(codes.filter().codePrefix == code);
    REQUIRE(ui.runUntil([&] { return codes.counted() && codes.total() == 1 && codes.row(0) != nullptr; }));
    CHECK(codes.row(0)->code == code);
    CHECK(codes.row(0)->machineNo == machineNo);

    // Click the row: it is selected in the view model.
    const ImGuiWindow* codesTable = ui.window("##codes");
    REQUIRE(codesTable != nullptr);
    const ImGuiID rowItem = HeadlessUi::id(HeadlessUi::id(HeadlessUi::tableScope(codesTable), 0), {"##code"});
    REQUIRE_MESSAGE(ui.click("##codes", rowItem), ui.lastError());
    CHECK(codes.selectedCount() == 1);
    CHECK(codes.isSelected(codes.row(0)->id));
    CHECK(model.errors().empty());
}

TEST_CASE("headless UI: Ctrl+G opens Generate for the selected machine, Escape closes it, Ctrl+F searches machines") {
    UiFixture f;
    auto& ui = f.ui;
    auto& model = f.model;
    REQUIRE(ui.runUntil([&] { return f.settled(); }, 20000));
    auto& gen = model.generate();
    REQUIRE_FALSE(gen.isOpen());

    ui.pressKey(GLFW_KEY_G, true);
    REQUIRE(gen.isOpen());
    CHECK(gen.machineNo() == model.machines().selectedNo());
    ui.frame();
    CHECK(ui.window("##generate") != nullptr);
    // The driver finds only what the view draws: no false clicks.
    CHECK_FALSE(ui.click("##generate", HeadlessUi::id(HeadlessUi::scope(ui.window("##generate")), {"No such button"})));
    CHECK(ui.lastError().find("is not drawn") != std::string::npos);
    ui.pressKey(GLFW_KEY_ESCAPE);
    CHECK_FALSE(gen.isOpen());
    ui.frame(2);
    CHECK(ui.window("##generate") == nullptr);

    // Ctrl+F focuses the search field; typing filters the list to one machine.
    const auto& machines = model.machines();
    REQUIRE(machines.machines().size() > 1);
    const std::string wanted = machines.machines().back().machineNo;
    ui.pressKey(GLFW_KEY_F, true);
    ui.frame();
    CHECK(ImGui::GetIO().WantTextInput);
    ui.type(wanted);
    REQUIRE(machines.visible().size() == 1);
    CHECK(machines.machines()[static_cast<size_t>(machines.visible().front())].machineNo == wanted);
    // While typing, shortcuts stay off: Ctrl+G types nothing and opens nothing.
    ui.pressKey(GLFW_KEY_G, true);
    CHECK_FALSE(gen.isOpen());
}
