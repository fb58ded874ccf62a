import Foundation
import XCTest

/// 7. TLS in front of the regulator with a test CA: verified with `ca_file`, refused with a
/// clear error under another CA, and never bypassed.
final class SyncTLSEndToEndTests: SyncTestCase {
    func testVerifiedTLSWorksAndAWrongCAFailsClearly() throws {
        let pki = try TestPKI(directory: regulator.folder.appendingPathComponent("pki").path)
        let front = try FaultProxy(upstreamPort: regulator.port, folder: regulator.folder,
                                   tlsCertificate: pki.serverCertificate, tlsKey: pki.serverKey)
        let url = "https://127.0.0.1:\(front.port)"

        let wrong = try makeAgent(url: url, extra: "ca_file = \"\(pki.otherCA)\"")
        try dropMerchants(wrong, 500)
        let refused = try wrong.run(["run", "--once", "--config", wrong.configPath, "--now", wrong.today])
        XCTAssertEqual(refused.status, 75, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stdout.contains("TLS verification failed"), refused.stdout)
        XCTAssertTrue(refused.stdout.contains("check ca_file"), refused.stdout)
        XCTAssertEqual(try regulator.stats().int("items_accepted"), 0, "nothing went over an unverified connection")

        // Without ca_file the system store does not know the test CA either.
        let system = try makeAgent(url: url)
        try dropMerchants(system, 100)
        let unknown = try system.run(["run", "--once", "--config", system.configPath, "--now", system.today])
        XCTAssertEqual(unknown.status, 75)
        XCTAssertTrue(unknown.stdout.contains("TLS verification failed"), unknown.stdout)

        let right = try makeAgent(url: url, extra: "ca_file = \"\(pki.ca)\"")
        try dropMerchants(right, 500)
        let delivered = try right.run(["run", "--once", "--config", right.configPath, "--now", right.today])
        XCTAssertEqual(delivered.status, 0, delivered.stdout + delivered.stderr)
        XCTAssertEqual(try regulator.stats().int("merchant_records"), 500)
    }
}

/// A test CA, a server certificate for IP 127.0.0.1 signed by it, and an unrelated second CA,
/// made with the `openssl` command (skips when it is missing).
struct TestPKI {
    let directory: String
    var ca: String { directory + "/ca.pem" }
    var otherCA: String { directory + "/other-ca.pem" }
    var serverCertificate: String { directory + "/server.pem" }
    var serverKey: String { directory + "/server.key" }

    init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try Self.openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Sandbox E2E CA"], in: directory)
        try Self.openssl(["req", "-x509"] + ec + ["-keyout", "other-ca.key", "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=Other CA"], in: directory)
        try "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n".write(toFile: directory + "/server.ext", atomically: true, encoding: .utf8)
        try Self.openssl(["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"], in: directory)
        try Self.openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                          "-out", "server.pem", "-days", "2", "-extfile", "server.ext"], in: directory)
    }

    static func openssl(_ arguments: [String], in directory: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["openssl"] + arguments
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        try p.run()
        let problem = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus == 127 { throw XCTSkip("openssl is not installed") }
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "openssl", code: Int(p.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: String(decoding: problem, as: UTF8.self)])
        }
    }
}
