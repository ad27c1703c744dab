#pragma once
// Backend internals shared by its source files (backend*.cpp); not for views or tests.
#include "app/desktop/backend.hpp"
#include "app/desktop/secret_fallback.hpp"
#include "app/desktop/sim_process.hpp"
#include "core/api/open_api_client.hpp"
#include "core/ingest/ingest_pipeline.hpp"
#include "core/net/mqtt_client.hpp"

#include <optional>

namespace app::desktop {

// Everything the service thread owns. Created and used on that thread only.
struct Backend::ServiceEnv {
    std::unique_ptr<core::store::Store> store;
    core::Error openError;
    FallbackSecretStore* secretStore = nullptr;  // owned by `secrets`
    std::unique_ptr<core::secrets::SecretResolver> secrets;
    std::unique_ptr<core::services::ProfileService> profiles;
    std::optional<core::Profile> profile;
    std::unique_ptr<core::api::OpenApiClient> api;
    std::unique_ptr<core::services::CodeService> codes;
    std::unique_ptr<SimProcess> sim;
    // Pushes: the client is declared last so it is destroyed (disconnected) before the pipeline.
    std::unique_ptr<core::ingest::IngestPipeline> ingest;
    std::unique_ptr<core::net::MqttClient> mqtt;
    std::vector<std::string> mqttTopics;
};

}  // namespace app::desktop
