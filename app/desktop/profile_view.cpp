#include "app/desktop/i18n.hpp"
#include "app/desktop/views.hpp"

#include "core/net/mqtt_client.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstring>

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

namespace {

template <std::size_t N>
void copyTo(char (&buffer)[N], const std::string& value) {
    const std::size_t n = std::min(N - 1, value.size());
    std::memcpy(buffer, value.data(), n);
    buffer[n] = '\0';
}

}  // namespace

void ProfileView::openForm() {
    const auto& profile = m_model.status().profile;
    m_editing = profile.has_value();
    loadForm(profile ? formFromProfile(*profile) : ProfileForm{});
    if (!profile) copyTo(m_name, "shop");
    m_showForm = true;
}

void ProfileView::loadForm(const ProfileForm& f) {
    copyTo(m_name, f.name);
    copyTo(m_url, f.baseUrl.empty() ? "https://www.awish.vip" : f.baseUrl);
    copyTo(m_appId, f.appId);
    copyTo(m_appSecret, "");
    copyTo(m_signKey, "");
    copyTo(m_pushKey, "");
    copyTo(m_timezone, f.timezone);
    copyTo(m_caFile, f.caFile);
    m_encoding = f.signEncoding == "form" ? 1 : 0;
    copyTo(m_mqttUrl, f.mqttUrl);
    copyTo(m_mqttUser, f.mqttUser);
    copyTo(m_mqttPassword, "");
    copyTo(m_mqttCaFile, f.mqttCaFile);
    copyTo(m_mqttClientCert, f.mqttClientCert);
    copyTo(m_mqttClientKey, f.mqttClientKey);
    copyTo(m_mqttClientId, f.mqttClientId);
    m_mqttVersion = f.mqttVersion == 5 ? 1 : 0;
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
    f.caFile = m_caFile;
    f.mqttUrl = m_mqttUrl;
    f.mqttUser = m_mqttUser;
    f.mqttPassword = m_mqttPassword;
    f.mqttCaFile = m_mqttCaFile;
    f.mqttClientCert = m_mqttClientCert;
    f.mqttClientKey = m_mqttClientKey;
    f.mqttClientId = m_mqttClientId;
    f.mqttVersion = m_mqttVersion == 1 ? 5 : 4;
    return f;
}

namespace {

// Secrets are never shown: when editing, an empty field means "keep the stored one".
void secretField(const char* label, char* buffer, std::size_t size, bool editing) {
    ImGui::InputTextWithHint(label, editing ? tr("profile.secret_unchanged") : "", buffer, size,
                             ImGuiInputTextFlags_Password);
}

}  // namespace

void ProfileView::drawMqttFields() {
    if (!ImGui::CollapsingHeader(tr("profile.mqtt"))) return;
    ImGui::InputTextWithHint(tr("profile.mqtt_url"), "ssl://broker.example.com:8883", m_mqttUrl, sizeof m_mqttUrl);
    ImGui::Combo(tr("profile.mqtt_version"), &m_mqttVersion, "MQTT 3.1.1\0MQTT 5\0");
    ImGui::InputText(tr("profile.mqtt_user"), m_mqttUser, sizeof m_mqttUser);
    secretField(tr("profile.mqtt_password"), m_mqttPassword, sizeof m_mqttPassword, m_editing);
    ImGui::InputText(tr("profile.mqtt_ca_file"), m_mqttCaFile, sizeof m_mqttCaFile);
    ImGui::InputText(tr("profile.mqtt_client_cert"), m_mqttClientCert, sizeof m_mqttClientCert);
    ImGui::InputText(tr("profile.mqtt_client_key"), m_mqttClientKey, sizeof m_mqttClientKey);
    ImGui::InputTextWithHint(tr("profile.mqtt_client_id"), tr("profile.mqtt_client_id_hint"), m_mqttClientId,
                             sizeof m_mqttClientId);
    if (auto warning = core::net::clientIdWarning(m_mqttClientId)) {
        ImGui::PushTextWrapPos(0.f);
        ImGui::TextColored(ImVec4(0.95f, 0.7f, 0.2f, 1.f), "%s", warning->c_str());
        ImGui::PopTextWrapPos();
    }
    wrappedDisabled(tr("profile.tls_help"));
}

void ProfileView::drawForm() {
    ImGui::TextUnformatted(tr("profile.title"));
    if (m_editing) {
        ImGui::BeginDisabled();  // the name is the profile's key (and its keychain entries)
        ImGui::InputText(tr("profile.name"), m_name, sizeof m_name);
        ImGui::EndDisabled();
    } else {
        ImGui::InputText(tr("profile.name"), m_name, sizeof m_name);
    }
    ImGui::InputText(tr("profile.url"), m_url, sizeof m_url);
    ImGui::InputText(tr("profile.appid"), m_appId, sizeof m_appId);
    secretField(tr("profile.app_secret"), m_appSecret, sizeof m_appSecret, m_editing);
    secretField(tr("profile.sign_key"), m_signKey, sizeof m_signKey, m_editing);
    secretField(tr("profile.push_key"), m_pushKey, sizeof m_pushKey, m_editing);
    ImGui::Combo(tr("profile.encoding"), &m_encoding, "raw\0form\0");
    ImGui::InputText(tr("profile.timezone"), m_timezone, sizeof m_timezone);
    ImGui::InputText(tr("profile.ca_file"), m_caFile, sizeof m_caFile);
    drawMqttFields();
    wrappedDisabled(tr("profile.secrets_help"));
    const auto& status = m_model.status();
    if (status.secretsInMemoryOnly) {
        ImGui::TextColored(ImVec4(0.95f, 0.7f, 0.2f, 1.f), "%s", tr("status.secrets_memory"));
    }
    if (ImGui::Button(tr("profile.test"))) m_model.testConnection(formValues());
    if (status.connectionTesting) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tr("profile.testing"));
    } else if (const auto& test = status.connectionTest) {
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
