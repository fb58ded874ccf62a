import Foundation
import Glibc
import TestSupport
import XCTest

/// Issue 17: what the regulator's socket owes anyone who can reach it — idle and slow connections
/// cannot take all its file descriptors, and refused credentials leave a trace in its log.
final class RegulatorExposureEndToEndTests: XCTestCase {
    /// A TCP connection to 127.0.0.1:`port`, or -1.
    static func connectTo(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        if !ok { close(fd); return -1 }
        return fd
    }

    /// True when the peer closed `fd` (a read returns 0 or fails) within `seconds`.
    static func closedByPeer(_ fd: Int32, within seconds: Double) -> Bool {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, 0)
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    /// Item 8: 1,100 idle connections made /healthz time out (the descriptors ran out). Here the
    /// regulator gets 256 descriptors and 400 connections that never send a byte.
    func testIdleConnectionsCannotStarveTheRegulatorOfDescriptors() throws {
        let regulator = try RegulatorHarness()
        regulator.fileLimit = 256
        regulator.extraArguments = ["--idle-timeout-seconds", "2"]
        try regulator.start()
        var idle: [Int32] = []
        defer { for fd in idle { close(fd) } }
        for _ in 0..<400 {
            let fd = Self.connectTo(regulator.port)
            if fd >= 0 { idle.append(fd) }
        }
        XCTAssertGreaterThan(idle.count, 300, "the kernel queues the connections even when the regulator does not accept them")
        let started = Date()
        let health = try runToCompletion(["curl", "-s", "-m", "20", "-o", "/dev/null", "-w", "%{http_code}",
                                          "http://127.0.0.1:\(regulator.port)/healthz"])
        XCTAssertEqual(health.output, "200", "healthz did not answer with 400 idle connections open\n\(regulator.log.suffix(2000))")
        XCTAssertLessThan(Date().timeIntervalSince(started), 15)
        XCTAssertTrue(regulator.log.contains("max_connections"), "the cap lowered to the descriptor limit is logged:\n\(regulator.log)")

        // Slow-loris: a request head dribbled a byte at a time is cut off by the idle timeout.
        let slow = Self.connectTo(regulator.port)
        XCTAssertGreaterThanOrEqual(slow, 0)
        defer { close(slow) }
        var cut = false
        let deadline = Date().addingTimeInterval(15)
        for byte in Array("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 100) {
            var b = byte
            if send(slow, &b, 1, Int32(MSG_NOSIGNAL)) != 1 || Self.closedByPeer(slow, within: 1) { cut = true; break }
            if Date() > deadline { break }
        }
        XCTAssertTrue(cut, "a request head sent a byte a second was kept open for 15 s")
        regulator.stop()
    }

    /// Item 9: refused credentials were not logged. Now each is an info line with the peer, the
    /// path and the platform when the token named one — never the token or the signature.
    func testAuthenticationFailuresAreLoggedWithoutTheSecret() throws {
        let regulator = try RegulatorHarness()
        try regulator.start()
        XCTAssertEqual(try regulator.request("GET", "/v1/directives", token: "stolen-or-guessed-token").status, 401)
        let body = Data(#"{"receipt_id":"r"}"#.utf8)
        let forged = try regulator.request("POST", "/v1/receipts", token: "token-a", body: body)   // token right, no signature
        XCTAssertEqual(forged.status, 401)
        XCTAssertEqual(try regulator.request("GET", "/v1/admin/stats", token: "token-b").status, 403)
        let deadline = Date().addingTimeInterval(10)
        while regulator.log.components(separatedBy: "authentication failed").count < 3 && Date() < deadline { usleep(50_000) }
        let lines = regulator.log.split(separator: "\n").filter { $0.contains("authentication failed") || $0.contains("forbidden") }
        guard lines.count == 3 else { return XCTFail("expected 3 lines, got \(lines.count):\n\(regulator.log)") }
        XCTAssertTrue(lines.allSatisfy { $0.contains("127.0.0.1") && $0.contains("info") }, "\(lines)")
        XCTAssertTrue(lines[0].contains("/v1/directives") && lines[0].contains("bearer token not recognised"), "\(lines[0])")
        XCTAssertTrue(lines[1].contains("platform-a") && lines[1].contains("X-Sandbox-Signature"), "\(lines[1])")
        XCTAssertTrue(lines[2].contains("platform-b") && lines[2].contains("/v1/admin/stats"), "\(lines[2])")
        for secret in ["stolen-or-guessed-token", "token-a", "token-b", "secret-a"] {
            XCTAssertFalse(regulator.log.contains(secret), "\(secret) in the log")
        }
        regulator.stop()
    }
}
