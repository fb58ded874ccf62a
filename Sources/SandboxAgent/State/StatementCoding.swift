import SandboxCore
import SandboxStorage

// How domain values go into and come out of columns (see StateSchema for the choices).
extension Statement {
    /// Binds a date as `YYYY-MM-DD`, formatted on the stack.
    func bind(_ index: Int32, _ date: CivilDate?) throws {
        guard let date else { return try bindNull(index) }
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { buffer in
            func put(_ value: Int, at end: Int, width: Int) {
                var v = value
                for i in stride(from: end, to: end - width, by: -1) {
                    buffer[i] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                    v /= 10
                }
            }
            put(date.year, at: 3, width: 4)
            buffer[4] = UInt8(ascii: "-")
            put(date.month, at: 6, width: 2)
            buffer[7] = UInt8(ascii: "-")
            put(date.day, at: 9, width: 2)
            try bind(index, utf8: UnsafeBufferPointer(buffer))
        }
    }

    func bind(_ index: Int32, _ flag: Bool?) throws {
        guard let flag else { return try bindNull(index) }
        try bind(index, flag ? 1 : 0)
    }

    /// Binds an enum by its English raw value.
    func bind<Value: RawRepresentable>(_ index: Int32, _ value: Value?) throws where Value.RawValue == String {
        try bind(index, value?.rawValue)
    }

    func bool(_ column: Int32) -> Bool? {
        isNull(column) ? nil : int64(column) != 0
    }

    func intOrNil(_ column: Int32) -> Int? {
        isNull(column) ? nil : int(column)
    }

    /// Text that must be present; `what` names it for the error ("merchants.shop_name of M001").
    func text(_ column: Int32, _ what: @autoclosure () -> String) throws -> String {
        guard let value = string(column) else { throw StateError.unreadable(what(), found: "NULL") }
        return value
    }

    func date(_ column: Int32, _ what: @autoclosure () -> String) throws -> CivilDate? {
        try withText(column) { text -> CivilDate? in
            guard let text else { return nil }
            guard let date = CivilDate(isoBytes: text) else {
                throw StateError.unreadable(what(), found: String(decoding: text, as: UTF8.self))
            }
            return date
        }
    }

    /// An enum from its raw value; nil for NULL, an error for a value this version does not know.
    func coded<Value: RawRepresentable>(_ column: Int32, as type: Value.Type,
                                        _ what: @autoclosure () -> String) throws -> Value?
    where Value.RawValue == String {
        guard let raw = string(column) else { return nil }
        guard let value = Value(rawValue: raw) else { throw StateError.unreadable(what(), found: raw) }
        return value
    }

    func requiredCoded<Value: RawRepresentable>(_ column: Int32, as type: Value.Type,
                                                _ what: @autoclosure () -> String) throws -> Value
    where Value.RawValue == String {
        guard let value = try coded(column, as: type, what()) else { throw StateError.unreadable(what(), found: "NULL") }
        return value
    }

    /// 经营类目 as stored (`food;general`, CategoryList.text).
    func categories(_ column: Int32, _ what: @autoclosure () -> String) throws -> [MerchantCategory] {
        let raw = try text(column, what())
        let parts = raw.split(separator: ";").map { MerchantCategory(rawValue: String($0)) }
        guard !parts.isEmpty, !parts.contains(nil) else { throw StateError.unreadable(what(), found: raw) }
        return parts.map { $0! }
    }
}
