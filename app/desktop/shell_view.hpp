#pragma once
// The main window's frame: menu bar (with shortcuts), machines panel, tabs, status bar, error
// popup. Owns the feature views.
#include "app/desktop/database_view.hpp"
#include "app/desktop/settings.hpp"
#include "app/desktop/views.hpp"

#include <functional>
#include <string>

namespace app::desktop {

class ShellView {
public:
    ShellView(AppModel& model, Settings& settings, std::string simUrl);
    void draw();
    // The UI asked for another language ("en"/"zh"); the window applies it between frames.
    std::function<void(const std::string&)> onLanguage;
    std::function<void()> onQuit;
    void showTab(const std::string& tab) { m_forceTab = tab; }

private:
    void drawMenu();
    void drawTabs();
    void drawStatusBar(float height);
    void drawErrors();
    void handleShortcuts();
    AppModel& m_model;
    Settings& m_settings;
    MachinesView m_machines;
    ProductsView m_products;
    CodesView m_codes;
    GenerateView m_generate;
    PushesView m_pushes;
    ExportView m_export;
    ProfileView m_profile;
    DatabaseView m_database;
    std::string m_forceTab;
    bool m_showAbout = false;
};

}  // namespace app::desktop
