import Foundation
import TestSupport
import XCTest
@testable import SandboxAgent

/// RegulatorConnection's TLS against the stub with certificates made by `openssl` for this test.
final class SyncTLSTests: XCTestCase {
    static let token = "tok-tls-4d1e-platform-secret-token"
    var directory: String!
    var certificates: TestCertificates!
    var stub: RegulatorStub?

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "sync-tls-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        certificates = try TestCertificates(directory: directory)
    }

    override func tearDownWithError() throws {
        stub?.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func startStub(requireClientCertificate: Bool = false) throws -> RegulatorStub {
        let tls = RegulatorStub.TLS(certificate: certificates.serverCertificate, key: certificates.serverKey,
                                    clientCA: requireClientCertificate ? certificates.caCertificate : nil)
        let s = try RegulatorStub(directory: directory, token: Self.token, tls: tls)
        stub = s
        return s
    }

    var request: HTTPRequest {
        HTTPRequest(method: .get, path: "/v1/directives", query: [("after", "0")],
                    headers: [("Authorization", "Bearer " + Self.token)], timeoutSeconds: 10)
    }

    func failure(_ endpoint: RegulatorEndpoint, file: StaticString = #filePath, line: UInt = #line) throws -> TransportError? {
        let connection = try RegulatorConnection(endpoint: endpoint)
        do {
            let response = try connection.send(request)
            XCTFail("expected a TLS failure, got HTTP \(response.status)", file: file, line: line)
            return nil
        } catch {
            XCTAssertFalse(error.description.contains(Self.token), "token leaked: \(error)", file: file, line: line)
            return error
        }
    }

    func testVerifiedConnectionWithTheTestCA() throws {
        let stub = try startStub()
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(
            baseURL: stub.httpsURL, caFile: certificates.caCertificate))
        for _ in 0..<3 { XCTAssertEqual(try connection.send(request).status, 200) }
        XCTAssertEqual(connection.connectionsOpened, 1, "TLS session not kept alive")
        let seen = try stub.requests()
        XCTAssertEqual(seen.count, 3)
        XCTAssertEqual(seen[0].bearerOK, true)
    }

    func testWrongCAFailsWithAClearError() throws {
        let stub = try startStub()
        let error = try failure(RegulatorEndpoint(baseURL: stub.httpsURL, caFile: certificates.otherCACertificate))
        guard case .tlsVerificationFailed? = error else { return XCTFail("got \(String(describing: error))") }
        let text = error!.description
        XCTAssertTrue(text.contains("TLS verification failed") && text.contains("certificate") && text.contains("ca_file"), text)
        XCTAssertEqual(try stub.requests().count, 0, "a request went out over an unverified connection")
    }

    func testSystemStoreDoesNotTrustTheTestCA() throws {
        let stub = try startStub()
        let error = try failure(RegulatorEndpoint(baseURL: stub.httpsURL))
        guard case .tlsVerificationFailed? = error else { return XCTFail("got \(String(describing: error))") }
    }

    func testHostNameMustMatchTheCertificate() throws {
        // The certificate names IP 127.0.0.1 only; "localhost" reaches the same server.
        let stub = try startStub()
        let error = try failure(RegulatorEndpoint(baseURL: "https://localhost:\(stub.port)",
                                                  caFile: certificates.caCertificate))
        guard case .tlsVerificationFailed? = error else { return XCTFail("got \(String(describing: error))") }
    }

    func testMutualTLSRefusesAnAgentWithoutClientCertificate() throws {
        let stub = try startStub(requireClientCertificate: true)
        let error = try failure(RegulatorEndpoint(baseURL: stub.httpsURL, caFile: certificates.caCertificate))
        switch error {
        case .tlsHandshakeFailed?, .connectionReset?:
            // The alert ("certificate required") or, when the server's reset overtakes it, a reset.
            XCTAssertTrue(error!.description.contains("client_cert and client_key"), error!.description)
        default:
            XCTFail("got \(String(describing: error))")
        }
        XCTAssertEqual(try stub.requests().count, 0)
    }

    func testMutualTLSAcceptsTheClientCertificate() throws {
        let stub = try startStub(requireClientCertificate: true)
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(
            baseURL: stub.httpsURL, caFile: certificates.caCertificate,
            clientCertificate: certificates.clientCertificate, clientKey: certificates.clientKey))
        XCTAssertEqual(try connection.send(request).status, 200)
        XCTAssertEqual(try stub.requests().count, 1)
    }

    func testUnreadableClientKeyIsNamed() throws {
        let stub = try startStub(requireClientCertificate: true)
        let error = try failure(RegulatorEndpoint(
            baseURL: stub.httpsURL, caFile: certificates.caCertificate,
            clientCertificate: certificates.clientCertificate, clientKey: directory + "/missing.key"))
        guard case .tlsClientCertificate? = error else { return XCTFail("got \(String(describing: error))") }
    }

    func testPinnedPublicKeyMatch() throws {
        let stub = try startStub()
        let connection = try RegulatorConnection(endpoint: RegulatorEndpoint(
            baseURL: stub.httpsURL, caFile: certificates.caCertificate, pinnedPublicKey: certificates.serverPin))
        XCTAssertEqual(try connection.send(request).status, 200)
    }

    func testPinnedPublicKeyMismatchFails() throws {
        let stub = try startStub()
        let error = try failure(RegulatorEndpoint(
            baseURL: stub.httpsURL, caFile: certificates.caCertificate, pinnedPublicKey: certificates.otherPin))
        guard case .tlsPinnedKeyMismatch? = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertTrue(error!.description.contains("pinned_public_key"), error!.description)
        XCTAssertEqual(try stub.requests().count, 0)
    }
}
