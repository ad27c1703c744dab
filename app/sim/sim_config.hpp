#pragma once
// Everything the command line decides about a simulator run.
#include "app/sim/sim_faults.hpp"
#include "core/sign/signing.hpp"

#include <string>

namespace app::sim {

class PushPublisher;  // sim_push.hpp

// How created_at / expired_at appear in the code list: the vendor has been seen to send
// GMT+8 wall-clock strings, epoch seconds and epoch milliseconds (vendor-protocol.md §6).
enum class ListTimeFormat { Gmt8, Seconds, Millis };

struct SimConfig {
    std::string appId = "sandbox-appid";
    std::string appSecret = "sandbox-secret";  // secret: never log
    std::string signKey = "sandbox-sign-key";  // secret: never log
    core::sign::Encoding encoding = core::sign::Encoding::Raw;
    std::string host = "127.0.0.1";
    int port = 8750;  // 0 = any free port
    std::string portFile;
    std::string tlsCert;
    std::string tlsKey;
    ListTimeFormat listTimeFormat = ListTimeFormat::Gmt8;
    Faults faults;
    PushPublisher* push = nullptr;  // set when --mqtt-url is given: creates, deletes and uses are pushed
};

}  // namespace app::sim
