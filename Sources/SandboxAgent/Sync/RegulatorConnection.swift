import SandboxService
import CCurl

/// The agent's one HTTP connection to the regulator: a single libcurl easy handle reused for
/// every request, so one TCP and TLS session is kept alive across feed batches.
///
/// One owner (the syncer's thread); not for sharing between threads.
public final class RegulatorConnection {
    public let endpoint: RegulatorEndpoint
    /// New connections libcurl had to open so far; stays at 1 while keep-alive works.
    public private(set) var connectionsOpened = 0

    private let handle: UnsafeMutableRawPointer
    private let base: BaseURL
    /// CURLOPT_ERRORBUFFER: curl writes its detailed message here; it must outlive the handle's use.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// A POST with an empty body still needs a valid pointer, or curl reads the body from stdin.
    private let emptyBody: UnsafeMutablePointer<UInt8>

    public init(endpoint: RegulatorEndpoint) throws(TransportError) {
        CurlRuntime.ensureInitialized()
        self.endpoint = endpoint
        do { base = try BaseURL(parsing: endpoint.baseURL) } catch { throw .invalidURL(error.why) }
        guard let h = curl_easy_init() else {
            throw .other(curlCode: -1, detail: "curl_easy_init failed (out of memory?)")
        }
        handle = h
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        emptyBody = .allocate(capacity: 1)
        emptyBody.initialize(to: 0)
        do {
            try configure()
        } catch {
            curl_easy_cleanup(handle)
            errorBuffer.deallocate()
            emptyBody.deallocate()
            throw error
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
        emptyBody.deallocate()
    }

    /// Options that hold for every request on this handle.
    private func configure() throws(TransportError) {
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        // Timeouts must not use signals: the agent is multi-threaded.
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try set(CURLOPT_USERAGENT, "sandbox-agent")
        // Verification is always on; there is no setting that turns it off.
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = endpoint.caFile { try set(CURLOPT_CAINFO, caFile) }
        if let cert = endpoint.clientCertificate { try set(CURLOPT_SSLCERT, cert) }
        if let key = endpoint.clientKey { try set(CURLOPT_SSLKEY, key) }
        if let pin = endpoint.pinnedPublicKey { try set(CURLOPT_PINNEDPUBLICKEY, pin) }
        let receive: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
            data, size, count, context in
            let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
            return exchange.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
        }
        let header: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
            data, size, count, context in
            let exchange = Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue()
            exchange.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        try check(ccurl_setopt_write_callback(handle, receive))
        try check(ccurl_setopt_header_callback(handle, header))
    }

    /// Makes every transfer on this handle end within about a second of `stop` being set (a long
    /// poll would otherwise hold the stop for its whole wait). Only for requests that are safe to
    /// cut: the directive poll, whose cursor moves only after its files are durable.
    public func abortOnStop(_ stop: StopFlag) throws(TransportError) {
        let progress: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = {
            context, _, _, _, _ in
            guard let context else { return 0 }
            return Unmanaged<StopFlag>.fromOpaque(context).takeUnretainedValue().isSet ? 1 : 0
        }
        // The handle keeps a raw pointer: the connection keeps the flag alive as long as itself.
        abortFlag = stop
        try check(ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(stop).toOpaque()))
        try check(ccurl_setopt_xferinfo(handle, progress))
        try set(CURLOPT_NOPROGRESS, 0)
    }
    private var abortFlag: StopFlag?

    /// Sends one request and waits for the whole answer. Any HTTP status is a response; only a
    /// failure to get one is thrown.
    public func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        let url: String
        do { url = try base.url(path: request.path, query: request.query) } catch { throw .invalidURL(error.why) }
        errorBuffer[0] = 0
        try set(CURLOPT_URL, url)
        let timeoutMs = max(1, Int((request.timeoutSeconds * 1000).rounded(.up)))
        try set(CURLOPT_TIMEOUT_MS, timeoutMs)
        try set(CURLOPT_CONNECTTIMEOUT_MS, min(timeoutMs, max(1, Int(endpoint.connectTimeoutSeconds * 1000))))

        var list: UnsafeMutablePointer<curl_slist>? = nil
        defer {
            _ = ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, nil)
            curl_slist_free_all(list)
        }
        // An empty "Expect:" stops curl waiting for "100 Continue" before large bodies.
        for (name, value) in request.headers + [("Expect", "")] {
            guard !name.isEmpty, !(name + value).utf8.contains(where: { $0 == 0x0d || $0 == 0x0a }) else {
                // Only the name: the value may be the token.
                throw .other(curlCode: -1, detail: "header \(name.isEmpty ? "(empty name)" : name) contains a line break or has no name; the request was not sent")
            }
            let line = value.isEmpty ? name + ":" : name + ": " + value
            guard let appended = curl_slist_append(list, line) else {
                throw .other(curlCode: -1, detail: "out of memory building request headers")
            }
            list = appended
        }
        try check(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, list))

        let exchange = Exchange(limit: endpoint.maxResponseBytes)
        let context = Unmanaged.passUnretained(exchange).toOpaque()
        try set(CURLOPT_WRITEDATA, pointer: context)
        try set(CURLOPT_HEADERDATA, pointer: context)

        let code: CURLcode
        switch request.method {
        case .get:
            try set(CURLOPT_HTTPGET, 1)
            code = curl_easy_perform(handle)
        case .post:
            try set(CURLOPT_POST, 1)
            try check(ccurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            code = request.body.withUnsafeBufferPointer { bytes in
                let pointer = bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                    ?? UnsafeMutableRawPointer(emptyBody)
                guard ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, pointer) == CURLE_OK else {
                    return CURLE_FAILED_INIT
                }
                let result = curl_easy_perform(handle)
                // The bytes are gone after this closure; the handle must not keep pointing at them.
                _ = ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, nil)
                return result
            }
        }
        var opened = 0
        if ccurl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &opened) == CURLE_OK { connectionsOpened += opened }
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, nil)
        _ = ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, nil)

        guard code == CURLE_OK else {
            throw error(for: code, exchange: exchange, timeout: request.timeoutSeconds, newConnection: opened > 0)
        }
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: exchange.headers, body: exchange.body)
    }

    /// Turns a curl failure into what the operator needs to know; only curl's own text and the
    /// endpoint go in, never the request.
    private func error(for code: CURLcode, exchange: Exchange, timeout: Double, newConnection: Bool) -> TransportError {
        let detail = curlDetail(code)
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(seconds: timeout)
        case CURLE_ABORTED_BY_CALLBACK:
            return .other(curlCode: Int(code.rawValue), detail: "cut short: the agent is stopping")
        case CURLE_COULDNT_RESOLVE_HOST:
            return .cannotResolve(host: base.host, detail: detail)
        case CURLE_COULDNT_CONNECT:
            return .cannotConnect(host: base.host, port: base.port, detail: detail)
        case CURLE_URL_MALFORMAT:
            return .invalidURL(detail)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_INVALIDCERTSTATUS:
            return .tlsVerificationFailed(detail: detail)
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return .tlsPinnedKeyMismatch(detail: detail)
        case CURLE_SSL_CERTPROBLEM:
            return .tlsClientCertificate(detail: detail)
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CIPHER:
            return .tlsHandshakeFailed(detail: detail)
        case CURLE_WRITE_ERROR where exchange.overflowed:
            return .responseTooLarge(limit: endpoint.maxResponseBytes)
        case CURLE_RECV_ERROR where base.isTLS && detail.contains("alert"):
            // With TLS 1.3 the server judges the client certificate after the client's side of the
            // handshake is done, so its refusal arrives as an alert on the first read.
            return .tlsHandshakeFailed(detail: detail)
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            if base.isTLS && newConnection && endpoint.clientCertificate == nil {
                // A server refusing a missing client certificate often resets the connection so
                // fast that its TLS alert is lost; say what to check if it keeps happening.
                return .connectionReset(detail: detail + "; on a new TLS connection: if the regulator requires mutual TLS, set client_cert and client_key")
            }
            return .connectionReset(detail: detail)
        default:
            return .other(curlCode: Int(code.rawValue), detail: detail)
        }
    }

    private func curlDetail(_ code: CURLcode) -> String {
        let buffered = String(cString: errorBuffer).trimmingSuffix { $0.isNewline }
        return buffered.isEmpty ? String(cString: curl_easy_strerror(code)) : buffered
    }

    // MARK: Typed setopt

    private func set(_ option: CURLoption, _ value: Int) throws(TransportError) {
        try check(ccurl_setopt_long(handle, option, value))
    }

    private func set(_ option: CURLoption, _ value: String) throws(TransportError) {
        try check(ccurl_setopt_string(handle, option, value))
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(TransportError) {
        try check(ccurl_setopt_pointer(handle, option, pointer))
    }

    private func check(_ code: CURLcode) throws(TransportError) {
        guard code == CURLE_OK else {
            // e.g. CURLE_NOT_BUILT_IN: this libcurl lacks public-key pinning for its TLS library.
            throw .other(curlCode: Int(code.rawValue), detail: "libcurl refused an option: \(String(cString: curl_easy_strerror(code)))")
        }
    }
}

/// What one transfer received; curl's callbacks fill it.
private final class Exchange {
    let limit: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    var overflowed = false

    init(limit: Int) { self.limit = limit }

    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard body.count + bytes.count <= limit else {
            overflowed = true
            return 0  // curl aborts the transfer with CURLE_WRITE_ERROR
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingSuffix { $0.isNewline }
        if line.hasPrefix("HTTP/") {
            // A new status line (after "100 Continue", or a new response): start over.
            headers.removeAll()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        headers.append((name, String(value).trimmingSuffix { $0 == " " || $0 == "\t" }))
    }
}

extension String {
    /// Note "\r\n" is one Character, so line ends are matched with `isNewline`, not by "\n".
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var s = Substring(self)
        while let last = s.last, predicate(last) { s = s.dropLast() }
        return String(s)
    }
}
