import CCurl

/// libcurl's process-wide setup, done exactly once before the first handle: curl_global_init is
/// not thread-safe, and a Swift global's initializer runs once, under a lock.
enum CurlRuntime {
    private static let initialized: Bool = {
        let code = ccurl_global_init_default()
        precondition(code == CURLE_OK, "curl_global_init failed: \(String(cString: curl_easy_strerror(code)))")
        return true
    }()

    static func ensureInitialized() {
        _ = initialized
    }
}
