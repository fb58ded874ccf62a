import SandboxCore
import SandboxFormats

/// `sandbox-regulator import-registry FILE`: reads a registry-* export (CSV or JSON Lines,
/// optionally gzip) with the agent's own reader and validator, and files it.
public enum RegistryImport {
    public static func run(path: String, store: RegulatorStore, now: Int64? = nil) async throws -> RegistryImportResult {
        let now = now ?? Timestamp.now()
        let name = path.split(separator: "/").last.map(String.init) ?? path
        // The syntax comes from the name (gzip is told from the bytes); a name without a known
        // extension is read as CSV, the form a registry extract usually takes.
        let syntax = FileFormat(fileName: name)?.syntax ?? .csv
        let reader = try openExport(path: path, syntax: syntax, encoding: .auto)
        var validator = RowValidator(kind: .registry, columns: reader.columns)
        var columnCount = reader.columns.count
        var result = RegistryImportResult()
        var batch: [RegistryRecord] = []
        func flush() async throws {
            let (changed, unchanged) = try await store.write { [batch] s in try s.importRegistry(batch, now: now) }
            result.changed += changed; result.unchanged += unchanged
            batch.removeAll(keepingCapacity: true)
        }
        while let row = try reader.next() {
            if reader.columns.count != columnCount {
                columnCount = reader.columns.count
                validator.updateColumns(reader.columns)
            }
            switch row {
            case .failure(let malformed):
                result.rejected.append("line \(malformed.line): \(malformed.reason)")
            case .success(let raw):
                switch validator.validate(raw) {
                case .failure(let rejection): result.rejected.append(rejection.description)
                case .success(.registry(let record)): batch.append(record)
                case .success: break
                }
            }
            if batch.count >= 10_000 { try await flush() }
        }
        try await flush()
        return result
    }
}
