// `pickupctl printers` and `pickupctl print` against a real, private CUPS scheduler (tests/support/cupsd):
// the job that reaches the printer is the label PDF with the copies asked for; a queue that rejects
// jobs is a clear error.
#include "tests/integration/cli_fixture.hpp"
#include "tests/support/cupsd.hpp"

using testsupport::CliFixture;

namespace {
constexpr const char* kShanghai = "16327138";
}  // namespace

TEST_CASE("cli: printers and print through CUPS: the PDF, copies, refusals") {
    testsupport::Cupsd cups;
    cups.addCapturePrinter("pd-labels", true);
    cups.addCapturePrinter("pd-closed", false);
    cups.rejectJobs("pd-closed");
    CliFixture f;
    f.env()["CUPS_SERVER"] = cups.server();

    const auto printers = f.json({"printers"});
    REQUIRE(printers.size() == 2);
    for (const auto& p : printers) {
        CHECK(p["default"] == (p["name"] == "pd-labels"));
        CHECK(p["accepting"] == (p["name"] == "pd-labels"));
    }

    REQUIRE(f.run({"generate", kShanghai, "--product", "20001", "--count", "3"}).exitCode == 0);
    const auto printed = f.json({"print", kShanghai, "--template", "roll-58", "--copies", "2"});
    INFO(printed.dump() << cups.log());
    CHECK(printed["printer"] == "pd-labels");
    CHECK(printed["job_id"].get<int>() > 0);
    CHECK(printed["codes"].get<int>() >= 3);
    CHECK(printed["pages"] == printed["codes"]);  // a roll: one label a page
    const std::string job = cups.waitForJob("pd-labels");
    REQUIRE(job.rfind("%PDF-", 0) == 0);
    CHECK(cups.capturedCopies("pd-labels") == 2);

    const auto refused = f.run({"print", kShanghai, "--printer", "pd-closed"});
    CHECK(refused.exitCode != 0);
    CHECK(refused.err.find("not accepting jobs") != std::string::npos);
}
