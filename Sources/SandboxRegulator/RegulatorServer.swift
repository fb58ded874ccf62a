import Hummingbird
import Logging

/// `sandbox-regulator serve`: the routes on a Hummingbird server at HOST:PORT.
public enum RegulatorServer {
    /// The application, ready to `runService()`.
    public static func application(router: RegulatorRouter, host: String, port: Int,
                                   logger: Logger = Logger(label: "sandbox-regulator")) -> some ApplicationProtocol {
        Application(router: router.build(),
                    configuration: .init(address: .hostname(host, port: port), serverName: "sandbox-regulator"),
                    logger: logger)
    }

    /// `HOST:PORT` split, or nil when it is not of that form.
    public static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}
