// macOS keychain: generic passwords, service "pickupdesk", account "<profile>/<kind>".
#include "core/secrets/secret_store.hpp"

#include <CoreFoundation/CoreFoundation.h>
#include <Security/Security.h>

#include <utility>
#include <vector>

namespace core::secrets {
namespace {

constexpr const char* kService = "pickupdesk";

// Owns one Core Foundation object (the "Create/Copy rule": we release what we created).
template <typename T>
class CfRef {
public:
    explicit CfRef(T ref = nullptr) : m_ref(ref) {}
    ~CfRef() {
        if (m_ref != nullptr) CFRelease(m_ref);
    }
    CfRef(CfRef&& other) noexcept : m_ref(std::exchange(other.m_ref, nullptr)) {}
    CfRef(const CfRef&) = delete;
    CfRef& operator=(const CfRef&) = delete;
    CfRef& operator=(CfRef&&) = delete;
    T get() const { return m_ref; }

private:
    T m_ref;
};

CfRef<CFStringRef> cfString(const std::string& text) {
    return CfRef<CFStringRef>(CFStringCreateWithBytes(kCFAllocatorDefault, reinterpret_cast<const UInt8*>(text.data()),
                                                      static_cast<CFIndex>(text.size()), kCFStringEncodingUTF8, false));
}

std::string account(const std::string& profile, SecretKind kind) { return profile + "/" + secretKindName(kind); }

// The keychain's own description of a status, e.g. "User interaction is not allowed."
std::string describe(OSStatus status) {
    const CfRef<CFStringRef> text(SecCopyErrorMessageString(status, nullptr));
    std::string out = "OSStatus " + std::to_string(status);
    if (text.get() == nullptr) return out;
    const CFIndex size = CFStringGetMaximumSizeForEncoding(CFStringGetLength(text.get()), kCFStringEncodingUTF8) + 1;
    std::vector<char> buffer(static_cast<size_t>(size));
    if (CFStringGetCString(text.get(), buffer.data(), size, kCFStringEncodingUTF8)) out = buffer.data() + (" (" + out + ")");
    return out;
}

Error failure(const char* action, const std::string& profile, SecretKind kind, OSStatus status) {
    if (status == errSecNotAvailable || status == errSecNoSuchKeychain || status == errSecInteractionNotAllowed)
        return detail::keychainUnreachable("macOS Keychain", describe(status));
    return makeError(ErrorCode::Secret, std::string("The macOS Keychain could not ") + action + " the " +
                                            secretKindName(kind) + " of profile \"" + profile + "\": " +
                                            describe(status) +
                                            ". Unlock the keychain and allow Pickup Desk access, or set "
                                            "PICKUPDESK_APP_SECRET / PICKUPDESK_SIGN_KEY for automation.");
}

// A mutable query selecting this secret's item; callers add what the call needs.
CfRef<CFMutableDictionaryRef> itemQuery(const CfRef<CFStringRef>& service, const CfRef<CFStringRef>& accountName) {
    CfRef<CFMutableDictionaryRef> query(
        CFDictionaryCreateMutable(kCFAllocatorDefault, 0, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks));
    CFDictionarySetValue(query.get(), kSecClass, kSecClassGenericPassword);
    CFDictionarySetValue(query.get(), kSecAttrService, service.get());
    CFDictionarySetValue(query.get(), kSecAttrAccount, accountName.get());
    return query;
}

class MacKeychain final : public SecretStore {
public:
    Status set(const std::string& profile, SecretKind kind, const std::string& value) override {
        const CfRef<CFStringRef> service = cfString(kService);
        const CfRef<CFStringRef> name = cfString(account(profile, kind));
        const CfRef<CFDataRef> data(CFDataCreate(kCFAllocatorDefault, reinterpret_cast<const UInt8*>(value.data()),
                                                 static_cast<CFIndex>(value.size())));
        const CfRef<CFMutableDictionaryRef> query = itemQuery(service, name);

        const CfRef<CFMutableDictionaryRef> update(CFDictionaryCreateMutable(
            kCFAllocatorDefault, 0, &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks));
        CFDictionarySetValue(update.get(), kSecValueData, data.get());
        OSStatus status = SecItemUpdate(query.get(), update.get());
        if (status == errSecItemNotFound) {
            const CfRef<CFStringRef> label = cfString("Pickup Desk: " + profile + " " + secretKindName(kind));
            CFDictionarySetValue(query.get(), kSecValueData, data.get());
            CFDictionarySetValue(query.get(), kSecAttrLabel, label.get());
            status = SecItemAdd(query.get(), nullptr);
        }
        if (status != errSecSuccess) return failure("store", profile, kind, status);
        return {};
    }

    Result<std::optional<std::string>> get(const std::string& profile, SecretKind kind) override {
        const CfRef<CFStringRef> service = cfString(kService);
        const CfRef<CFStringRef> name = cfString(account(profile, kind));
        const CfRef<CFMutableDictionaryRef> query = itemQuery(service, name);
        CFDictionarySetValue(query.get(), kSecReturnData, kCFBooleanTrue);
        CFDictionarySetValue(query.get(), kSecMatchLimit, kSecMatchLimitOne);

        CFTypeRef raw = nullptr;
        const OSStatus status = SecItemCopyMatching(query.get(), &raw);
        const CfRef<CFTypeRef> result(raw);
        if (status == errSecItemNotFound) return std::optional<std::string>();
        if (status != errSecSuccess) return failure("read", profile, kind, status);
        if (result.get() == nullptr || CFGetTypeID(result.get()) != CFDataGetTypeID()) return std::optional<std::string>();
        const auto data = static_cast<CFDataRef>(result.get());
        return std::optional<std::string>(std::string(reinterpret_cast<const char*>(CFDataGetBytePtr(data)),
                                                      static_cast<size_t>(CFDataGetLength(data))));
    }

    Status remove(const std::string& profile, SecretKind kind) override {
        const CfRef<CFStringRef> service = cfString(kService);
        const CfRef<CFStringRef> name = cfString(account(profile, kind));
        const OSStatus status = SecItemDelete(itemQuery(service, name).get());
        if (status != errSecSuccess && status != errSecItemNotFound) return failure("remove", profile, kind, status);
        return {};
    }

    std::string backendName() const override { return "macOS Keychain"; }
};

}  // namespace

std::unique_ptr<SecretStore> detail::makePlatformKeychain() { return std::make_unique<MacKeychain>(); }

}  // namespace core::secrets
