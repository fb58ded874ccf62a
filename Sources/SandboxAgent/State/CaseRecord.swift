/// A case's stored record (schema v10): the case's JSON without its rule's snapshot, which is
/// stored once in `case_rules` for every case of that rule and pack. The snapshot's texts (title,
/// reason, action, basis, every ladder step's) were most of a record's 2 KB, the same in
/// thousands of rows (issue 16). Bytes in, bytes out: the record is the encoder's own JSON, so the
/// rule's member is found as the encoder wrote it.
enum CaseRecord {
    private static let ruleKey = Array(#""rule":"#.utf8)

    /// The record without `"rule":<rule>` (and its comma); nil if the record does not hold it as given.
    static func withoutRule(_ record: [UInt8], rule: [UInt8]) -> [UInt8]? {
        let member = ruleKey + rule
        guard record.count > member.count, let first = member.first else { return nil }
        var i = 1
        while i + member.count <= record.count {
            if record[i] == first, record[i..<i + member.count].elementsEqual(member) {
                var from = i, to = i + member.count
                if to < record.count, record[to] == 0x2c { to += 1 } else if from > 1, record[from - 1] == 0x2c { from -= 1 }
                return Array(record[..<from]) + record[to...]
            }
            i += 1
        }
        return nil
    }

    /// The whole record again: `"rule":<rule>` as the object's first member (members' order does
    /// not matter to the decoder).
    static func withRule(_ slim: [UInt8], rule: [UInt8]) -> [UInt8] {
        guard slim.first == 0x7b else { return slim }
        let rest = slim.dropFirst()
        return [0x7b] + ruleKey + rule + (rest.first == 0x7d ? [] : [0x2c]) + rest
    }
}
