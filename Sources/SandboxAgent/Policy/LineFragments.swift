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
    /// notices, then its prompts), so most asks are answered here, without hashing — and without
    /// an array of texts made for the ask: the texts come as arguments and are compared where they
    /// lie. An array a line, its strings retained into it and released out of it, was most of what
    /// a fragment cost (2.3 million asks in a first pass; issue 16, session 40).
    private var lastBits = [UInt64](repeating: 0, count: 16)
    private var lastMembers = [JSONMembers?](repeating: nil, count: 16)
    /// The texts the kind's last fragment was found by (`inline`), held so that their words below
    /// stay theirs; `count` -1 when it was found otherwise.
    private var lastTexts = [Texts](repeating: Texts(), count: 16)
    /// Per kind, the count and the two words of each of those texts (`Self.words` a kind): the same
    /// strings as last (the pack's texts, the pass's stamp) are known by their words, compared
    /// without retaining them. Copying `Texts` out of its array to compare it retains five strings.
    private var lastWords = [UInt64](repeating: UInt64.max, count: 16 * words)
    private static let words = 11
    /// The ids of the criteria the kind's last fragment was found by (`members(_:criteria:…)`), if it was.
    private var lastIDs = [[String]?](repeating: nil, count: 16)

    /// Up to five texts, held inline; `count` tells `[a]` from `[a, nil]`.
    struct Texts {
        var count = -1
        var t0, t1, t2, t3, t4: String?

        init() {}

        init(_ count: Int, _ t0: String?, _ t1: String?, _ t2: String?, _ t3: String?, _ t4: String?) {
            self.count = count; self.t0 = t0; self.t1 = t1; self.t2 = t2; self.t3 = t3; self.t4 = t4
        }

        func same(_ count: Int, _ t0: String?, _ t1: String?, _ t2: String?, _ t3: String?, _ t4: String?) -> Bool {
            count == self.count && sameBytes(self.t0, t0) && sameBytes(self.t1, t1) && sameBytes(self.t2, t2)
                && sameBytes(self.t3, t3) && sameBytes(self.t4, t4)
        }

        var list: [String?] { Array([t0, t1, t2, t3, t4].prefix(count)) }
    }

    /// The fragment of `kind` made of one text, two or five (as `members(_:_:bits:_:)`).
    func members(_ kind: Kind, _ t0: String?, _ render: (inout JSONLine) -> Void) -> JSONMembers {
        inline(kind, 1, t0, nil, nil, nil, nil, bits: 0, render)
    }

    func members(_ kind: Kind, _ t0: String?, _ t1: String?, _ render: (inout JSONLine) -> Void) -> JSONMembers {
        inline(kind, 2, t0, t1, nil, nil, nil, bits: 0, render)
    }

    func members(_ kind: Kind, _ t0: String?, _ t1: String?, _ t2: String?, _ t3: String?, _ t4: String?,
                 _ render: (inout JSONLine) -> Void) -> JSONMembers {
        inline(kind, 5, t0, t1, t2, t3, t4, bits: 0, render)
    }

    /// The fragment of `kind` for `texts` and `bits`, rendered by `render` the first time: the
    /// general form, of any number of texts, which the forms above and `members(_:criteria:…)` are
    /// for the lines' own fixed shapes (the pass's lines call those; the tests this one).
    func members(_ kind: Kind, _ texts: [String?], bits: UInt64 = 0, _ render: (inout JSONLine) -> Void) -> JSONMembers {
        guard texts.count <= 5 else { return found(kind, texts, bits: bits, render) }
        func at(_ i: Int) -> String? { i < texts.count ? texts[i] : nil }
        return inline(kind, texts.count, at(0), at(1), at(2), at(3), at(4), bits: bits, render)
    }

    /// The fragment of `kind` found by the ids of `criteria` and by `bits` (their values and holdings).
    func members(_ kind: Kind, criteria: [RosterDecision.Criterion], bits: UInt64, _ render: (inout JSONLine) -> Void)
        -> JSONMembers {
        let slot = Int(kind.rawValue)
        if lastBits[slot] == bits, let members = lastMembers[slot],
           lastIDs.withUnsafeBufferPointer({ $0[slot].map { Self.sameIDs($0, criteria) } ?? false }) {
            return members
        }
        let ids = criteria.map(\.id)
        let members = found(kind, ids, bits: bits, render)
        lastIDs[slot] = ids
        return members
    }

    private static func sameIDs(_ ids: [String], _ criteria: [RosterDecision.Criterion]) -> Bool {
        guard ids.count == criteria.count else { return false }
        return ids.withUnsafeBufferPointer { i in
            criteria.withUnsafeBufferPointer { c in
                for k in 0..<i.count where !sameBytes(i[k], c[k].id) { return false }
                return true
            }
        }
    }

    private func inline(_ kind: Kind, _ count: Int, _ t0: String?, _ t1: String?, _ t2: String?, _ t3: String?, _ t4: String?,
                        bits: UInt64, _ render: (inout JSONLine) -> Void) -> JSONMembers {
        let slot = Int(kind.rawValue)
        if lastBits[slot] == bits, let members = lastMembers[slot] {
            let same = lastWords.withUnsafeBufferPointer { w in
                let at = slot * Self.words
                return w[at] == UInt64(bitPattern: Int64(count)) && Self.same(w, at + 1, t0) && Self.same(w, at + 3, t1)
                    && Self.same(w, at + 5, t2) && Self.same(w, at + 7, t3) && Self.same(w, at + 9, t4)
            }
            // Else, rarely, the same bytes in other strings.
            if same || lastTexts[slot].same(count, t0, t1, t2, t3, t4) { return members }
        }
        let texts = Texts(count, t0, t1, t2, t3, t4)
        let members = found(kind, texts.list, bits: bits, render)
        lastTexts[slot] = texts
        lastWords.withUnsafeMutableBufferPointer { w in
            w[slot * Self.words] = UInt64(bitPattern: Int64(count))
            for (i, t) in [t0, t1, t2, t3, t4].enumerated() {
                (w[slot * Self.words + 1 + 2 * i], w[slot * Self.words + 2 + 2 * i]) = unsafeBitCast(t, to: (UInt64, UInt64).self)
            }
        }
        return members
    }

    /// Whether `t` is the string whose two words are at `w[at]` (a short text is held in them, a
    /// longer one is the same storage).
    @inline(__always)
    private static func same(_ w: UnsafeBufferPointer<UInt64>, _ at: Int, _ t: String?) -> Bool {
        let (a, b) = unsafeBitCast(t, to: (UInt64, UInt64).self)
        return w[at] == a && w[at + 1] == b
    }

    /// From the table, or rendered (and kept); the kind's last from now on, found by `texts`
    /// until the caller says by what else (`lastTexts`, `lastIDs`).
    private func found(_ kind: Kind, _ texts: [String?], bits: UInt64, _ render: (inout JSONLine) -> Void) -> JSONMembers {
        let slot = Int(kind.rawValue)
        let key = Key(kind: kind, bits: bits, texts: texts)
        let found: JSONMembers
        if let known = known[key] {
            found = known
        } else {
            found = JSONMembers(render)
            if known.count < Self.limit { known[key] = found }
        }
        lastBits[slot] = bits
        lastMembers[slot] = found
        lastTexts[slot] = Texts()
        lastWords[slot * Self.words] = UInt64.max
        lastIDs[slot] = nil
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
        guard let a, let b else { return a == nil && b == nil }
        // The same two words are the same text: a short text is held in them, a longer one is the
        // same storage (the test `String`'s own `==` makes first). Else the bytes are compared.
        if unsafeBitCast(a, to: (UInt64, UInt64).self) == unsafeBitCast(b, to: (UInt64, UInt64).self) { return true }
        guard a.utf8.count == b.utf8.count else { return false }
        return a.withUTF8Bytes { x in b.withUTF8Bytes { y in FieldText.equal(x, y) } }
    }
}
