import Foundation
import NIOSSL
import PostgresNIO

/// `--db postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…&password_file=…]` as a
/// connection configuration. TLS is required and verified (the system's roots, the host's
/// name) unless the host is loopback and `sslmode=disable` says so: a regulator's records never
/// cross a network in clear. A password is best kept out of the command line (and so out of
/// `ps`): `password_file=PATH` names a file readable by the regulator alone.
struct PostgresLocation: Sendable {
    let configuration: PostgresConnection.Configuration
    /// The location without its password, for logs and errors.
    let display: String

    static func isPostgres(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    init(_ location: String) throws {
        guard let url = URLComponents(string: location), let host = url.host, !host.isEmpty else {
            throw StoreLocationError("\(location.split(separator: "@").last ?? ""): not a PostgreSQL URL; expected postgres://USER@HOST[:PORT]/DATABASE")
        }
        let database = String(url.path.drop(while: { $0 == "/" }))
        guard let user = url.user, !user.isEmpty, !database.isEmpty else {
            throw StoreLocationError("postgres://…@\(host): name the user and the database, as in postgres://sandbox@\(host)/sandbox")
        }
        var parameters: [String: String] = [:]
        for item in url.queryItems ?? [] { parameters[item.name] = item.value ?? "" }
        var password = url.password
        if let file = parameters["password_file"] {
            do {
                password = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw StoreLocationError("\(file): cannot read the database password (\(error.localizedDescription)); make it readable by the regulator's user")
            }
        }
        let loopback = ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host)
        let tls: PostgresConnection.Configuration.TLS
        switch parameters["sslmode"] ?? "verify-full" {
        case "disable":
            guard loopback else {
                throw StoreLocationError("postgres://…@\(host): sslmode=disable is allowed only on loopback; a remote database needs TLS (drop sslmode)")
            }
            tls = .disable
        case "verify-full", "require":
            tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case let other:
            throw StoreLocationError("postgres://…@\(host): sslmode=\(other) is not offered; use verify-full (the default) or, on loopback, disable")
        }
        var configuration = PostgresConnection.Configuration(
            host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: url.port ?? 5432,
            username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        self.configuration = configuration
        display = "postgres://\(user)@\(host)\(url.port.map { ":\($0)" } ?? "")/\(database)"
    }
}

/// A `--db` the regulator cannot use, with what to do about it.
struct StoreLocationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
