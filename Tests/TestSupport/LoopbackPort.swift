#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XCTest

/// A 127.0.0.1 port nobody listens on: bound, then released, for a server a test starts (the
/// agent's regulator stub, the end-to-end regulator, a proxy). Skips the test when the loopback
/// interface cannot be bound.
public func unusedLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw XCTSkip("cannot create a socket") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> Bool in
            bind(fd, sa, length) == 0 && getsockname(fd, sa, &length) == 0
        }
    }
    guard bound else { throw XCTSkip("cannot bind a socket on 127.0.0.1") }
    return Int(UInt16(bigEndian: address.sin_port))
}
