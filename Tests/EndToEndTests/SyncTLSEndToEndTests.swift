import Foundation
import TestSupport
import XCTest

/// 7. TLS in front of the regulator with a test CA: verified with `ca_file`, refused with a
/// clear error under another CA, and never bypassed.
final class SyncTLSEndToEndTests: SyncTestCase {
    func testVerifiedTLSWorksAndAWrongCAFailsClearly() throws {
        let pki = try TestCertificates(directory: regulator.folder.appendingPathComponent("pki").path)
        let front = try FaultProxy(upstreamPort: regulator.port, folder: regulator.folder,
                                   tlsCertificate: pki.serverCertificate, tlsKey: pki.serverKey)
        let url = "https://127.0.0.1:\(front.port)"

        let wrong = try makeAgent(url: url, extra: "ca_file = \"\(pki.otherCACertificate)\"")
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

        let right = try makeAgent(url: url, extra: "ca_file = \"\(pki.caCertificate)\"")
        try dropMerchants(right, 500)
        let delivered = try right.run(["run", "--once", "--config", right.configPath, "--now", right.today])
        XCTAssertEqual(delivered.status, 0, delivered.stdout + delivered.stderr)
        XCTAssertEqual(try regulator.stats().int("merchant_records"), 500)
    }
}
