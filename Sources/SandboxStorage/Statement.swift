import CSQLite

/// A prepared SQL statement: bind parameters (1-based), step, read columns (0-based), reset.
///
/// Statements handed out by `Database.prepare` are cached and shared: use one to completion
/// (or `reset()` it) before preparing the same SQL again. A statement left mid-rows keeps a
/// read snapshot open, which stops WAL checkpoints; `reset()` ends it.
public final class Statement {
    let handle: OpaquePointer
    /// The SQL text, for error messages.
    public let sql: String

    /// One byte buffer per parameter that bound text and blobs point into (SQLITE_STATIC), so a
    /// bind costs a memcpy instead of SQLite's malloc, copy and free. A buffer is replaced only
    /// while its own parameter is being rebound, and freed only after finalize: SQLite never
    /// holds a pointer into freed memory.
    ///
    /// A fixed table reached through a constant pointer, not an array property: a class's `var` is
    /// checked for exclusive access at run time at every bind, 75 instructions of the 360 a text
    /// bind took (issue 16, session 35).
    private let buffers: UnsafeMutableBufferPointer<UnsafeMutableRawBufferPointer>

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
        buffers = .allocate(capacity: Int(sqlite3_bind_parameter_count(handle)))
        buffers.initialize(repeating: UnsafeMutableRawBufferPointer(start: nil, count: 0))
    }

    deinit {
        sqlite3_finalize(handle)
        for buffer in buffers { buffer.deallocate() }
        buffers.deallocate()
    }

    @inline(__always)
    private func check(_ rc: Int32) throws {
        if rc != SQLITE_OK { throw SQLiteError.last(sqlite3_db_handle(handle), code: rc, sql: sql) }
    }

    // MARK: Binding

    public func bind(_ index: Int32, _ value: Int64) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    public func bind(_ index: Int32, _ value: Int) throws {
        try check(sqlite3_bind_int64(handle, index, Int64(value)))
    }

    public func bind(_ index: Int32, _ value: Double) throws {
        try check(sqlite3_bind_double(handle, index, value))
    }

    /// Binds the string's own UTF-8 buffer; SQLite copies it (SQLITE_TRANSIENT), so Swift
    /// builds no intermediate array.
    public func bind(_ index: Int32, _ value: String) throws {
        let rc = value.utf8.withContiguousStorageIfAvailable { buf in
            bindText(index, buf.baseAddress, buf.count)
        }
        if let rc { return try check(rc) }
        let bytes = Array(value.utf8)  // bridged, non-contiguous strings only
        try check(bytes.withUnsafeBufferPointer { bindText(index, $0.baseAddress, $0.count) })
    }

    /// Binds UTF-8 text from a caller's buffer (e.g. a date formatted on the stack).
    public func bind(_ index: Int32, utf8 text: UnsafeBufferPointer<UInt8>) throws {
        try check(bindText(index, text.baseAddress, text.count))
    }

    @inline(__always)
    private func bindText(_ index: Int32, _ base: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
        // A nil pointer would bind NULL; an empty string must stay an empty string.
        guard let base, count > 0 else { return sqlite3_bind_text(handle, index, "", 0, csqlite_transient()) }
        guard let copy = stage(index, UnsafeRawPointer(base), count) else {
            return base.withMemoryRebound(to: CChar.self, capacity: count) {
                sqlite3_bind_text(handle, index, $0, Int32(count), csqlite_transient())
            }
        }
        return sqlite3_bind_text(handle, index, copy.assumingMemoryBound(to: CChar.self), Int32(count), nil)
    }

    public func bind(_ index: Int32, _ value: [UInt8]) throws {
        let rc = value.withUnsafeBytes { buf -> Int32 in
            // A nil pointer would bind NULL; an empty blob must stay an empty blob.
            guard let base = buf.baseAddress, buf.count > 0 else { return sqlite3_bind_zeroblob(handle, index, 0) }
            guard let copy = stage(index, base, buf.count) else {
                return sqlite3_bind_blob(handle, index, base, Int32(buf.count), csqlite_transient())
            }
            return sqlite3_bind_blob(handle, index, copy, Int32(buf.count), nil)  // nil: SQLITE_STATIC
        }
        try check(rc)
    }

    /// Copies bytes into parameter `index`'s own buffer, or returns nil to let SQLite copy them
    /// (an index SQLite will reject, a running statement that must refuse the bind, large values).
    @inline(__always)
    private func stage(_ index: Int32, _ base: UnsafeRawPointer, _ count: Int) -> UnsafeMutableRawPointer? {
        let slot = Int(index) - 1
        guard slot >= 0, slot < buffers.count, count <= 65_536, sqlite3_stmt_busy(handle) == 0 else { return nil }
        if buffers[slot].count < count {
            // The old buffer stays bound until SQLite accepts the new pointer; rebinding cannot
            // fail here (index checked, statement idle), so free it now.
            buffers[slot].deallocate()
            buffers[slot] = .allocate(byteCount: max(count, 64), alignment: 8)
        }
        let target = buffers[slot].baseAddress!
        target.copyMemory(from: base, byteCount: count)
        return target
    }

    public func bindNull(_ index: Int32) throws {
        try check(sqlite3_bind_null(handle, index))
    }

    public func bind(_ index: Int32, _ value: Int64?) throws {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    public func bind(_ index: Int32, _ value: Int?) throws {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    public func bind(_ index: Int32, _ value: Double?) throws {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    public func bind(_ index: Int32, _ value: String?) throws {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    public func bind(_ index: Int32, _ value: [UInt8]?) throws {
        if let value { try bind(index, value) } else { try bindNull(index) }
    }

    // MARK: Running

    /// Runs to the next row: true when a row is ready to read, false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: throw SQLiteError.last(sqlite3_db_handle(handle), code: rc, sql: sql)
        }
    }

    /// Makes the statement ready to run again, keeping its bindings; ends any open read.
    public func reset() {
        // sqlite3_reset repeats the last step's error, which `step` already threw.
        sqlite3_reset(handle)
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    // MARK: Columns

    public var columnCount: Int32 { sqlite3_column_count(handle) }

    public func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    /// The column as an integer (0 when NULL).
    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// The column as an integer (0 when NULL).
    public func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    public func int64OrNil(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    /// The column as text, or nil when NULL. Invalid UTF-8 is repaired with U+FFFD.
    public func string(_ column: Int32) -> String? {
        withText(column) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Lends the column's UTF-8 bytes (nil when NULL) without building a String; valid only
    /// inside `body`.
    public func withText<R>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        // sqlite3_column_text must come before sqlite3_column_bytes (it may convert the value).
        guard let text = sqlite3_column_text(handle, column) else { return try body(nil) }
        let count = Int(sqlite3_column_bytes(handle, column))
        return try body(UnsafeBufferPointer(start: text, count: count))
    }

    /// The column as bytes (empty when NULL or an empty blob).
    public func blob(_ column: Int32) -> [UInt8] {
        guard let base = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: base, count: count))
    }
}

extension Statement {
    /// True when the column holds an INTEGER (not TEXT, REAL, BLOB or NULL).
    public func isInteger(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_INTEGER
    }
}
