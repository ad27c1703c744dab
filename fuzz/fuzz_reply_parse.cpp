// Open-API reply parsing (core/api/reply_parse): the {code,message,data} envelope, then every
// typed reader over whatever `data` holds (machines, a products page, unused codes).
#include "core/api/reply_parse.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    core::net::HttpResponse response;
    // The first byte varies the transport facts the parser looks at.
    response.status = (data[0] & 3) == 3 ? 502 : 200;
    response.contentType = (data[0] & 4) != 0 ? "text/html" : "application/json";
    response.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
    auto envelope = core::api::parseEnvelope(response);
    if (!envelope) return 0;
    const nlohmann::json& d = *envelope;
    (void)core::api::parseMachines(d);
    (void)core::api::parseProductPage(d, "20240601");
    (void)core::api::parseUnusedCodes(d, "20240601", 30001);
    if (d.is_object()) {
        (void)core::api::jsonText(d, "id");
        (void)core::api::jsonInt(d, "total");
        (void)core::api::jsonBool(d, "online");
    }
    return 0;
}
