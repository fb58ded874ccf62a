import Foundation
import XCTest

extension XCTestCase {
    /// A fresh folder under the system's temporary folder, named after the test, removed when the
    /// test ends (files left in /tmp add up over many runs).
    public func temporaryFolder(prefix: String = "test", _ name: String = #function) throws -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
