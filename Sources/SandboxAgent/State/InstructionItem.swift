/// An `instruction` policy feed item as it is stored (schema v10): the instruction's line itself
/// with its receipt state as the last member. The item is where the line is kept; the receipt
/// state changes as the platform's receipts come, and the line is read back by taking it off.
enum InstructionItem {
    /// The instruction line with its receipt state, as the regulator's `instruction` item.
    static func withReceiptState(_ line: [UInt8], _ state: String) -> [UInt8] {
        guard line.last == 0x7d else { return line }
        return Array(line.dropLast()) + receiptStateKey + Array("\"\(state)\"}".utf8)
    }

    private static let receiptStateKey = Array(#","receipt_state":"#.utf8)

    /// The line an `instruction` item was made of (`withReceiptState` undone).
    static func line(of item: [UInt8]) -> [UInt8] {
        let key = receiptStateKey
        guard item.count > key.count else { return item }
        var i = item.count - key.count
        while i >= 0 {
            if item[i] == key[0], item[i..<i + key.count].elementsEqual(key) { return Array(item[..<i]) + [0x7d] }
            i -= 1
        }
        return item
    }
}
