#pragma once
// The secrets sweep (issue 8): every form a secret could take in a file or a log (as typed, one
// case, hex, Base64 inside a longer Base64 text at each byte alignment), searched for in texts and
// in every file under some folders. Shared by the pickupctl and desktop-app sweeps.
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace testsupport {

struct Secret {
    const char* kind;  // "AppSecret", "MQTT password", ...
    std::string value;
};

std::string base64(const std::string& bytes);
std::string hex(const std::string& bytes, bool upper);
std::string transformed(std::string s, int (*f)(int));
// (form name, text to look for) for each form of `secret`.
std::vector<std::pair<std::string, std::string>> formsOf(const std::string& secret);
// "kind (form) in where" for every secret form found in `text`.
std::vector<std::string> hitsIn(const std::vector<Secret>& secrets, const std::string& text, const std::string& where);
// The hits in every regular file under `dirs`; the files' paths (relative to the first dir's parent) go to `seen`.
std::vector<std::string> sweepFiles(const std::vector<Secret>& secrets, const std::vector<std::filesystem::path>& dirs,
                                    std::set<std::string>& seen);

}  // namespace testsupport
