#pragma once
// The ImGui views. Each is a small state struct (input buffers, popups) plus draw(); all data
// comes from the AppModel's view models, all actions go back through it.
#include "app/desktop/app_model.hpp"
#include "app/desktop/backend.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace app::desktop {

class FontManager;

// Lets views report vendor text for the font's glyph fallback.
void noteGlyphs(std::string_view text);
void setGlyphSink(FontManager* fonts);
bool hasGlyphSink();
// A small filled circle at the cursor (online state).
void statusDot(bool on);

class MachinesView {
public:
    explicit MachinesView(AppModel& model) : m_model(model) {}
    void draw();
    void focusSearch() { m_focusSearch = true; }

private:
    void drawTimezoneEditor(const core::Machine& machine);
    void drawPushInfo(const core::Machine& machine);
    AppModel& m_model;
    char m_search[128] = {};
    char m_zone[64] = {};
    std::string m_zoneFor;
    bool m_focusSearch = false;
};

class ProductsView {
public:
    explicit ProductsView(AppModel& model) : m_model(model) {}
    void draw();

private:
    AppModel& m_model;
};

class CodesView {
public:
    explicit CodesView(AppModel& model) : m_model(model) {}
    void draw();
    void copySelection();
    void askDelete() { m_confirmDelete = true; }

private:
    void drawToolbar();
    void drawTable();
    void drawDeleteConfirm();
    void noteProductGlyphs();
    AppModel& m_model;
    char m_prefix[16] = {};
    bool m_confirmDelete = false;
    const void* m_notedProducts = nullptr;  // the product list whose names the font was asked for
    std::size_t m_notedProductCount = 0;
};

class GenerateView {
public:
    explicit GenerateView(AppModel& model) : m_model(model) {}
    void draw();

private:
    void drawForm();
    void drawRun();
    AppModel& m_model;
    char m_expires[32] = {};
    bool m_popupOpen = false;
};

// First run (no profile): Sandbox or Vendor cloud; also File > Profile.
class ProfileView {
public:
    ProfileView(AppModel& model, std::string simUrl) : m_model(model), m_simUrl(std::move(simUrl)) {}
    void draw();
    void openForm();  // edits the active profile when there is one, else a new one

private:
    void drawChoice();
    void drawForm();
    void drawMqttFields();
    void loadForm(const ProfileForm& form);
    ProfileForm formValues() const;
    AppModel& m_model;
    std::string m_simUrl;
    bool m_showForm = false;
    bool m_sandboxStarted = false;
    bool m_editing = false;  // secrets left empty keep their stored values
    char m_name[64] = "shop";
    char m_url[256] = "https://www.awish.vip";
    char m_appId[128] = {};
    char m_appSecret[256] = {};
    char m_signKey[256] = {};
    char m_pushKey[256] = {};
    char m_timezone[64] = "Asia/Shanghai";
    char m_caFile[512] = {};
    int m_encoding = 0;
    char m_mqttUrl[256] = {};
    char m_mqttUser[128] = {};
    char m_mqttPassword[256] = {};
    char m_mqttCaFile[512] = {};
    char m_mqttClientCert[512] = {};
    char m_mqttClientKey[512] = {};
    char m_mqttClientId[128] = {};
    int m_mqttVersion = 0;  // 0 = 3.1.1, 1 = 5
};

// Pushes tab: live stored pushes, filters, detail pane (pushes_view.cpp).
class PushesView {
public:
    explicit PushesView(AppModel& model) : m_model(model) {}
    void draw();

private:
    void drawToolbar();
    void drawTable(float width);
    void drawDetail();
    void drawExportPopup();
    AppModel& m_model;
    char m_search[128] = {};
    char m_exportPath[512] = {};
    int m_exportFormat = 0;  // 0 = JSON lines, 1 = CSV
};

// Export/Print dialog (export_view.cpp); owns the preview textures.
class ExportView {
public:
    explicit ExportView(AppModel& model) : m_model(model) {}
    ~ExportView();
    ExportView(const ExportView&) = delete;
    ExportView& operator=(const ExportView&) = delete;
    void draw();

private:
    void drawOptions();
    void drawPreview();
    void drawActions();
    void uploadPreview();
    AppModel& m_model;
    bool m_popupOpen = false;
    char m_path[512] = {};
    std::vector<unsigned> m_textures;
    std::uint64_t m_textureGeneration = 0;
};

// A coloured label for a push's verification result.
void verificationBadge(core::protocol::Verification verification);

// The Requests tab: generation requests and reconciling them with the vendor.
void drawRequestsTab(AppModel& model);

}  // namespace app::desktop
