// Windows keychain: Credential Manager generic credentials, target "pickupdesk:<profile>/<kind>".
#include "core/secrets/secret_store.hpp"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#include <wincred.h>

#include <string>
#include <utility>

namespace core::secrets {
namespace {

std::wstring widen(const std::string& text) {
    if (text.empty()) return {};
    const int size = MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
    std::wstring out(static_cast<size_t>(size > 0 ? size : 0), L'\0');
    if (size > 0) MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size);
    return out;
}

std::string narrow(const std::wstring& text) {
    if (text.empty()) return {};
    const int size = WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0,
                                         nullptr, nullptr);
    std::string out(static_cast<size_t>(size > 0 ? size : 0), '\0');
    if (size > 0)
        WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size, nullptr, nullptr);
    return out;
}

std::wstring target(const std::string& profile, SecretKind kind) {
    return widen("pickupdesk:" + profile + "/" + secretKindName(kind));
}

// Windows' own wording for an error code, e.g. "Element not found."
std::string describe(DWORD code) {
    wchar_t* buffer = nullptr;
    const DWORD length = FormatMessageW(
        FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr, code, 0,
        reinterpret_cast<LPWSTR>(&buffer), 0, nullptr);
    std::wstring text = length > 0 && buffer != nullptr ? std::wstring(buffer, length) : std::wstring();
    if (buffer != nullptr) LocalFree(buffer);
    while (!text.empty() && (text.back() == L'\r' || text.back() == L'\n' || text.back() == L'.')) text.pop_back();
    return narrow(text) + " (error " + std::to_string(code) + ")";
}

Error failure(const char* action, const std::string& profile, SecretKind kind, DWORD code) {
    if (code == ERROR_NO_SUCH_LOGON_SESSION)  // e.g. a service account without a user profile
        return detail::keychainUnreachable("Windows Credential Manager", describe(code));
    return makeError(ErrorCode::Secret, std::string("Windows Credential Manager could not ") + action + " the " +
                                            secretKindName(kind) + " of profile \"" + profile + "\": " +
                                            describe(code) +
                                            ". Check the stored credentials in Credential Manager, or set "
                                            "PICKUPDESK_APP_SECRET / PICKUPDESK_SIGN_KEY for automation.");
}

class WindowsKeychain final : public SecretStore {
public:
    Status set(const std::string& profile, SecretKind kind, const std::string& value) override {
        if (value.size() > CRED_MAX_CREDENTIAL_BLOB_SIZE) {
            return makeError(ErrorCode::Secret, std::string("The ") + secretKindName(kind) + " of profile \"" +
                                                    profile + "\" is too long for Credential Manager (over " +
                                                    std::to_string(CRED_MAX_CREDENTIAL_BLOB_SIZE) +
                                                    " bytes). Check that the right value was pasted.");
        }
        std::wstring targetName = target(profile, kind);
        std::wstring userName = widen(profile);
        CREDENTIALW credential{};
        credential.Type = CRED_TYPE_GENERIC;
        credential.TargetName = targetName.data();
        credential.UserName = userName.data();
        // The blob holds the UTF-8 bytes as given, so any value reads back byte for byte.
        credential.CredentialBlobSize = static_cast<DWORD>(value.size());
        credential.CredentialBlob = reinterpret_cast<LPBYTE>(const_cast<char*>(value.data()));
        credential.Persist = CRED_PERSIST_LOCAL_MACHINE;
        if (!CredWriteW(&credential, 0)) return failure("store", profile, kind, GetLastError());
        return {};
    }

    Result<std::optional<std::string>> get(const std::string& profile, SecretKind kind) override {
        PCREDENTIALW credential = nullptr;
        if (!CredReadW(target(profile, kind).c_str(), CRED_TYPE_GENERIC, 0, &credential)) {
            const DWORD code = GetLastError();
            if (code == ERROR_NOT_FOUND) return std::optional<std::string>();
            return failure("read", profile, kind, code);
        }
        std::string value;
        if (credential->CredentialBlob != nullptr && credential->CredentialBlobSize > 0) {
            value.assign(reinterpret_cast<const char*>(credential->CredentialBlob), credential->CredentialBlobSize);
            SecureZeroMemory(credential->CredentialBlob, credential->CredentialBlobSize);
        }
        CredFree(credential);
        return std::optional<std::string>(std::move(value));
    }

    Status remove(const std::string& profile, SecretKind kind) override {
        if (!CredDeleteW(target(profile, kind).c_str(), CRED_TYPE_GENERIC, 0)) {
            const DWORD code = GetLastError();
            if (code != ERROR_NOT_FOUND) return failure("remove", profile, kind, code);
        }
        return {};
    }

    std::string backendName() const override { return "Windows Credential Manager"; }
};

}  // namespace

std::unique_ptr<SecretStore> detail::makePlatformKeychain() { return std::make_unique<WindowsKeychain>(); }

}  // namespace core::secrets
