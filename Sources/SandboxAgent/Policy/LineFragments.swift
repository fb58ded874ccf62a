import SandboxCore
import SandboxPolicy

/// Runs of members the policy's lines share, rendered once a pass (`JSONMembers`): the head every
/// instruction starts with, a rule's texts, an admission's criteria, the closing members of a
/// notice issued now. A first pass writes 250,000 sandbox notices and 131,000 prompts; member by
/// member each scanned the pack's same texts for escapes and wrote the same nulls again, a fifth
/// of the renderer's instructions (issue 16, session 36).
///
/// A fragment is found by its kind and the texts it is rendered from, compared byte for byte
/// (`String`'s `==` would take two spellings of one character as equal, and they render as
/// different bytes). What a fragment renders must follow from those texts and the pass's
/// constants (pack, platform, time) alone. One thread uses it: the renderer's.
final class LineFragments {
    enum Kind: UInt8 {
        case head, ruleHead, ruleBody, closing, admission, noticeClosing, promptTexts, rosterCriteria, rosterDetail
    }

    /// `bits`: what besides texts the fragment is made of (an admission's values and holdings).
    struct Key: Hashable {
        let kind: Kind
        let bits: UInt64
        let texts: [String?]

        static func == (a: Key, b: Key) -> Bool {
            a.kind == b.kind && a.bits == b.bits && LineFragments.sameTexts(a.texts, b.texts)
        }

        /// By kind and lengths: equality tells apart the few fragments of a kind; hashing the
        /// pack's long texts for every line would cost what the fragment saves.
        func hash(into h: inout Hasher) {
            h.combine(kind)
            h.combine(bits)
            for t in texts { h.combine(t?.utf8.count ?? -1) }
        }
    }

    private var known: [Key: JSONMembers] = [:]
    /// Fragments kept at most: a pass's lines share a few dozen; past this, a line's members are
    /// rendered for it alone (nothing repeats that often).
    static let limit = 1_024

    /// The fragment each kind gave last: lines come in runs of one kind and rule (a part's
    /// notices, then its prompts), so most asks are answered here, without hashing.
    private var last = [(bits: UInt64, texts: [String?], members: JSONMembers)?](repeating: nil, count: 16)

    /// The fragment of `kind` for `texts` and `bits`, rendered by `render` the first time.
    func members(_ kind: Kind, _ texts: [String?], bits: UInt64 = 0, _ render: (inout JSONLine) -> Void) -> JSONMembers {
        let slot = Int(kind.rawValue)
        if let recent = last[slot], recent.bits == bits, Self.sameTexts(recent.texts, texts) { return recent.members }
        let key = Key(kind: kind, bits: bits, texts: texts)
        let found: JSONMembers
        if let known = known[key] {
            found = known
        } else {
            found = JSONMembers(render)
            if known.count < Self.limit { known[key] = found }
        }
        last[slot] = (bits, texts, found)
        return found
    }

    static func sameTexts(_ a: [String?], _ b: [String?]) -> Bool {
        guard a.count == b.count else { return false }
        for i in a.indices where !sameBytes(a[i], b[i]) { return false }
        return true
    }

    private var texts: [Key: String] = [:]
    /// A text made of `texts` alone (an audit event's detail), made once (up to `limit` of them).
    func text(_ kind: Kind, _ texts: [String?], _ make: () -> String) -> String {
        let key = Key(kind: kind, bits: 0, texts: texts)
        if let known = self.texts[key] { return known }
        let made = make()
        if self.texts.count < Self.limit { self.texts[key] = made }
        return made
    }

    private var promptFields: [String: [(field: ConditionField, name: String, source: String)]] = [:]
    /// The fields a prompt's condition reads, in the order its evidence lists them, with their
    /// names: the same for every line of the prompt (sorting and naming them was a tenth of a
    /// prompt line's instructions).
    func fields(ofPrompt id: String, _ make: () -> [(field: ConditionField, name: String, source: String)])
        -> [(field: ConditionField, name: String, source: String)] {
        if let known = promptFields[id] { return known }
        let made = make()
        promptFields[id] = made
        return made
    }

    private var lastStamp: (at: Int64, text: String)?
    /// `UTCTime.rfc3339(at)`, made once for the instant asked last: a pass stamps its items, lines
    /// and events with its own time, about a million times.
    func stamp(_ at: Int64) -> String {
        if let last = lastStamp, last.at == at { return last.text }
        let text = UTCTime.rfc3339(at)
        lastStamp = (at, text)
        return text
    }

    private var lastDay: (day: Int, text: String)?
    /// `PolicyLines.day(day)`, made once for the day asked last (most notices of a pass name its day).
    func day(_ day: Int?) -> String? {
        guard let day else { return nil }
        if let last = lastDay, last.day == day { return last.text }
        let text = PolicyLines.day(day)!
        lastDay = (day, text)
        return text
    }

    static func sameBytes(_ a: String?, _ b: String?) -> Bool {
        guard var a, var b else { return a == nil && b == nil }
        // The same two words are the same text: a short text is held in them, a longer one is the
        // same storage (the test `String`'s own `==` makes first). Else the bytes are compared.
        if unsafeBitCast(a, to: (UInt64, UInt64).self) == unsafeBitCast(b, to: (UInt64, UInt64).self) { return true }
        guard a.utf8.count == b.utf8.count else { return false }
        return a.withUTF8 { x in b.withUTF8 { y in FieldText.equal(x, y) } }
    }
}
