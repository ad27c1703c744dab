// Runs the real pickupdesk under Xvfb in sandbox mode and checks its screenshots are real pictures.
// Built only when xvfb-run exists (tests/CMakeLists.txt). Screenshots stay in the build tree.
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <stb_image.h>

#include <filesystem>
#include <set>

namespace {

struct Shot {
    int width = 0;
    int height = 0;
    size_t colours = 0;
    std::uintmax_t bytes = 0;
};

Shot inspect(const std::string& path) {
    Shot s;
    s.bytes = std::filesystem::file_size(path);
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &s.width, &s.height, &channels, 3);
    REQUIRE(data != nullptr);
    std::set<unsigned> colours;
    const size_t n = static_cast<size_t>(s.width) * static_cast<size_t>(s.height);
    for (size_t i = 0; i < n && colours.size() < 1000; i += 7) {
        colours.insert((unsigned{data[i * 3]} << 16) | (unsigned{data[i * 3 + 1]} << 8) | unsigned{data[i * 3 + 2]});
    }
    s.colours = colours.size();
    stbi_image_free(data);
    return s;
}

void runAndCheck(const std::string& view, const std::string& lang) {
    testsupport::TempDir dir;
    const std::string shot = dir.file("shot.png");
    const auto r = testsupport::runProcess({PD_XVFB_RUN, "-a", "-s", "-screen 0 1280x800x24", PD_PICKUPDESK_PATH,
                                            "--data-dir", dir.path(), "--sandbox", "--no-keychain", "--lang", lang,
                                            "--view", view, "--screenshot", shot, "--frames", "60"},
                                           {}, {}, 60000);
    INFO("stderr: " << r.err);
    REQUIRE(r.exitCode == 0);
    REQUIRE(std::filesystem::exists(shot));
    const Shot s = inspect(shot);
    CHECK(s.width == 1280);
    CHECK(s.height == 800);
    CHECK(s.bytes > 20000);
    CHECK(s.colours > 20);  // text, table stripes, buttons: far from one flat colour
    const auto keep = std::filesystem::path(PD_SCREENSHOT_DIR);
    std::filesystem::create_directories(keep);
    std::filesystem::copy_file(shot, keep / (view + "-" + lang + ".png"),
                               std::filesystem::copy_options::overwrite_existing);
    // The settings file is written on exit with the remembered tab.
    CHECK(std::filesystem::exists(dir.file("settings.json")));
    CHECK(std::filesystem::exists(dir.file("pickupdesk.db")));
}

}  // namespace

TEST_CASE("smoke: pickupdesk --sandbox renders the products view under Xvfb (Chinese UI)") { runAndCheck("products", "zh"); }

TEST_CASE("smoke: pickupdesk --sandbox renders the codes view under Xvfb (English UI)") { runAndCheck("codes", "en"); }
