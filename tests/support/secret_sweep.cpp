#include "tests/support/secret_sweep.hpp"

#include <cctype>
#include <cstdint>
#include <fstream>
#include <sstream>

namespace testsupport {
namespace fs = std::filesystem;

std::string base64(const std::string& bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            out.push_back(kAlphabet[(buffer >> (bits - 6)) & 0x3f]);
            bits -= 6;
        }
    }
    if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3f]);
    return out;
}

std::string hex(const std::string& bytes, bool upper) {
    // One pointer, not `(upper ? kUpper : kLower)[i]` on two local arrays: GCC 12 with
    // -fsanitize=address,undefined at -O0 miscompiles that form (wrong digits; the asan preset).
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 0xf]);
    }
    return out;
}

std::string transformed(std::string s, int (*f)(int)) {
    for (char& c : s) c = static_cast<char>(f(static_cast<unsigned char>(c)));
    return s;
}

// Every form a secret could take in a file or a log: as typed, in one case, hex, and Base64 inside a
// longer Base64 text (three byte alignments; the characters shared with neighbours are left out).
std::vector<std::pair<std::string, std::string>> formsOf(const std::string& secret) {
    std::vector<std::pair<std::string, std::string>> forms = {
        {"raw", secret},
        {"upper case", transformed(secret, ::toupper)},
        {"lower case", transformed(secret, ::tolower)},
        {"hex", hex(secret, false)},
        {"HEX", hex(secret, true)}};
    for (int pad = 0; pad < 3; ++pad) {
        const std::string encoded = base64(std::string(static_cast<std::size_t>(pad), '\0') + secret);
        const std::size_t skip = (static_cast<std::size_t>(pad) * 8 + 5) / 6;
        forms.emplace_back("base64 (offset " + std::to_string(pad) + ")", encoded.substr(skip, encoded.size() - skip - 2));
    }
    return forms;
}

namespace {

std::string readAll(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

// "kind (form) in where" for every hit in `text`.
std::vector<std::string> hitsIn(const std::vector<Secret>& secrets, const std::string& text, const std::string& where) {
    std::vector<std::string> hits;
    for (const Secret& s : secrets) {
        for (const auto& [form, needle] : formsOf(s.value)) {
            if (text.find(needle) != std::string::npos) hits.push_back(std::string(s.kind) + " (" + form + ") in " + where);
        }
    }
    return hits;
}

// Every regular file under `dirs`, read whole; their names (relative to the first dir's parent) go to `seen`.
std::vector<std::string> sweepFiles(const std::vector<Secret>& secrets, const std::vector<fs::path>& dirs,
                                    std::set<std::string>& seen) {
    std::vector<std::string> hits;
    for (const auto& dir : dirs) {
        std::error_code ec;
        for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
            if (!entry.is_regular_file(ec)) continue;
            seen.insert(fs::relative(entry.path(), dirs.front().parent_path(), ec).string());
            for (auto& h : hitsIn(secrets, readAll(entry.path()), entry.path().string())) hits.push_back(std::move(h));
        }
    }
    return hits;
}

}  // namespace testsupport
