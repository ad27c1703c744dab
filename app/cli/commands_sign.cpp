// pickupctl sign: computes the vendor signature of k=v pairs (support staff check pushes and requests with it).
#include "app/cli/commands.hpp"
#include "app/cli/context.hpp"
#include "app/cli/exit_codes.hpp"

#include "core/sign/signing.hpp"

#include <iostream>

namespace cli {
namespace {

core::Result<std::string> signingKey(const GlobalOptions& g, const SignCliOptions& o, std::string& encoding) {
    if (o.key) return *o.key;
    if (const char* env = std::getenv("PICKUPDESK_SIGN_KEY"); env != nullptr && *env != '\0') return std::string(env);
    auto ctx = Context::open(g);
    if (!ctx) return ctx.error();
    auto profile = (*ctx)->profiles().current(g.profile);
    if (!profile) {
        return core::makeError(core::ErrorCode::Config, "No signing key: pass --key, set PICKUPDESK_SIGN_KEY, or add a profile with a signing key.");
    }
    if (encoding.empty()) encoding = profile->signEncoding;
    return (*ctx)->secrets().resolve(profile->name, core::secrets::SecretKind::SignKey);
}

}  // namespace

int runSign(const GlobalOptions& g, const SignCliOptions& o) {
    core::sign::Params params;
    for (const auto& pair : o.pairs) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0) {
            return fail(core::makeError(core::ErrorCode::InvalidInput, "Expected key=value, got '" + pair + "'."), g);
        }
        params[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    std::string encodingText = o.encoding.value_or("");
    if (encodingText.empty()) {
        if (const char* env = std::getenv("PICKUPDESK_SIGN_ENCODING"); env != nullptr && *env != '\0') encodingText = env;
    }
    auto key = signingKey(g, o, encodingText);
    if (!key) return fail(key.error(), g);
    if (encodingText.empty()) encodingText = "raw";
    const auto encoding = core::sign::parseEncoding(encodingText);
    if (!encoding) return fail(core::makeError(core::ErrorCode::InvalidInput, "--encoding must be raw or form."), g);
    const std::string sign = core::sign::sign(params, *key, *encoding);
    // The canonical string is shown with the key masked: it is for comparing with the vendor's.
    std::string canonical = core::sign::canonicalString(params, "***", *encoding);
    if (g.json) {
        nlohmann::json out{{"sign", sign}, {"encoding", encodingText}};
        if (o.showString) out["string"] = canonical;
        std::cout << out.dump(2) << '\n';
    } else {
        if (o.showString) std::cout << canonical << '\n';
        std::cout << sign << '\n';
    }
    return kExitOk;
}

}  // namespace cli
