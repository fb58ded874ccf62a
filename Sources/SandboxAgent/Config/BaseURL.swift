/// The regulator's base URL, split once so errors can name HOST:PORT and requests can only add a
/// path and a query to it.
struct BaseURL: Sendable, Equatable {
    /// Why `[regulator] url` cannot be used. Its own error, not the connection's `TransportError`,
    /// so the settings that parse it need nothing of the link (the connection maps it to
    /// `TransportError.invalidURL`).
    struct Unusable: Error, Sendable, Equatable {
        let why: String
        init(_ why: String) { self.why = why }
    }

    let scheme: String
    let host: String
    let port: Int
    /// The authority as written (`host`, `host:port`, `[v6]:port`).
    let authority: String
    /// Path prefix without a trailing `/`, possibly empty.
    let prefix: String

    var isTLS: Bool { scheme == "https" }

    /// The only hosts plain http may name. Compared with the parsed host, never with a prefix of
    /// the text: `http://localhost.evil.com` and `http://127.0.0.1.nip.io` begin like loopback but
    /// go to whoever owns those names, token and signed data in clear.
    static let loopbackHosts: Set<String> = ["localhost", "127.0.0.1", "::1"]

    init(parsing text: String) throws(BaseURL.Unusable) {
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") { scheme = "https" } else if lower.hasPrefix("http://") { scheme = "http" } else {
            throw Unusable("`\(text)` must start with https:// (or http:// to 127.0.0.1, localhost or [::1])")
        }
        let rest = text.dropFirst(scheme.count + 3)
        guard !rest.contains("?"), !rest.contains("#"), !rest.contains("@") else {
            throw Unusable("`\(text)` must not contain a query, a fragment or credentials")
        }
        let authority = rest.prefix { $0 != "/" }
        var prefix = String(rest.dropFirst(authority.count))
        while prefix.hasSuffix("/") { prefix.removeLast() }

        var host = Substring(authority)
        var port = scheme == "https" ? 443 : 80
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw Unusable("`\(text)`: unclosed [ in the host") }
            let after = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let p = Int(after.dropFirst()), (1...65535).contains(p) else {
                    throw Unusable("`\(text)`: the port must be 1…65535")
                }
                port = p
            }
        } else if let colon = host.lastIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]), (1...65535).contains(p) else {
                throw Unusable("`\(text)`: the port must be 1…65535")
            }
            port = p
            host = host[..<colon]
        }
        guard !host.isEmpty else { throw Unusable("`\(text)` has no host") }
        guard scheme == "https" || BaseURL.loopbackHosts.contains(host.lowercased()) else {
            throw Unusable("`\(text)`: plain http only to 127.0.0.1, localhost or [::1] (tests on this machine); use https://")
        }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
        self.authority = String(authority)
        self.prefix = prefix
    }

    /// The full URL for a request path (which must start with `/`) and query.
    func url(path: String, query: [(String, String)]) throws(BaseURL.Unusable) -> String {
        guard path.hasPrefix("/"), !path.contains("?"), !path.contains("#"),
              !path.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7f }) else {
            throw Unusable("request path `\(path)` must start with / and hold no query, spaces or non-ASCII")
        }
        var url = scheme + "://" + authority + prefix + path
        for (i, (name, value)) in query.enumerated() {
            url += (i == 0 ? "?" : "&") + BaseURL.percentEncode(name) + "=" + BaseURL.percentEncode(value)
        }
        return url
    }

    /// RFC 3986: everything but the unreserved characters is encoded.
    static func percentEncode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xf)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
