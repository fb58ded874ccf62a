/// An inbox entry the agent leaves alone because it is not a file it could read: a folder named
/// like an export (as an unzip tool makes), a named pipe, a socket, a device, or a name it cannot
/// turn into a safe path (not UTF-8, control characters). Reported once each, so the platform
/// hears why the "file" is never taken; silence would look like a stuck agent.
public struct InboxOddity: Sendable, Hashable {
    /// The name's bytes as found, the identity it is remembered by.
    public var rawName: [UInt8]
    /// What it is, in a few words.
    public var what: String
    /// What the platform should do about it.
    public var action: String

    /// The name for people: UTF-8 as is, with invalid bytes and control characters as `\xNN`, so
    /// a report or log line can never be broken or forged by the name.
    public var displayName: String { InboxOddity.printable(rawName) }

    /// The oddity of an entry, or nil for an entry the agent takes (or ignores by contract:
    /// hidden and temporary names, the folder's README).
    static func of(_ entry: FileSystem.Entry) -> InboxOddity? {
        let raw = entry.rawName
        if raw.first == 0x2e { return nil }  // hidden: `.work`, `.NAME.part` — the platform's or ours
        guard entry.nameIsUTF8 else {
            return InboxOddity(rawName: raw, what: "a name that is not valid UTF-8",
                               action: "rename it to a UTF-8 name (KIND-anything.csv); the agent cannot name such a file in its reports")
        }
        if raw.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            return InboxOddity(rawName: raw, what: "a name with a control character (line break, tab, escape)",
                               action: "rename it without control characters (KIND-anything.csv)")
        }
        guard InboxFileName.isCandidate(entry.name) else { return nil }
        switch entry.type {
        case .regular, .symbolicLink:
            return nil
        case .folder:
            return InboxOddity(rawName: raw, what: "a folder",
                               action: "move the folder out of the inbox and rename the export file(s) inside it in, one by one")
        case .namedPipe:
            return InboxOddity(rawName: raw, what: "a named pipe (FIFO)",
                               action: "write the export to a regular file and rename that in; the agent never reads from a pipe")
        case .socket:
            return InboxOddity(rawName: raw, what: "a socket",
                               action: "remove it from the inbox; only regular export files belong there")
        case .device:
            return InboxOddity(rawName: raw, what: "a device file",
                               action: "remove it from the inbox; only regular export files belong there")
        }
    }

    static func printable(_ bytes: [UInt8]) -> String {
        var out = ""
        var rest = bytes[...]
        while !rest.isEmpty {
            // The longest valid UTF-8 prefix as text, then one byte escaped.
            var end = rest.endIndex
            while end > rest.startIndex, String(validating: rest[rest.startIndex..<end], as: UTF8.self) == nil {
                end -= 1
            }
            for scalar in String(decoding: rest[rest.startIndex..<end], as: UTF8.self).unicodeScalars {
                if scalar.value < 0x20 || scalar.value == 0x7f || scalar == "\\" {
                    out += scalar == "\\" ? "\\\\" : hexEscape(UInt8(scalar.value))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            if end < rest.endIndex { out += hexEscape(rest[end]); end += 1 }
            rest = rest[end...]
        }
        return out
    }

    private static func hexEscape(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xf)])
    }
}
