/// Decides a coded value from its stored bytes (the English raw value), without a `String`.
struct CodeLookup {
    private let names: [[UInt8]]
    init(names: [String]) { self.names = names.map { Array($0.utf8) } }

    func code(_ text: UnsafeBufferPointer<UInt8>?) -> UInt8? {
        guard let text else { return nil }
        for (i, n) in names.enumerated() where n.count == text.count {
            var same = true
            for j in 0..<n.count where n[j] != text[j] { same = false; break }
            if same { return UInt8(i) }
        }
        return nil
    }
}
