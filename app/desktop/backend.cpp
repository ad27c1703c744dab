#include "app/desktop/backend.hpp"

#include "app/desktop/backend_env.hpp"
#include "app/desktop/secret_fallback.hpp"
#include "app/desktop/sim_process.hpp"
#include "core/api/open_api_client.hpp"
#include "core/services/connection_test.hpp"
#include "core/tz/machine_time.hpp"

#include <algorithm>
#include <optional>
#include <thread>
#include <unordered_map>

namespace app::desktop {

using core::ErrorCode;
using core::makeError;

Backend::Backend(BackendConfig config, std::shared_ptr<UiEventQueue> events)
    : m_config(std::move(config)), m_events(std::move(events)) {}

Backend::~Backend() {
    m_export.stop();
    m_query.stop();
    m_service.stop();
}

namespace {

constexpr const char* kSandboxProfile = "sandbox";  // startSandbox's profile

// The app's writer connection checks the file first (a damaged one is reported, never recreated).
// The check reads every page (~0.3 s of CPU per 1,000,000 codes), on a thread of its own at
// background priority: the window and the query worker's first screen, which do not wait for it,
// get the CPU first. The service worker waits for it (a thread's priority cannot be raised back).
core::Result<std::unique_ptr<core::store::Store>> openChecked(const std::string& dbPath) {
    std::optional<core::Result<std::unique_ptr<core::store::Store>>> opened;
    std::thread([&] {
        (void)lowerThreadPriority();  // best effort
        core::store::StoreOpenOptions checked;
        checked.quickCheck = true;
        opened.emplace(core::store::Store::open(dbPath, checked));
    }).join();
    return std::move(*opened);
}

}  // namespace

Backend::ServiceEnv& Backend::service() {
    if (m_env) return *m_env;
    m_env = std::make_unique<ServiceEnv>();
    auto store = [this] {
        std::lock_guard lock(m_openMutex);
        return openChecked(m_config.dbPath);
    }();
    if (store) {
        m_env->store = std::move(*store);
    } else {
        m_env->openError = store.error();
    }
    auto fallback = std::make_unique<FallbackSecretStore>(
        m_config.useKeychain ? core::secrets::makeSystemKeychain() : nullptr);
    m_env->secretStore = fallback.get();
    m_env->secrets = std::make_unique<core::secrets::SecretResolver>(std::move(fallback));
    if (m_env->store) {
        m_env->profiles = std::make_unique<core::services::ProfileService>(*m_env->store, *m_env->secrets);
    }
    return *m_env;
}

// Read-only: the query worker never creates, configures or migrates a file the service worker
// opens (and checks) at the same time. Only when there is nothing current to read yet (a new file,
// or one to migrate) does it open the file as the service worker does, one opener at a time.
core::store::Store* Backend::queryStore() {
    if (m_queryStore) return m_queryStore.get();
    auto store = core::store::Store::openReader(m_config.dbPath);
    if (!store) {
        std::lock_guard lock(m_openMutex);
        store = core::store::Store::openReader(m_config.dbPath);  // the service worker may just have made it current
        if (!store) store = openChecked(m_config.dbPath);
        if (!store) {
            postFailure("action.open_store", store.error());
            return nullptr;
        }
    }
    m_queryStore = std::move(*store);
    if (m_config.frameGate) m_queryStore->setYieldHook([gate = m_config.frameGate] { (void)gate->wait(); });
    return m_queryStore.get();
}

void Backend::postFailure(const std::string& what, const core::Error& error) {
    m_events->post(JobFailed{what, error});
}

void Backend::postNetwork(const core::Error* error) {
    if (error == nullptr) {
        m_events->post(NetworkState{true, {}});
        return;
    }
    const bool network = error->code == ErrorCode::Network || error->code == ErrorCode::Timeout ||
                         error->code == ErrorCode::Http || error->code == ErrorCode::OutcomeUnknown;
    if (network) m_events->post(NetworkState{false, error->message});
}

core::Result<core::services::CodeService*> Backend::codes() {
    ServiceEnv& env = service();
    if (!env.store) return env.openError;
    if (env.codes) return env.codes.get();
    auto profile = env.profiles->current(std::nullopt);
    if (!profile) return profile.error();
    auto config = env.profiles->clientConfig(*profile);
    if (!config) return config.error();
    env.profile = *profile;
    env.api = std::make_unique<core::api::OpenApiClient>(std::move(*config));
    env.codes = std::make_unique<core::services::CodeService>(*env.store, *env.api, *profile);
    return env.codes.get();
}

void Backend::loadProfile() {
    m_service.post([this] {
        ServiceEnv& env = service();
        if (!env.store) return postFailure("action.open_store", env.openError);
        auto active = env.store->activeProfile();
        if (!active) return postFailure("action.load_profile", active.error());
        ProfileLoaded loaded;
        loaded.profile = *active;
        loaded.secretsInMemoryOnly = env.secretStore->inMemoryOnly();
        loaded.secretsNote = env.secretStore->reason();
        m_events->post(std::move(loaded));
    });
}

void Backend::startSandbox(const std::string& simUrl) {
    m_service.post([this, simUrl] {
        ServiceEnv& env = service();
        if (!env.store) return postFailure("action.open_store", env.openError);
        std::string url = simUrl;
        if (url.empty()) {
            env.sim = std::make_unique<SimProcess>();
            if (auto ok = env.sim->start(SimProcess::locate(), m_config.workDir, m_config.sandboxMqttUrl); !ok) {
                return postFailure("action.start_sandbox", ok.error());
            }
            url = env.sim->url();
        }
        core::services::ProfileInput input;
        input.name = kSandboxProfile;
        input.baseUrl = url;
        input.appId = "sandbox-appid";
        input.appSecret = "sandbox-secret";
        input.signKey = "sandbox-sign-key";
        auto profile = env.profiles->add(input);
        if (!profile) return postFailure("action.start_sandbox", profile.error());
        env.codes.reset();
        env.api.reset();
        m_events->post(ProfileLoaded{*profile, env.secretStore->inMemoryOnly(), env.secretStore->reason()});
    });
}

namespace {

core::services::ProfileInput profileInput(const ProfileForm& form) {
    core::services::ProfileInput input;
    input.name = form.name;
    input.baseUrl = form.baseUrl;
    input.appId = form.appId;
    input.signEncoding = form.signEncoding;
    input.defaultTimezone = form.timezone;
    input.caFile = form.caFile;
    if (!form.appSecret.empty()) input.appSecret = form.appSecret;
    if (!form.signKey.empty()) input.signKey = form.signKey;
    if (!form.pushKey.empty()) input.pushKey = form.pushKey;
    input.mqttUrl = form.mqttUrl;
    input.mqttUser = form.mqttUser;
    input.mqttVersion = form.mqttVersion == 5 ? 5 : 4;
    input.mqttCaFile = form.mqttCaFile;
    input.mqttClientCert = form.mqttClientCert;
    input.mqttClientKey = form.mqttClientKey;
    input.mqttClientId = form.mqttClientId;
    if (!form.mqttPassword.empty()) input.mqttPassword = form.mqttPassword;
    return input;
}

std::string storedSecret(core::secrets::SecretResolver* secrets, const std::string& profile,
                         core::secrets::SecretKind kind) {
    if (!secrets) return {};
    auto value = secrets->lookup(profile, kind);
    return value && value->has_value() ? **value : std::string();
}

// The form's values; a secret left empty (unchanged) comes from the keychain entry of the same profile.
core::api::ClientConfig formApiConfig(const ProfileForm& form, core::secrets::SecretResolver* secrets) {
    using core::secrets::SecretKind;
    core::api::ClientConfig config;
    config.baseUrl = form.baseUrl;
    config.appId = form.appId;
    config.caFile = form.caFile;
    config.appSecret = form.appSecret.empty() ? storedSecret(secrets, form.name, SecretKind::AppSecret) : form.appSecret;
    config.signKey = form.signKey.empty() ? storedSecret(secrets, form.name, SecretKind::SignKey) : form.signKey;
    config.encoding = core::sign::parseEncoding(form.signEncoding).value_or(core::sign::Encoding::Raw);
    return config;
}

std::optional<core::net::MqttConfig> formMqttConfig(const ProfileForm& form, core::secrets::SecretResolver* secrets) {
    if (form.mqttUrl.empty()) return std::nullopt;
    core::net::MqttConfig config;
    config.serverUri = form.mqttUrl;
    config.username = form.mqttUser;
    config.password = form.mqttPassword.empty() && !form.mqttUser.empty()
                          ? storedSecret(secrets, form.name, core::secrets::SecretKind::MqttPassword)
                          : form.mqttPassword;
    config.mqttVersion = form.mqttVersion == 5 ? 5 : 4;
    config.caFile = form.mqttCaFile;
    config.clientCert = form.mqttClientCert;
    config.clientKey = form.mqttClientKey;
    config.clientId = form.mqttClientId;
    return config;
}

}  // namespace

ProfileForm formFromProfile(const core::Profile& profile) {
    ProfileForm f;
    f.name = profile.name;
    f.baseUrl = profile.baseUrl;
    f.appId = profile.appId;
    f.signEncoding = profile.signEncoding;
    f.timezone = profile.defaultTimezone;
    f.caFile = profile.caFile;
    f.mqttUrl = profile.mqttUrl;
    f.mqttUser = profile.mqttUser;
    f.mqttVersion = profile.mqttVersion;
    f.mqttCaFile = profile.mqttCaFile;
    f.mqttClientCert = profile.mqttClientCert;
    f.mqttClientKey = profile.mqttClientKey;
    f.mqttClientId = profile.mqttClientId;
    return f;
}

void Backend::saveProfile(const ProfileForm& form) {
    m_service.post([this, form] {
        ServiceEnv& env = service();
        if (!env.store) return postFailure("action.open_store", env.openError);
        auto profile = env.profiles->add(profileInput(form));
        if (!profile) return postFailure("action.save_profile", profile.error());
        env.codes.reset();
        env.api.reset();
        m_events->post(ProfileLoaded{*profile, env.secretStore->inMemoryOnly(), env.secretStore->reason()});
    });
}

void Backend::testConnection(const ProfileForm& form) {
    m_service.post([this, form] {
        ServiceEnv& env = service();
        const auto report = core::services::testConnection(formApiConfig(form, env.secrets.get()),
                                                           formMqttConfig(form, env.secrets.get()));
        ConnectionTested tested;
        tested.ok = report.ok();
        tested.detail = "HTTP: " + report.http.detail;
        if (report.mqtt) tested.detail += "\nMQTT: " + report.mqtt->detail;
        if (report.clientIdWarning) tested.detail += "\n" + *report.clientIdWarning;
        m_events->post(tested);
    });
}

void Backend::syncMachines() {
    m_service.post([this] {
        auto svc = codes();
        if (!svc) return postFailure("action.sync_machines", svc.error());
        ServiceEnv& env = service();
        const std::int64_t profileId = env.profile ? env.profile->id : 0;
        if (auto local = env.store->listMachines(profileId); local && !local->empty()) {
            m_events->post(MachinesLoaded{*local});
        }
        auto fresh = (*svc)->syncMachines();
        postNetwork(fresh ? nullptr : &fresh.error());
        if (!fresh) return postFailure("action.sync_machines", fresh.error());
        auto stored = env.store->listMachines(profileId);
        if (!stored) return postFailure("action.sync_machines", stored.error());
        m_events->post(MachinesLoaded{*stored});
    });
}

void Backend::postProducts(core::store::Store& store, const std::string& machineNo, bool codesChanged) {
    auto products = store.listProducts(machineNo);
    if (!products) return postFailure("action.load_products", products.error());
    ProductsLoaded loaded;
    loaded.machineNo = machineNo;
    loaded.codesChanged = codesChanged;
    auto counts = store.codeCountsByProduct(machineNo, core::tz::nowUtc());
    if (!counts) return postFailure("action.load_products", counts.error());
    for (auto& p : *products) {
        ProductRow row;
        const auto it = std::find_if(counts->begin(), counts->end(),
                                     [&](const core::store::ProductCodeCounts& c) { return c.productId == p.id; });
        if (it != counts->end()) {
            row.unused = it->unused;
            row.used = it->used;
            row.expired = it->expired;
        }
        row.product = std::move(p);
        loaded.rows.push_back(std::move(row));
    }
    if (auto machine = store.machine(machineNo); machine) loaded.timezone = machine->timezone;
    m_events->post(std::move(loaded));
}

void Backend::syncProducts(const std::string& machineNo) {
    m_service.post([this, machineNo] {
        auto svc = codes();
        if (!svc) return postFailure("action.sync_products", svc.error());
        auto fresh = (*svc)->syncProducts(machineNo);
        postNetwork(fresh ? nullptr : &fresh.error());
        if (!fresh) return postFailure("action.sync_products", fresh.error());
        auto refreshed = (*svc)->refreshCodes(machineNo);
        if (!refreshed) postFailure("action.refresh_codes", refreshed.error());
        postProductsFromReader(machineNo, refreshed && refreshed->added + refreshed->changed > 0);
    });
}

void Backend::setTimezone(const std::string& machineNo, const std::string& zone) {
    m_service.post([this, machineNo, zone] {
        auto svc = codes();
        if (!svc) return postFailure("action.set_timezone", svc.error());
        if (auto ok = (*svc)->setMachineTimezone(machineNo, zone); !ok) {
            return postFailure("action.set_timezone", ok.error());
        }
        m_events->post(TimezoneSaved{machineNo, zone});
    });
}

void Backend::generate(std::uint64_t job, const core::services::GenerateOptions& options,
                       std::shared_ptr<std::atomic<bool>> cancel) {
    m_service.post([this, job, options, cancel] {
        GenerateFinished finished;
        finished.job = job;
        if (cancel && cancel->load()) {
            finished.cancelled = true;
            return m_events->post(std::move(finished));
        }
        auto svc = codes();
        if (!svc) {
            finished.error = svc.error();
            return m_events->post(std::move(finished));
        }
        auto progress = [this, job](std::string_view step, int done, int total) {
            m_events->post(GenerateProgressed{job, std::string(step), done, total});
        };
        core::services::GenerateOptions run = options;
        run.cancel = cancel.get();
        const auto pushes = generatePushSource();
        (*svc)->setCreatePushSource(pushes.get());
        auto result = (*svc)->generate(run, progress);
        (*svc)->setCreatePushSource(nullptr);
        if (!result && result.error().code == ErrorCode::Cancelled) {
            finished.cancelled = true;
            return m_events->post(std::move(finished));
        }
        postNetwork(result ? nullptr : &result.error());
        if (result) {
            finished.result = std::move(*result);
        } else {
            finished.error = result.error();
        }
        m_events->post(std::move(finished));
    });
}

void Backend::reconcile(const std::string& machineNo) {
    m_service.post([this, machineNo] {
        Reconciled out;
        out.machineNo = machineNo;
        auto svc = codes();
        if (!svc) {
            out.error = svc.error();
            return m_events->post(std::move(out));
        }
        auto items = (*svc)->reconcile(machineNo);
        postNetwork(items ? nullptr : &items.error());
        if (items) {
            out.items = std::move(*items);
        } else {
            out.error = items.error();
        }
        m_events->post(std::move(out));
    });
}

void Backend::deleteCodes(const std::string& machineNo, const std::vector<std::int64_t>& ids) {
    m_service.post([this, machineNo, ids] {
        CodesDeleted out;
        out.machineNo = machineNo;
        auto svc = codes();
        if (!svc) {
            out.error = svc.error();
            return m_events->post(std::move(out));
        }
        for (const auto id : ids) {
            auto ok = (*svc)->deleteCode(machineNo, id);
            if (!ok) {
                out.error = ok.error();  // stop at the first failure: the rest are untouched
                break;
            }
            ++out.deleted;
        }
        postNetwork(out.error ? &*out.error : nullptr);
        m_events->post(std::move(out));
    });
}

void Backend::loadProducts(const std::string& machineNo) {
    postProductsFromReader(machineNo, false);
}

// Product rows and their code counts are reads: the query worker's connection does them, also
// after a sync (the writer's 64 MiB cache made the counts ~3x dearer, and kept the service worker
// from its next write).
void Backend::postProductsFromReader(const std::string& machineNo, bool codesChanged) {
    m_query.post([this, machineNo, codesChanged] {
        if (auto* store = queryStore()) postProducts(*store, machineNo, codesChanged);
    });
}

void Backend::loadLocalView(bool sandbox) {
    m_query.post([this, sandbox] {
        LocalViewLoaded view;
        // Only what can be read as it is: a new file or one to migrate shows nothing early.
        if (!m_queryStore) {
            if (auto reader = core::store::Store::openReader(m_config.dbPath)) m_queryStore = std::move(*reader);
        }
        if (auto* store = m_queryStore.get()) {
            if (sandbox) {
                if (auto profile = store->profileByName(kSandboxProfile)) view.profile = std::move(*profile);
            } else if (auto active = store->activeProfile(); active && *active) {
                view.profile = std::move(**active);
            }
            if (view.profile) {
                if (auto machines = store->listMachines(view.profile->id)) view.machines = std::move(*machines);
            }
        }
        m_events->post(std::move(view));  // errors are the service worker's to report, after its check
    });
}

void Backend::countCodes(std::uint64_t generation, const core::store::CodeFilter& filter, int firstPage) {
    m_codesGeneration = generation;
    m_query.post([this, generation, filter, firstPage] {
        if (generation < m_codesGeneration) return;  // a newer filter follows in the queue
        auto* store = queryStore();
        if (store == nullptr) return;
        // The count and the first page are one index scan each (~0.05 s and ~0.12 s at 1,000,000
        // codes). Sorting every id (~0.8 s) waits until a later page is wanted: most views (the top
        // of the table, a refresh while another tab is open) never need it.
        auto total = store->countCodes(filter);
        if (!total) return postFailure("action.query_codes", total.error());
        m_counted = CodeCount{generation, *total};
        const bool paged = firstPage > 0 && *total > 0;
        m_events->post(CodesCounted{generation, *total, paged});
        if (!paged) return;
        core::store::CodeFilter first = filter;
        first.offset = 0;
        first.limit = firstPage;
        auto codes = store->queryCodes(first);
        if (!codes) return postFailure("action.query_codes", codes.error());
        m_events->post(CodesPage{generation, 0, std::move(*codes)});
    });
}

bool Backend::buildIdWindow(core::store::Store& store, std::uint64_t generation, core::store::CodeFilter filter) {
    filter.offset = 0;
    filter.limit = 0;
    // The last window's storage, sized for the count: no regrowth and no fresh pages to fault in while
    // frames are drawn (the filter script sorts again every 20 frames).
    std::vector<std::int64_t> buffer = std::move(m_codeIds.ids);
    m_codeIds = CodeIdWindow{};
    constexpr std::size_t kSlack = 1024;  // codes pushes may add after the count
    if (m_counted.generation == generation) buffer.reserve(static_cast<std::size_t>(m_counted.total) + kSlack);
    auto ids = store.queryCodeIds(filter, std::move(buffer));
    if (!ids) {
        postFailure("action.query_codes", ids.error());
        return false;
    }
    m_codeIds = CodeIdWindow{generation, std::move(*ids)};
    // Pushes added or removed codes since the count: the pages follow the ids, and so does the total.
    const auto total = static_cast<std::int64_t>(m_codeIds.ids.size());
    if (m_counted.generation == generation && m_counted.total != total) {
        m_events->post(CodesCounted{generation, total, false});
    }
    return true;
}

namespace {

// Page `filter` of the counted ids: the same rows in the same order as OFFSET paging of the counted
// result, read by primary key. Fields are current; membership and order are the count's.
core::store::CodeFilter pageById(const core::store::CodeFilter& filter, const std::vector<std::int64_t>& ids) {
    core::store::CodeFilter page;
    page.machineNo = filter.machineNo;
    page.now = filter.now;
    page.sort = filter.sort;
    page.descending = filter.descending;
    const auto from = std::min<std::size_t>(static_cast<std::size_t>(std::max(filter.offset, 0)), ids.size());
    const auto count = filter.limit > 0 ? static_cast<std::size_t>(filter.limit) : ids.size();
    page.ids.assign(ids.begin() + static_cast<std::ptrdiff_t>(from),
                    ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + count)));
    return page;
}

std::vector<core::PickupCode> inIdOrder(std::vector<core::PickupCode> rows, const std::vector<std::int64_t>& ids) {
    std::unordered_map<std::int64_t, std::size_t> at;
    for (std::size_t i = 0; i < rows.size(); ++i) at.emplace(rows[i].id, i);
    std::vector<core::PickupCode> ordered;
    ordered.reserve(rows.size());
    for (const auto id : ids) {
        if (auto it = at.find(id); it != at.end()) ordered.push_back(std::move(rows[it->second]));
    }
    return ordered;
}

}  // namespace

void Backend::queryCodes(std::uint64_t generation, const core::store::CodeFilter& filter) {
    m_query.post([this, generation, filter] {
        if (generation < m_codesGeneration) return;  // the table moved on; its rows are not wanted
        auto* store = queryStore();
        if (store == nullptr) return;
        if (m_codeIds.generation != generation && filter.machineNo && filter.offset > 0) {
            if (!buildIdWindow(*store, generation, filter)) return;
        }
        if (m_codeIds.generation == generation && filter.machineNo) {
            auto page = pageById(filter, m_codeIds.ids);
            if (page.ids.empty()) return m_events->post(CodesPage{generation, filter.offset, {}});
            auto codes = store->queryCodes(page);
            if (!codes) return postFailure("action.query_codes", codes.error());
            return m_events->post(CodesPage{generation, filter.offset, inIdOrder(std::move(*codes), page.ids)});
        }
        auto codes = store->queryCodes(filter);
        if (!codes) return postFailure("action.query_codes", codes.error());
        m_events->post(CodesPage{generation, filter.offset, std::move(*codes)});
    });
}

}  // namespace app::desktop
