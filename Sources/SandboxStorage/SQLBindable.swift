/// A value a statement's parameter can take; lets a call bind every parameter in order at once
/// (`try s.bind(all: id, name, nil)`) instead of one numbered `bind` per line.
public protocol SQLBindable {
    func bind(to statement: Statement, at index: Int32) throws
}

extension Int64: SQLBindable { public func bind(to s: Statement, at i: Int32) throws { try s.bind(i, self) } }
extension Int: SQLBindable { public func bind(to s: Statement, at i: Int32) throws { try s.bind(i, self) } }
extension Double: SQLBindable { public func bind(to s: Statement, at i: Int32) throws { try s.bind(i, self) } }
extension String: SQLBindable { public func bind(to s: Statement, at i: Int32) throws { try s.bind(i, self) } }
extension Array: SQLBindable where Element == UInt8 {
    public func bind(to s: Statement, at i: Int32) throws { try s.bind(i, self) }
}
extension Bool: SQLBindable { public func bind(to s: Statement, at i: Int32) throws { try s.bind(i, self ? 1 : 0) } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public func bind(to s: Statement, at i: Int32) throws {
        if let value = self { try value.bind(to: s, at: i) } else { try s.bindNull(i) }
    }
}

extension Statement {
    /// Binds `values` to parameters 1, 2, … in order.
    public func bind(all values: any SQLBindable...) throws {
        for (offset, value) in values.enumerated() { try value.bind(to: self, at: Int32(offset + 1)) }
    }
}
