#include "core/util/md5.hpp"

#include <openssl/evp.h>

#include <array>

namespace core::util {
namespace {

std::string md5Hex(std::string_view bytes, const char* digits) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int len = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), &len, EVP_md5(), nullptr);
    std::string out;
    out.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(digits[digest[i] >> 4]);
        out.push_back(digits[digest[i] & 0x0F]);
    }
    return out;
}

}  // namespace

std::string md5HexUpper(std::string_view bytes) { return md5Hex(bytes, "0123456789ABCDEF"); }
std::string md5HexLower(std::string_view bytes) { return md5Hex(bytes, "0123456789abcdef"); }

}  // namespace core::util
