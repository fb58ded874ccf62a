/// A value a statement's parameter can take; lets a call bind every parameter in order at once
/// (`try s.bind(all: id, name, nil)`) instead of one numbered `bind` per line.
public protocol SQLBindable {
    func bind(to statement: some SQLStatement, at index: Int32) throws
    /// Binds a NULL of this type (an engine with typed parameters needs to know which).
    static func bindNone(to statement: some SQLStatement, at index: Int32) throws
}

extension Int64: SQLBindable {
    public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, self) }
    public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, Int64?.none) }
}
extension Int: SQLBindable {
    public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, self) }
    public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, Int?.none) }
}
extension Double: SQLBindable {
    public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, self) }
    public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, Double?.none) }
}
extension String: SQLBindable {
    public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, self) }
    public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, String?.none) }
}
extension Array: SQLBindable where Element == UInt8 {
    public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, self) }
    public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, [UInt8]?.none) }
}
extension Bool: SQLBindable {
    public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, self ? 1 : 0) }
    public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, Int?.none) }
}
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public func bind(to s: some SQLStatement, at i: Int32) throws {
        if let value = self { try value.bind(to: s, at: i) } else { try Wrapped.bindNone(to: s, at: i) }
    }
    public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try Wrapped.bindNone(to: s, at: i) }
}

extension SQLStatement {
    /// Binds `values` to parameters 1, 2, … in order.
    public func bind(all values: any SQLBindable...) throws {
        for (offset, value) in values.enumerated() { try value.bind(to: self, at: Int32(offset + 1)) }
    }
}
