#pragma once
// A fresh temporary directory, removed with everything in it when the object goes away.
#include <string>

namespace testsupport {

class TempDir {
public:
    TempDir();  // throws std::runtime_error when it cannot be created
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::string& path() const;
    std::string file(const std::string& name) const;  // path()/name (not created)

private:
    std::string m_path;
};

}  // namespace testsupport
