#include "app/desktop/i18n.hpp"
#include "app/desktop/views.hpp"

#include <imgui.h>

namespace app::desktop {
namespace {

void wrappedDisabled(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
}

}  // namespace

void ProfileView::draw() {
    const auto& status = m_model.status();
    const bool firstRun = status.profileKnown && !status.profile;
    if ((firstRun && !m_sandboxStarted) || m_showForm) {
        ImGui::OpenPopup("##profile");
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 32.f, 0.f), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal("##profile", nullptr, ImGuiWindowFlags_NoTitleBar)) return;
    if (!m_showForm) {
        drawChoice();
    } else {
        drawForm();
    }
    if (status.profile && !m_showForm) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

void ProfileView::drawChoice() {
    ImGui::TextUnformatted(tr("first.title"));
    ImGui::TextWrapped("%s", tr("first.intro"));
    ImGui::Spacing();
    if (ImGui::Button(tr("first.sandbox"), ImVec2(-1.f, 0.f))) {
        m_sandboxStarted = true;
        m_model.start(true, m_simUrl);
        ImGui::CloseCurrentPopup();
    }
    wrappedDisabled(tr("first.sandbox_help"));
    ImGui::Spacing();
    if (ImGui::Button(tr("first.vendor"), ImVec2(-1.f, 0.f))) m_showForm = true;
    wrappedDisabled(tr("first.vendor_help"));
}

ProfileForm ProfileView::formValues() const {
    ProfileForm f;
    f.name = m_name;
    f.baseUrl = m_url;
    f.appId = m_appId;
    f.appSecret = m_appSecret;
    f.signKey = m_signKey;
    f.pushKey = m_pushKey;
    f.signEncoding = m_encoding == 0 ? "raw" : "form";
    f.timezone = m_timezone;
    return f;
}

void ProfileView::drawForm() {
    ImGui::TextUnformatted(tr("profile.title"));
    ImGui::InputText(tr("profile.name"), m_name, sizeof m_name);
    ImGui::InputText(tr("profile.url"), m_url, sizeof m_url);
    ImGui::InputText(tr("profile.appid"), m_appId, sizeof m_appId);
    ImGui::InputText(tr("profile.app_secret"), m_appSecret, sizeof m_appSecret, ImGuiInputTextFlags_Password);
    ImGui::InputText(tr("profile.sign_key"), m_signKey, sizeof m_signKey, ImGuiInputTextFlags_Password);
    ImGui::InputText(tr("profile.push_key"), m_pushKey, sizeof m_pushKey, ImGuiInputTextFlags_Password);
    ImGui::Combo(tr("profile.encoding"), &m_encoding, "raw\0form\0");
    ImGui::InputText(tr("profile.timezone"), m_timezone, sizeof m_timezone);
    wrappedDisabled(tr("profile.secrets_help"));
    const auto& status = m_model.status();
    if (status.secretsInMemoryOnly) {
        ImGui::TextColored(ImVec4(0.95f, 0.7f, 0.2f, 1.f), "%s", tr("status.secrets_memory"));
    }
    if (ImGui::Button(tr("profile.test"))) m_model.backend().testConnection(formValues());
    if (const auto& test = status.connectionTest) {
        ImGui::SameLine();
        ImGui::TextColored(test->ok ? ImVec4(0.3f, 0.8f, 0.4f, 1.f) : ImVec4(0.9f, 0.35f, 0.3f, 1.f), "%s",
                           test->ok ? tr("profile.test_ok") : tr("profile.test_failed"));
        ImGui::TextWrapped("%s", test->detail.c_str());
    }
    if (ImGui::Button(tr("profile.save"))) {
        m_model.backend().saveProfile(formValues());
        m_showForm = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tr("common.cancel"))) {
        m_showForm = false;
        ImGui::CloseCurrentPopup();
    }
}

}  // namespace app::desktop
