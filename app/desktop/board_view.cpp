#include "app/desktop/board_view.hpp"

#include "app/desktop/app_model.hpp"
#include "app/desktop/i18n.hpp"
#include "app/desktop/views.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdlib>
#include <memory>

namespace app::desktop {
namespace {

const ImVec4 kErrorColour(0.8f, 0.15f, 0.1f, 1.f);
const ImVec4 kOkColour(0.1f, 0.55f, 0.2f, 1.f);

// The demo setup behind PICKUPDESK_BOARD_SIM=demo: instant motors and three faulty slots.
void startFromEnvironment(BoardViewModel& vm) {
    const char* env = std::getenv("PICKUPDESK_BOARD_SIM");
    if (env == nullptr || *env == '\0') return;
    BoardSimSetup setup;
    if (std::string(env) == "demo") {
        setup.timing = hw::sim::SimTiming::zero();
        setup.faults = {{1, 3, {hw::sim::SlotFault::MotorShort, {}}},
                        {1, 12, {hw::sim::SlotFault::PowerFault, {}}},
                        {1, 16, {hw::sim::SlotFault::SlotInvalid, {}}}};
    }
    vm.setSimSetup(setup);
    vm.connect(kSimTarget);
}

}  // namespace

void drawBoardTab(AppModel& model) {
    static std::unique_ptr<BoardView> view;  // the tab's widget state; the data lives in the view model
    static BoardViewModel* owner = nullptr;
    static bool demoSweepPending = false;
    if (owner != &model.board()) {
        owner = &model.board();
        view = std::make_unique<BoardView>(model.board());
        startFromEnvironment(model.board());
        const char* env = std::getenv("PICKUPDESK_BOARD_SIM");
        demoSweepPending = env != nullptr && std::string(env) == "demo";
    }
    if (demoSweepPending && model.board().linkState() == BoardLinkState::Connected) {
        for (std::uint8_t s = 0; s < 18; ++s) model.board().click(s, true);
        model.board().sweepSelected();
        demoSweepPending = false;
    }
    view->draw();
}

void BoardView::draw() {
    const float side = ImGui::GetFontSize() * 17.f;
    ImGui::BeginChild("##board_side", ImVec2(side, 0.f), true);
    drawDevices();
    drawIdentity();
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##board_main", ImVec2(0.f, 0.f), false);
    drawErrors();
    if (m_model.linkState() != BoardLinkState::Connected || !m_model.snapshot()) {
        ImGui::TextWrapped("%s", m_model.linkState() == BoardLinkState::Connecting
                                     ? trf("board.connecting", {m_model.target()}).c_str()
                                     : tr("board.not_connected"));
        ImGui::EndChild();
        return;
    }
    if (ImGui::BeginTabBar("##board_tabs")) {
        if (ImGui::BeginTabItem(tr("board.tab.grid"))) {
            drawGrid();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(tr("board.tab.provision"))) {
            drawProvisioning();
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(tr("board.tab.log"))) {
            drawLog();
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
}

void BoardView::drawDevices() {
    ImGui::TextUnformatted(tr("board.devices"));
    ImGui::Separator();
    const auto devices = m_model.devices();
    if (m_device >= static_cast<int>(devices.size())) m_device = -1;
    for (int i = 0; i < static_cast<int>(devices.size()); ++i) {
        const auto& d = devices[static_cast<std::size_t>(i)];
        ImGui::PushID(i);
        const bool connected = m_model.linkState() == BoardLinkState::Connected && m_model.target() == d.target;
        statusDot(connected);
        ImGui::SameLine();
        if (ImGui::Selectable(d.label.c_str(), m_device == i, ImGuiSelectableFlags_AllowDoubleClick)) {
            m_device = i;
            if (ImGui::IsMouseDoubleClicked(0) && !d.target.empty()) m_model.connect(d.target);
        }
        if (ImGui::IsItemHovered() && !d.detail.empty()) ImGui::SetTooltip("%s", d.detail.c_str());
        ImGui::PopID();
    }
    if (m_model.listError()) ImGui::TextWrapped("%s", trf("board.list_error", {*m_model.listError()}).c_str());
    ImGui::Spacing();
    ImGui::SetNextItemWidth(-1.f);
    ImGui::InputTextWithHint("##serial", tr("board.serial_path"), &m_model.serialPath());
    const bool busy = m_model.linkState() == BoardLinkState::Connecting;
    ImGui::BeginDisabled(busy);
    if (ImGui::Button(tr("board.connect"))) {
        if (m_device >= 0 && !devices[static_cast<std::size_t>(m_device)].target.empty()) {
            m_model.connect(devices[static_cast<std::size_t>(m_device)].target);
        } else {
            m_model.connect(m_model.serialPath());
        }
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(m_model.linkState() != BoardLinkState::Connected);
    if (ImGui::Button(tr("board.disconnect"))) m_model.disconnect();
    ImGui::EndDisabled();
}

void BoardView::drawIdentity() {
    if (m_model.linkState() != BoardLinkState::Connected || !m_model.snapshot()) return;
    const auto& id = m_model.snapshot()->identity;
    ImGui::Spacing();
    ImGui::TextUnformatted(tr("board.identity"));
    ImGui::Separator();
    if (ImGui::BeginTable("##identity", 2)) {
        auto row = [](const char* key, const std::string& value) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", tr(key));
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", value.c_str());
        };
        row("board.model", hw::board::modelName(id.model));
        row("board.channels", std::to_string(id.channels) + " x " + std::to_string(m_model.cabinets().size()));
        row("board.firmware", id.firmware());
        row("board.serial", id.serial);
        row("board.link", m_model.linkText());
        ImGui::EndTable();
    }
    if (ImGui::Button(tr("board.reread"))) m_model.reread();
}

void BoardView::drawErrors() {
    auto& errors = m_model.errors();
    if (!errors.empty()) {
        const BoardFailed& e = errors.back();
        ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
        ImGui::TextWrapped("%s", trf("board.error", {tr(e.what), e.error.message}).c_str());
        ImGui::PopStyleColor();
        if (ImGui::SmallButton(tr("board.dismiss"))) errors.clear();
        ImGui::Separator();
    } else if (!m_model.notice().empty()) {
        ImGui::TextWrapped("%s", m_model.notice().c_str());
    }
}

void BoardView::drawProvisioning() {
    auto& form = m_model.form();
    const auto problems = form.validate();
    auto field = [&](const char* key, std::string& value, ImGuiInputTextFlags flags = 0) {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18.f);
        const std::string label = std::string(tr(std::string("board.field.") + key)) + "##" + key;
        if (ImGui::InputText(label.c_str(), &value, flags)) form.dirty = true;
        for (const auto& p : problems) {
            if (p.field != key) continue;
            std::vector<std::string> args = p.args;
            if (!args.empty()) args[0] = tr("board.field." + args[0]);
            ImGui::TextColored(kErrorColour, "%s", trf(p.key, args).c_str());
        }
    };
    field("machine_no", form.machineNo);
    field("server_host", form.serverHost);
    field("server_port", form.serverPort, ImGuiInputTextFlags_CharsDecimal);
    field("mqtt_host", form.mqttHost);
    field("mqtt_port", form.mqttPort, ImGuiInputTextFlags_CharsDecimal);
    field("mqtt_user", form.mqttUser);
    field("mqtt_password", form.mqttPassword, ImGuiInputTextFlags_Password);
    field("mqtt_topic", form.mqttTopic);
    if (ImGui::Checkbox(tr("board.field.tls"), &form.tls)) form.dirty = true;

    ImGui::Spacing();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18.f);
    ImGui::InputText("##provision_path", &m_provisionPath);
    ImGui::SameLine();
    if (ImGui::Button(tr("board.load_file"))) m_model.loadProvisioning(m_provisionPath);
    if (!form.loadedFrom.empty()) {
        ImGui::TextDisabled("%s", trf("board.loaded_from", {form.loadedFrom, std::to_string(form.channels.size())}).c_str());
    }
    ImGui::Separator();
    drawDiff();
}

void BoardView::drawDiff() {
    auto& form = m_model.form();
    const auto diff = form.diff(*m_model.snapshot());
    const bool valid = form.validate().empty();
    ImGui::TextUnformatted(tr("board.diff_title"));
    if (valid && diff.empty()) ImGui::TextDisabled("%s", tr("board.diff_none"));
    if (!diff.empty() && ImGui::BeginTable("##diff", 3, ImGuiTableFlags_Borders)) {
        ImGui::TableSetupColumn(tr("board.col.setting"));
        ImGui::TableSetupColumn(tr("board.col.from"));
        ImGui::TableSetupColumn(tr("board.col.to"));
        ImGui::TableHeadersRow();
        for (const auto& d : diff) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(d.key.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(d.from.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(d.to.c_str());
        }
        ImGui::EndTable();
    }
    ImGui::BeginDisabled(!valid || diff.empty() || m_model.busy());
    if (ImGui::Button(tr("board.write"))) m_model.writeProvisioning();
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(tr("board.reset_form"))) form.fill(m_model.snapshot()->config);
    if (const auto& report = m_model.applyReport()) {
        if (report->verified()) {
            ImGui::TextColored(kOkColour, "%s", trf("board.verified", {std::to_string(report->storedCrc)}).c_str());
        } else {
            std::string all;
            for (const auto& m : report->mismatches) all += (all.empty() ? "" : "; ") + m;
            ImGui::TextColored(kErrorColour, "%s", trf("board.mismatch", {all}).c_str());
        }
    }
}

}  // namespace app::desktop
