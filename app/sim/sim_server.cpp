#include "app/sim/sim_server.hpp"

#include "app/sim/sim_api.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include <httplib.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace app::sim {
namespace {

// Lock-free atomics are safe in a signal handler and, unlike volatile sig_atomic_t, also
// between the handler and the watcher thread.
std::atomic<bool> g_stopRequested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void onStopSignal(int) { g_stopRequested = true; }

// Written to a temp name and renamed, so a reader never sees a half-written number.
bool writePortFile(const std::string& path, int port) {
    const std::string temp = path + ".tmp";
    {
        std::ofstream out(temp, std::ios::trunc);
        out << port << '\n';
        if (!out.flush()) return false;
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    return !ec;
}

std::unique_ptr<httplib::Server> makeServer(const SimConfig& config) {
    if (config.tlsCert.empty()) return std::make_unique<httplib::Server>();
    return std::make_unique<httplib::SSLServer>(config.tlsCert.c_str(), config.tlsKey.c_str());
}

// httplib's default also sets SO_REUSEPORT, which lets a second simulator silently share the
// port with the first; keep only SO_REUSEADDR so a busy port is an error.
void reuseAddressOnly(socket_t sock) {
#ifdef _WIN32
    (void)sock;  // Windows' SO_REUSEADDR would allow port stealing; its default refuses a busy port
#else
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const char*>(&yes), sizeof yes);
#endif
}

int bindPort(httplib::Server& server, const SimConfig& config) {
    if (config.port == 0) return server.bind_to_any_port(config.host);
    return server.bind_to_port(config.host, config.port) ? config.port : -1;
}

// Signal handlers may only set a flag; this thread turns the flag into server.stop().
void watchForStop(httplib::Server& server, const std::atomic<bool>& done) {
    while (!done) {
        if (g_stopRequested && server.is_running()) {
            spdlog::info("stopping on signal");
            server.stop();
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace

int runServer(const SimConfig& config) {
    auto logger = spdlog::stderr_logger_mt("pickupdesk-sim");
    logger->set_pattern("[%H:%M:%S.%e] %v");
    spdlog::set_default_logger(logger);

    SimApi api(config);  // declared first: the server's handlers point into it
    auto server = makeServer(config);
    if (!server->is_valid()) {
        std::fprintf(stderr, "pickupdesk-sim: cannot load the TLS certificate '%s' or key '%s'; "
                             "check that both files exist and are PEM.\n",
                     config.tlsCert.c_str(), config.tlsKey.c_str());
        return 1;
    }
    api.registerRoutes(*server);
    server->set_payload_max_length(1024 * 1024);
    server->set_socket_options(reuseAddressOnly);

    const int port = bindPort(*server, config);
    if (port <= 0) {
        std::fprintf(stderr, "pickupdesk-sim: cannot listen on %s:%d; another program may use the port. "
                             "Choose another --port, or --port 0 for any free port.\n",
                     config.host.c_str(), config.port);
        return 1;
    }
    if (!config.portFile.empty() && !writePortFile(config.portFile, port)) {
        std::fprintf(stderr, "pickupdesk-sim: cannot write the port file '%s'; check the folder exists.\n",
                     config.portFile.c_str());
        return 1;
    }
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
#ifdef SIGPIPE
    std::signal(SIGPIPE, SIG_IGN);  // a client hanging up must not kill the server
#endif
    std::printf("pickupdesk-sim listening on %s://%s:%d\n", config.tlsCert.empty() ? "http" : "https",
                config.host.c_str(), port);
    std::fflush(stdout);

    std::atomic<bool> done{false};
    std::thread watcher([&] { watchForStop(*server, done); });
    const bool ok = server->listen_after_bind();
    done = true;
    watcher.join();
    spdlog::info("stopped");
    return ok || g_stopRequested ? 0 : 1;
}

}  // namespace app::sim
