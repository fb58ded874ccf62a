import Foundation

/// The system's `sha256sum`, the reference the pure SHA-256 and the inspection draw are checked
/// against (anyone recomputing a draw uses it).
public enum Sha256sum {
    /// The digest of `bytes` in lowercase hex, as `sha256sum` prints it.
    public static func hex(_ bytes: [UInt8]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sha256sum"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input; p.standardOutput = output
        try p.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return String(text.prefix(64))
    }
}
