#include "pd_test_paths.hpp"
#include "app/desktop/codes_view_model.hpp"
#include "app/desktop/i18n.hpp"
#include "app/desktop/settings.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>

using namespace app::desktop;

TEST_CASE("i18n: both catalogues load, have the same keys and Chinese text") {
    I18n en;
    I18n zh;
    std::string error;
    REQUIRE(en.load(PD_I18N_DIR, "en", error));
    REQUIRE(zh.load(PD_I18N_DIR, "zh", error));
    CHECK(std::string(en.tr("menu.file")) == "File");
    CHECK(std::string(zh.tr("menu.file")) == "文件");
    std::ifstream a(std::string(PD_I18N_DIR) + "/en.json");
    std::ifstream b(std::string(PD_I18N_DIR) + "/zh.json");
    const auto ja = nlohmann::json::parse(a);
    const auto jb = nlohmann::json::parse(b);
    for (const auto& [key, value] : ja.items()) {
        INFO(key);
        CHECK(jb.contains(key));
    }
    CHECK(ja.size() == jb.size());
}

TEST_CASE("i18n: unknown keys fall back to English, then the key; trf fills slots in order or by position") {
    testsupport::TempDir dir;
    std::ofstream(dir.file("en.json")) << R"({"a":"A {} and {}","b":"only en","pos":"{0} then {1}"})";
    std::ofstream(dir.file("zh.json")) << R"({"a":"甲 {} 和 {}","pos":"{1} 之后 {0}"})";
    I18n zh;
    std::string error;
    REQUIRE(zh.load(dir.path(), "zh", error));
    CHECK(std::string(zh.tr("b")) == "only en");
    CHECK(std::string(zh.tr("missing.key")) == "missing.key");
    setActiveCatalog(&zh);
    CHECK(trf("a", {"1", "2"}) == "甲 1 和 2");
    CHECK(trf("pos", {"x", "y"}) == "y 之后 x");
    setActiveCatalog(nullptr);
    I18n bad;
    std::ofstream(dir.file("en.json")) << "not json";
    CHECK_FALSE(bad.load(dir.path(), "en", error));
    CHECK(error.find("not a JSON object") != std::string::npos);
}

TEST_CASE("settings: round trip, and a missing or broken file gives defaults") {
    testsupport::TempDir dir;
    Settings s;
    s.lang = "zh";
    s.lastMachine = "20240601";
    s.lastTab = "codes";
    s.codesTimeMode = "utc";
    s.codesSort = "created";
    s.codesDescending = true;
    s.windowWidth = 1500;
    s.windowHeight = 900;
    s.fontGlyphs = "爵勋";
    REQUIRE(s.save(dir.file("settings.json")));
    const Settings back = Settings::load(dir.file("settings.json"));
    CHECK(back.lang == "zh");
    CHECK(back.lastMachine == "20240601");
    CHECK(back.lastTab == "codes");
    CHECK(back.codesTimeMode == "utc");
    CHECK(back.codesSort == "created");
    CHECK(back.codesDescending);
    CHECK(back.windowWidth == 1500);
    CHECK(back.windowHeight == 900);
    CHECK(back.fontGlyphs == "爵勋");
    CHECK(Settings::load(dir.file("none.json")).lang == "en");
    std::ofstream(dir.file("bad.json")) << R"({"lang":"fr","window_width":5})";
    const Settings bad = Settings::load(dir.file("bad.json"));
    CHECK(bad.lang == "en");
    CHECK(bad.windowWidth == 1280);
    CHECK(bad.codesSort == "expires");  // the codes table's default: expiry ascending
    // Values of the wrong type are ignored one by one (json::value would throw on them).
    std::ofstream(dir.file("types.json"))
        << R"({"lang":5,"last_machine":"16327138","window_width":"wide","codes_descending":"yes","font_glyphs":[1]})";
    const Settings typed = Settings::load(dir.file("types.json"));
    CHECK(typed.lang == "en");
    CHECK(typed.lastMachine == "16327138");
    CHECK(typed.windowWidth == 1280);
    CHECK_FALSE(typed.codesDescending);
    CHECK(typed.fontGlyphs.empty());
}

TEST_CASE("settings: every codes sort has a name that reads back; time modes too") {
    using core::store::CodeSort;
    for (const auto sort : {CodeSort::Code, CodeSort::Id, CodeSort::ProductId, CodeSort::Status, CodeSort::ExpiresUtc,
                            CodeSort::CreatedUtc, CodeSort::MachineNo}) {
        CHECK(parseCodeSort(codeSortName(sort)) == sort);
    }
    CHECK(std::string(codeSortName(CodeSort::ExpiresUtc)) == "expires");
    CHECK_FALSE(parseCodeSort("price").has_value());
    for (const auto mode : {TimeMode::Machine, TimeMode::Utc, TimeMode::Local}) CHECK(parseTimeMode(timeModeName(mode)) == mode);
}
