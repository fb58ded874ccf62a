import Foundation
import XCTest

/// A throwaway PKI made with the `openssl` command: a test CA, a server certificate for
/// 127.0.0.1, a client certificate, and a second CA that signed nothing the server uses. For the
/// agent's TLS tests against its stub and the end-to-end test against the regulator.
public struct TestCertificates {
    public let directory: String
    public var caCertificate: String { directory + "/ca.pem" }
    public var serverCertificate: String { directory + "/server.pem" }
    public var serverKey: String { directory + "/server.key" }
    public var clientCertificate: String { directory + "/client.pem" }
    public var clientKey: String { directory + "/client.key" }
    public var otherCACertificate: String { directory + "/other-ca.pem" }
    /// `sha256//BASE64` of the server certificate's public key, as CURLOPT_PINNEDPUBLICKEY wants.
    public let serverPin: String
    /// The same form for a key the server does not have.
    public let otherPin: String

    /// Makes `directory` and the PKI in it; skips the test when `openssl` is not installed.
    public init(directory: String) throws {
        guard let openssl = Self.which("openssl") else { throw XCTSkip("openssl is not installed; TLS tests need it") }
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func run(_ arguments: [String]) throws -> Data {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: openssl)
            p.arguments = arguments
            p.currentDirectoryURL = URL(fileURLWithPath: directory)
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            let problem = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else {
                throw NSError(domain: "openssl", code: Int(p.terminationStatus), userInfo: [
                    NSLocalizedDescriptionKey: "openssl \(arguments.joined(separator: " ")): \(String(decoding: problem, as: UTF8.self))"])
            }
            return data
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        for ca in ["ca", "other-ca"] {
            _ = try run(["req", "-x509"] + ec + ["-keyout", "\(ca).key", "-out", "\(ca).pem", "-days", "2",
                         "-subj", "/CN=Sandbox Test \(ca)"])
        }
        try "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
            .write(toFile: directory + "/server.ext", atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(toFile: directory + "/client.ext", atomically: true, encoding: .utf8)
        for (name, cn) in [("server", "127.0.0.1"), ("client", "platform-test")] {
            _ = try run(["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(cn)"])
            _ = try run(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                         "-CAcreateserial", "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext"])
        }
        func pin(_ certificate: String) throws -> String {
            let publicKey = try run(["x509", "-in", certificate, "-noout", "-pubkey"])
            try publicKey.write(to: URL(fileURLWithPath: directory + "/pub.pem"))
            let der = try run(["pkey", "-pubin", "-in", "pub.pem", "-outform", "DER"])
            try der.write(to: URL(fileURLWithPath: directory + "/pub.der"))
            let digest = try run(["dgst", "-sha256", "-binary", "pub.der"])
            return "sha256//" + digest.base64EncodedString()
        }
        serverPin = try pin("server.pem")
        otherPin = try pin("other-ca.pem")
    }

    public static func which(_ command: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/\(command)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
