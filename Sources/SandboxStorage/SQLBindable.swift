/// A value a statement's parameter can take; lets a call bind every parameter in order at once
/// (`try s.bind(all: id, name, note)`) instead of one numbered `bind` per line.
public protocol SQLBindable {
    func bind(to statement: some SQLStatement, at index: Int32) throws
    /// Binds a NULL of this type (an engine with typed parameters needs to know which).
    static func bindNone(to statement: some SQLStatement, at index: Int32) throws
}

extension Int64: SQLBindable {
    @inlinable public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, self) }
    @inlinable public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, Int64?.none) }
}
extension Int: SQLBindable {
    @inlinable public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, self) }
    @inlinable public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, Int?.none) }
}
extension Double: SQLBindable {
    @inlinable public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, self) }
    @inlinable public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, Double?.none) }
}
extension String: SQLBindable {
    @inlinable public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, self) }
    @inlinable public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, String?.none) }
}
extension Array: SQLBindable where Element == UInt8 {
    @inlinable public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, self) }
    @inlinable public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, [UInt8]?.none) }
}
extension Bool: SQLBindable {
    @inlinable public func bind(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, self ? 1 : 0) }
    @inlinable public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try s.bind(i, Int?.none) }
}
extension Optional: SQLBindable where Wrapped: SQLBindable {
    @inlinable public func bind(to s: some SQLStatement, at i: Int32) throws {
        if let value = self { try value.bind(to: s, at: i) } else { try Wrapped.bindNone(to: s, at: i) }
    }
    @inlinable public static func bindNone(to s: some SQLStatement, at i: Int32) throws { try Wrapped.bindNone(to: s, at: i) }
}

extension SQLStatement {
    /// Binds `values` to parameters 1, 2, … in order, each by its own type:
    /// `try s.bind(all: id, name, note)` instead of one numbered `bind` per line, so a parameter
    /// cannot be skipped, counted twice or bound at the wrong number. A parameter pack rather than
    /// `any SQLBindable...`: no existential box and no array per call. Swift 6.3 does not
    /// specialise the pack, though: up to 14 values the fixed-arity forms of
    /// `SQLStatement+Arity.swift` are chosen instead, and bind at what the numbered calls cost.
    @inlinable
    public func bind<each Value: SQLBindable>(all values: repeat each Value) throws {
        try bind(from: 1, all: repeat each values)
    }

    /// Binds `values` to parameters `first`, `first + 1`, … in order: one row of a statement that
    /// writes several.
    @inlinable
    public func bind<each Value: SQLBindable>(from first: Int32, all values: repeat each Value) throws {
        var index = first - 1
        for value in repeat each values {
            index += 1
            try value.bind(to: self, at: index)
        }
    }
}
