#pragma once
#include "app/desktop/event_inbox.hpp"
// Typed results that workers post to the UI thread. The UI drains the queue once per frame
// (swap under the mutex, apply unlocked); posting wakes an idle UI through the waker.
#include "core/domain/types.hpp"
#include "core/export/exporter.hpp"
#include "core/export/printing.hpp"
#include "core/export/sheet.hpp"
#include "core/net/mqtt_client.hpp"
#include "core/protocol/push_message.hpp"
#include "core/services/code_service.hpp"
#include "core/store/backup.hpp"
#include "core/store/export_audit.hpp"
#include "core/store/push_store.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace app::desktop {

// What a failed job was doing, so the UI can word the error.
struct JobFailed {
    std::string what;  // i18n key of the action, e.g. "action.sync_machines"
    core::Error error;
};

struct ProfileLoaded {
    std::optional<core::Profile> profile;  // nullopt: first run
    bool secretsInMemoryOnly = false;
    std::string secretsNote;  // why, when in memory only (never holds a secret)
};

struct ConnectionTested {
    bool ok = false;
    std::string detail;  // the vendor's ping reply or the error message
};

struct NetworkState {
    bool ok = false;
    std::string detail;
};

struct MachinesLoaded {
    std::vector<core::Machine> machines;
};

// What the store already holds, read at start beside the service worker's checks and sync
// (Backend::loadLocalView): the profile that will be used and its machines. Nothing when the
// store cannot be read (the service worker reports that).
struct LocalViewLoaded {
    std::optional<core::Profile> profile;
    std::vector<core::Machine> machines;
};

struct ProductRow {
    core::Product product;
    std::int64_t unused = 0;
    std::int64_t used = 0;
    std::int64_t expired = 0;
};

struct ProductsLoaded {
    std::string machineNo;
    std::string timezone;  // the machine's effective zone
    std::vector<ProductRow> rows;
    bool codesChanged = false;  // a sync from the vendor added or changed the machine's stored codes
};

struct TimezoneSaved {
    std::string machineNo;
    std::string timezone;
};

struct CodesCounted {
    std::uint64_t generation = 0;
    std::int64_t total = 0;
    bool firstPageFollows = false;  // the worker sends the first page unasked (it is in flight)
};

struct CodesPage {
    std::uint64_t generation = 0;
    int offset = 0;
    std::vector<core::PickupCode> codes;
};

struct CodesDeleted {
    std::string machineNo;
    int deleted = 0;
    std::optional<core::Error> error;  // set when some deletes failed
};

struct GenerateProgressed {
    std::uint64_t job = 0;
    std::string step;
    int done = 0;
    int total = 0;
};

struct GenerateFinished {
    std::uint64_t job = 0;
    bool cancelled = false;
    std::optional<core::services::GenerateResult> result;
    std::optional<core::Error> error;
};

struct Reconciled {
    std::string machineNo;
    std::vector<core::services::ReconcileItem> items;
    std::optional<core::Error> error;
};

// ---- Pushes (MQTT -> ingest -> store; the console samples the store) ----

struct MqttStatus {
    bool configured = true;  // false: no broker URL anywhere (the view says what to set)
    core::net::MqttState state = core::net::MqttState::Disconnected;
    std::string broker;      // the URL (never credentials)
    std::string lastError;
};

// The ingest writer committed new events; at most one is queued until the UI asks for them.
struct PushesArrived {};

// One stored push, decoded again on the query worker so the UI thread only draws.
struct PushRow {
    std::int64_t id = 0;
    std::int64_t receivedMs = 0;
    std::string topic;
    std::string machineNo;
    std::string method;
    std::string labelEn, labelZh;      // method label (the raw method when unknown)
    core::protocol::Verification verification = core::protocol::Verification::Undecodable;
    std::string summaryEn, summaryZh;
    std::string applied;               // no | yes | pending | skipped
    std::string payload;               // as received (Base64 for the vendor)
    std::string decodedJson;           // the decoded object as stored: compact JSON ("" when undecodable)
    std::string decodeError;
    std::vector<std::string> notes;
};

// The push console's export finished (backend_pushes.cpp).
struct PushesExported {
    std::string path;
    int count = 0;
    std::optional<core::Error> error;
};

struct PushesLoaded {
    std::uint64_t generation = 0;
    bool newestWindow = false;  // the first load (the newest rows, oldest first)
    bool more = false;          // a full batch: ask again
    std::vector<PushRow> rows;
};

struct MachinePushInfo {
    std::string machineNo;
    std::optional<std::int64_t> lastPushMs;
    std::optional<core::store::TzWarning> tzWarning;
};

// ---- Export / print ----

struct TemplatesLoaded {
    std::vector<core::exporter::SheetTemplate> templates;
    std::vector<core::exporter::PrinterInfo> printers;
    std::string printersError;  // why the list is empty (no CUPS, no printer)
};

// The calibration offsets saved for (printer, template): loaded when either changes, or just saved.
struct CalibrationLoaded {
    std::string printer;  // the calibration key: a queue name, or core::exporter::kFilePrinter
    std::string templateName;
    core::exporter::Offset offset;
    bool saved = false;   // the answer to a save, not a load
    std::optional<core::Error> error;
};

struct ExportPreviewed {
    std::uint64_t generation = 0;
    std::int64_t labels = 0;
    int pages = 0;
    std::vector<core::exporter::RgbaImage> images;  // the first pages
    std::optional<core::Error> error;
};

struct ExportProgressed {
    std::uint64_t job = 0;
    core::exporter::ExportProgress progress;
};

struct ExportFinished {
    std::uint64_t job = 0;
    bool printed = false;
    bool cancelled = false;
    std::vector<std::string> files;
    std::string printer;
    std::int64_t labels = 0;
    int pages = 0;
    std::optional<core::Error> error;
};

struct PrintedLoaded {
    std::uint64_t generation = 0;
    std::map<std::int64_t, core::store::PrintedState> states;  // code id -> state (this machine)
};

// ---- File > Back up / Restore (backend_database.cpp) ----

struct DatabaseBackedUp {
    std::optional<core::store::DatabaseFileInfo> info;
    std::optional<core::Error> error;
};

struct DatabaseRestored {
    std::optional<core::store::RestoreOutcome> outcome;
    std::optional<core::Error> error;
    bool restartNeeded = false;  // the damaged file was replaced on disk: start Pickup Desk again
};

using UiEvent = std::variant<JobFailed, ProfileLoaded, ConnectionTested, NetworkState, MachinesLoaded, LocalViewLoaded, ProductsLoaded,
                             TimezoneSaved, CodesCounted, CodesPage, CodesDeleted, GenerateProgressed,
                             GenerateFinished, Reconciled, MqttStatus, PushesArrived, PushesLoaded, PushesExported, MachinePushInfo,
                             TemplatesLoaded, CalibrationLoaded, ExportPreviewed, ExportProgressed, ExportFinished, PrintedLoaded,
                             DatabaseBackedUp, DatabaseRestored>;

using UiEventQueue = EventInbox<UiEvent>;

}  // namespace app::desktop
