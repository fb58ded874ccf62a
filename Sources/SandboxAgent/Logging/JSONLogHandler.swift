import Glibc
import Logging
import SandboxCore

/// One JSON object per log event on stderr, for log pipelines that parse lines (journald keeps
/// them as they are): `{"time","level","message","label", metadata keys…}`. `[log] format = "json"`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = JSONLine()
        line.add("time", UTCTime.rfc3339(Int64(time(nil))))
        line.add("level", event.level.rawValue)
        line.add("message", event.message.description)
        line.add("label", label)
        var merged = metadata.merging(metadataProvider?.get() ?? [:]) { $1 }.merging(event.metadata ?? [:]) { $1 }
        if let error = event.error, merged["error"] == nil { merged["error"] = "\(error)" }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) where !["time", "level", "message", "label"].contains(key) {
            line.add(named: key, value.description)
        }
        var bytes = line.finished
        bytes.append(0x0a)
        // One write per line: lines from several threads never interleave.
        bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }
}
