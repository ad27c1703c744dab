#include "app/desktop/database_view.hpp"

#include "app/desktop/i18n.hpp"
#include "core/store/backup.hpp"

#include <imgui.h>

#include <cstring>

namespace app::desktop {
namespace {

void setPath(char (&buffer)[1024], const std::string& value) {
    std::strncpy(buffer, value.c_str(), sizeof buffer - 1);
    buffer[sizeof buffer - 1] = '\0';
}

void showError(const core::Error& error) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.1f, 0.1f, 1.f));
    ImGui::TextWrapped("%s", error.message.c_str());
    ImGui::PopStyleColor();
}

}  // namespace

void DatabaseView::openBackup() {
    m_mode = Mode::Backup;
    m_open = true;
    m_started = false;
    setPath(m_path, core::store::suggestedBackupPath(m_model.backend().databasePath()));
}

void DatabaseView::openRestore() {
    m_mode = Mode::Restore;
    m_open = true;
    m_started = false;
    setPath(m_path, core::store::newestBackup(m_model.backend().databasePath()).value_or(""));
}

void DatabaseView::draw() {
    if (m_open) {
        ImGui::OpenPopup("##database");
        m_open = false;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    // Fixed width, height fitted every frame (0): the result line appears after the job ends.
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34.f, 0.f), ImGuiCond_Always);
    if (!ImGui::BeginPopupModal("##database", nullptr, ImGuiWindowFlags_NoTitleBar)) return;
    if (m_mode == Mode::Backup) drawBackup();
    if (m_mode == Mode::Restore) drawRestore();
    const bool running = m_model.status().databaseJobRunning;
    ImGui::BeginDisabled(running);
    if (ImGui::Button(tr("common.close"))) {
        m_mode = Mode::None;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
    ImGui::EndPopup();
}

void DatabaseView::drawBackup() {
    const auto& status = m_model.status();
    ImGui::TextUnformatted(tr("db.backup_title"));
    ImGui::TextWrapped("%s", tr("db.backup_help"));
    ImGui::SetNextItemWidth(-1.f);
    ImGui::InputText("##backup_path", m_path, sizeof m_path);
    ImGui::BeginDisabled(status.databaseJobRunning || m_path[0] == '\0');
    if (ImGui::Button(tr("db.backup_run"))) {
        m_started = true;
        m_model.backupDatabase(m_path);
    }
    ImGui::EndDisabled();
    if (status.databaseJobRunning) {
        ImGui::SameLine();
        ImGui::TextUnformatted(tr("db.working"));
    } else if (m_started && status.lastBackup) {
        if (status.lastBackup->info) {
            const auto& info = *status.lastBackup->info;
            ImGui::TextWrapped("%s", trf("db.backup_done", {info.path, std::to_string(info.codes)}).c_str());
        } else if (status.lastBackup->error) {
            showError(*status.lastBackup->error);
        }
    }
}

void DatabaseView::drawRestore() {
    const auto& status = m_model.status();
    ImGui::TextUnformatted(tr("db.restore_title"));
    ImGui::TextWrapped("%s", tr("db.restore_help"));
    ImGui::SetNextItemWidth(-1.f);
    ImGui::InputText("##restore_path", m_path, sizeof m_path);
    ImGui::BeginDisabled(status.databaseJobRunning || m_path[0] == '\0');
    if (ImGui::Button(tr("db.restore_run"))) {
        m_started = true;
        m_model.restoreDatabase(m_path);
    }
    ImGui::EndDisabled();
    if (status.databaseJobRunning) {
        ImGui::SameLine();
        ImGui::TextUnformatted(tr("db.working"));
    } else if (m_started && status.lastRestore) {
        const auto& last = *status.lastRestore;
        if (last.outcome) {
            ImGui::TextWrapped(
                "%s", trf("db.restore_done", {last.outcome->restored.path, std::to_string(last.outcome->restored.codes),
                                              last.outcome->setAside})
                          .c_str());
            if (last.restartNeeded) ImGui::TextWrapped("%s", tr("db.restore_restart"));
        } else if (last.error) {
            showError(*last.error);
        }
    }
}

}  // namespace app::desktop
