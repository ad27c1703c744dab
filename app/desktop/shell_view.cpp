#include "app/desktop/shell_view.hpp"

#include "app/desktop/board_view.hpp"
#include "app/desktop/i18n.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <chrono>
#include <cstdio>

namespace app::desktop {
namespace {

struct TabDef {
    const char* id;
    const char* key;
};
constexpr TabDef kTabs[] = {{"products", "tab.products"}, {"codes", "tab.codes"}, {"requests", "tab.requests"},
                            {"pushes", "tab.pushes"},     {"board", "tab.board"}};

}  // namespace

ShellView::ShellView(AppModel& model, Settings& settings, std::string simUrl)
    : m_model(model), m_settings(settings), m_machines(model), m_products(model), m_codes(model), m_generate(model),
      m_pushes(model), m_export(model), m_profile(model, std::move(simUrl)),
      m_database(model) {
    m_forceTab = settings.lastTab;
}

void ShellView::handleShortcuts() {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return;
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_G)) m_model.openGenerate();
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_F)) m_machines.focusSearch();
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_E)) m_model.openExport();
    if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_C)) m_codes.copySelection();
    if (ImGui::IsKeyPressed(GLFW_KEY_F5)) m_model.refresh();
}

void ShellView::draw() {
    handleShortcuts();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    // No background: the main loop clears the framebuffer to the window colour, and a full-window
    // blended fill costs a software renderer (llvmpipe) a third of its frame (docs/BENCHMARKS.md).
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_MenuBar |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBackground;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.f);
    ImGui::Begin("##shell", nullptr, flags);
    ImGui::PopStyleVar();
    drawMenu();
    const float statusHeight = ImGui::GetFrameHeightWithSpacing();
    const float panelWidth = ImGui::GetFontSize() * 17.f;
    ImGui::BeginChild("##machines_panel", ImVec2(panelWidth, -statusHeight), true);
    m_machines.draw();
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##main_area", ImVec2(0.f, -statusHeight), true);
    drawTabs();
    ImGui::EndChild();
    drawStatusBar(statusHeight);
    m_generate.draw();
    m_export.draw();
    m_profile.draw();
    m_database.draw();
    drawErrors();
    ImGui::End();
}

void ShellView::drawMenu() {
    if (!ImGui::BeginMenuBar()) return;
    if (ImGui::BeginMenu(tr("menu.file"))) {
        if (ImGui::MenuItem(tr("menu.generate"), "Ctrl+G", false, m_model.machines().selected() != nullptr)) {
            m_model.openGenerate();
        }
        if (ImGui::MenuItem(tr("menu.export"), "Ctrl+E", false, m_model.machines().selected() != nullptr)) {
            m_model.openExport();
        }
        ImGui::Separator();
        if (ImGui::MenuItem(tr("menu.profile"))) m_profile.openForm();
        if (ImGui::MenuItem(tr("menu.backup"))) m_database.openBackup();
        if (ImGui::MenuItem(tr("menu.restore"))) m_database.openRestore();
        ImGui::Separator();
        if (ImGui::MenuItem(tr("menu.quit"), "Ctrl+Q") && onQuit) onQuit();
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(tr("menu.view"))) {
        if (ImGui::MenuItem(tr("menu.search"), "Ctrl+F")) m_machines.focusSearch();
        if (ImGui::MenuItem(tr("menu.refresh"), "F5")) m_model.refresh();
        if (ImGui::MenuItem(tr("menu.copy_codes"), "Ctrl+C", false, m_model.codes().selectedCount() > 0)) {
            m_codes.copySelection();
        }
        ImGui::Separator();
        for (const auto& tab : kTabs) {
            if (ImGui::MenuItem(tr(tab.key), nullptr, m_settings.lastTab == tab.id)) m_forceTab = tab.id;
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(tr("menu.language"))) {
        if (ImGui::MenuItem("English", nullptr, m_settings.lang == "en") && onLanguage) onLanguage("en");
        if (ImGui::MenuItem("简体中文", nullptr, m_settings.lang == "zh") && onLanguage) onLanguage("zh");
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(tr("menu.help"))) {
        if (ImGui::MenuItem(tr("menu.about"))) m_showAbout = true;
        ImGui::EndMenu();
    }
    ImGui::EndMenuBar();
    if (m_showAbout) {
        ImGui::OpenPopup("##about");
        m_showAbout = false;
    }
    if (ImGui::BeginPopup("##about")) {
        ImGui::TextUnformatted(tr("about.text"));
        ImGui::EndPopup();
    }
}

void ShellView::drawTabs() {
    if (!ImGui::BeginTabBar("##tabs")) return;
    for (const auto& tab : kTabs) {
        const bool force = m_forceTab == tab.id;
        const std::string label = std::string(tr(tab.key)) + "###" + tab.id;
        if (!ImGui::BeginTabItem(label.c_str(), nullptr, force ? ImGuiTabItemFlags_SetSelected : 0)) continue;
        m_settings.lastTab = tab.id;
        const std::string id = tab.id;
        if (id == "products") m_products.draw();
        if (id == "codes") m_codes.draw();
        if (id == "requests") drawRequestsTab(m_model);
        if (id == "pushes") m_pushes.draw();
        if (id == "board") drawBoardTab(m_model);
        ImGui::EndTabItem();
    }
    m_forceTab.clear();
    ImGui::EndTabBar();
}

void ShellView::drawStatusBar(float height) {
    (void)height;
    const auto& s = m_model.status();
    const char* http = s.http == LinkState::Ok ? tr("status.http_ok")
                       : s.http == LinkState::Failed ? tr("status.http_failed")
                                                      : tr("status.http_unknown");
    statusDot(s.http == LinkState::Ok);
    ImGui::SameLine();
    ImGui::TextUnformatted(http);
    if (s.http == LinkState::Failed && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s.httpDetail.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    const MqttStatus& mqtt = m_model.pushes().mqtt();
    const bool mqttUp = mqtt.configured && mqtt.state == core::net::MqttState::Connected;
    statusDot(mqttUp);
    ImGui::SameLine();
    const char* mqttKey = !mqtt.configured ? "status.mqtt_none"
                          : mqttUp         ? "status.mqtt_ok"
                          : mqtt.state == core::net::MqttState::Disconnected ? "status.mqtt_down"
                                                                             : "status.mqtt_connecting";
    ImGui::TextUnformatted(tr(mqttKey));
    if (ImGui::IsItemHovered() && !mqtt.lastError.empty()) ImGui::SetTooltip("%s", mqtt.lastError.c_str());
    if (mqttUp || m_model.pushes().loaded()) {
        ImGui::SameLine();
        char rate[32];
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
        std::snprintf(rate, sizeof rate, "%.1f", m_model.pushes().ratePerSecond(now));
        ImGui::TextUnformatted(trf("status.push_rate", {rate}).c_str());
    }
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    const int pending = m_model.pending();
    ImGui::TextUnformatted(pending > 0 ? trf("status.pending", {std::to_string(pending)}).c_str() : tr("status.idle"));
    if (s.profile) {
        ImGui::SameLine();
        ImGui::TextDisabled("|");
        ImGui::SameLine();
        ImGui::TextUnformatted(trf("status.profile", {s.profile->name, s.profile->baseUrl}).c_str());
    }
    if (s.secretsInMemoryOnly) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.95f, 0.7f, 0.2f, 1.f), "%s", tr("status.secrets_memory"));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s.secretsNote.c_str());
    }
}

void ShellView::drawErrors() {
    auto& errors = m_model.errors();
    if (!errors.empty() && !ImGui::IsPopupOpen("##error")) ImGui::OpenPopup("##error");
    if (!ImGui::BeginPopupModal("##error", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) return;
    if (errors.empty()) {
        ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
        return;
    }
    const JobFailed& e = errors.front();
    ImGui::TextUnformatted(trf("error.title", {tr(e.what)}).c_str());
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.f);
    ImGui::TextUnformatted(e.error.message.c_str());
    if (e.error.vendorCode != 0) ImGui::TextUnformatted(trf("gen.vendor_code", {std::to_string(e.error.vendorCode)}).c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::Button(tr("common.ok"))) {
        errors.pop_front();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace app::desktop
