import Foundation
import Logging
import NIOCore
import PostgresNIO
import SandboxStorage

/// A statement of the store's SQL on a PostgreSQL session. Parameters are kept until the first
/// `step`, which sends the query and its binds and waits for every row (a store query's answer
/// is a page, not a table); later steps walk the rows. Columns read as SQLite would convert them,
/// so the store's code does not care that PostgreSQL typed a count `bigint` or a sum `numeric`.
final class PostgresStatement: SQLStatement {
    let sql: String
    private let template: PostgresSQL
    private unowned let session: PostgresSession
    private var binds: [Bind] = []
    private var rows: [PostgresRandomAccessRow]?
    private var position = -1

    /// A parameter as bound; typed, so PostgreSQL need not guess (a NULL keeps its type too).
    enum Bind {
        case int(Int64?), double(Double?), text(String?), bytes([UInt8]?), untypedNull
    }

    init(sql: String, session: PostgresSession) {
        self.sql = sql
        self.template = PostgresSQL(sql)
        self.session = session
    }

    private func set(_ index: Int32, _ value: Bind) {
        let slot = Int(index) - 1
        // A gap (?10 bound while ?7–?9 are not in this text) is sent as typed text: PostgreSQL
        // refuses a parameter it can type from neither the query nor the bind.
        if binds.count <= slot { binds.append(contentsOf: repeatElement(.text(""), count: slot + 1 - binds.count)) }
        binds[slot] = value
    }

    func bind(_ index: Int32, _ value: Int64) throws { set(index, .int(value)) }
    func bind(_ index: Int32, _ value: Int) throws { set(index, .int(Int64(value))) }
    func bind(_ index: Int32, _ value: Double) throws { set(index, .double(value)) }
    func bind(_ index: Int32, _ value: String) throws { set(index, .text(value)) }
    func bind(_ index: Int32, _ value: [UInt8]) throws { set(index, .bytes(value)) }
    func bindNull(_ index: Int32) throws { set(index, .untypedNull) }
    func bind(_ index: Int32, _ value: Int64?) throws { set(index, .int(value)) }
    func bind(_ index: Int32, _ value: Int?) throws { set(index, .int(value.map(Int64.init))) }
    func bind(_ index: Int32, _ value: Double?) throws { set(index, .double(value)) }
    func bind(_ index: Int32, _ value: String?) throws { set(index, .text(value)) }
    func bind(_ index: Int32, _ value: [UInt8]?) throws { set(index, .bytes(value)) }

    @discardableResult
    func step() throws -> Bool {
        if rows == nil {
            var bindings = PostgresBindings(capacity: binds.count)
            var casts: [String?] = Array(repeating: nil, count: binds.count)
            for (i, bind) in binds.enumerated() {
                // A parameter this text does not use is still sent (parameters go by position):
                // as typed text, since PostgreSQL cannot type an unused NULL.
                guard template.referenced.contains(i + 1) else { bindings.append(""); continue }
                switch bind {
                case .int(let v): bindings.append(v); if v == nil { casts[i] = "::bigint" }
                case .double(let v): bindings.append(v); if v == nil { casts[i] = "::float8" }
                case .text(let v): bindings.append(v); if v == nil { casts[i] = "::text" }
                case .bytes(let v): bindings.append(v.map { ByteBuffer(bytes: $0) }); if v == nil { casts[i] = "::bytea" }
                case .untypedNull: bindings.appendNull()
                }
            }
            let result = try session.run(PostgresQuery(unsafeSQL: template.text(casts: casts), binds: bindings))
            rows = result.rows.map(PostgresRandomAccessRow.init)
            position = -1
        }
        position += 1
        return position < rows!.count
    }

    func reset() {
        rows = nil
        position = -1
    }

    func clearBindings() { binds = [] }

    private func cell(_ column: Int32) -> PostgresCell? {
        guard let rows, position >= 0, position < rows.count else { return nil }
        let cell = rows[position][Int(column)]
        return cell.bytes == nil ? nil : cell
    }

    func isNull(_ column: Int32) -> Bool { cell(column) == nil }

    func int64OrNil(_ column: Int32) -> Int64? {
        guard let cell = cell(column) else { return nil }
        switch cell.dataType {
        case .int2, .int4, .int8: return try? cell.decode(Int64.self)
        case .numeric: return (try? cell.decode(Decimal.self)).map { NSDecimalNumber(decimal: $0).int64Value }
        case .float4, .float8: return (try? cell.decode(Double.self)).map { Int64($0) }
        case .bool: return (try? cell.decode(Bool.self)).map { $0 ? 1 : 0 }
        default: return string(column).flatMap { Int64($0) }
        }
    }

    func int64(_ column: Int32) -> Int64 { int64OrNil(column) ?? 0 }
    func int(_ column: Int32) -> Int { Int(int64(column)) }

    func double(_ column: Int32) -> Double {
        guard let cell = cell(column) else { return 0 }
        switch cell.dataType {
        case .float4, .float8: return (try? cell.decode(Double.self)) ?? 0
        case .numeric: return (try? cell.decode(Decimal.self)).map { NSDecimalNumber(decimal: $0).doubleValue } ?? 0
        default: return Double(int64(column))
        }
    }

    func string(_ column: Int32) -> String? {
        guard let cell = cell(column) else { return nil }
        switch cell.dataType {
        case .int2, .int4, .int8, .numeric, .bool: return int64OrNil(column).map(String.init)
        case .float4, .float8: return (try? cell.decode(Double.self)).map { String($0) }
        case .bytea: return cell.bytes.map { String(buffer: $0) }
        default: return (try? cell.decode(String.self)) ?? cell.bytes.map { String(buffer: $0) }
        }
    }

    func blob(_ column: Int32) -> [UInt8] {
        guard let cell = cell(column), let bytes = cell.bytes else { return [] }
        return Array(bytes.readableBytesView)
    }
}
