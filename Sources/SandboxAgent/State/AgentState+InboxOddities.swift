import SandboxStorage

// Inbox entries already reported as not files (InboxOddity): each is reported once while it
// stays in the inbox, across restarts, and again only if it leaves and comes back.
extension AgentState {
    /// The names (bytes) reported and still remembered.
    public func reportedInboxOddities() throws -> Set<[UInt8]> {
        let s = try database.prepare("SELECT name FROM inbox_oddities")
        defer { s.reset() }
        var names = Set<[UInt8]>()
        while try s.step() { names.insert(s.blob(0)) }
        return names
    }

    /// Remembers a reported entry (inside the transaction that writes its alert line).
    func rememberInboxOddity(_ oddity: InboxOddity, at now: Int64) throws {
        let s = try database.prepare("INSERT OR REPLACE INTO inbox_oddities (name, what, reported_at) VALUES (?, ?, ?)")
        defer { s.reset() }
        try s.bind(all: oddity.rawName, oddity.what, now)
        try s.step()
    }

    /// Forgets an entry that has left the inbox.
    func forgetInboxOddity(name: [UInt8]) throws {
        let s = try database.prepare("DELETE FROM inbox_oddities WHERE name = ?")
        defer { s.reset() }
        try s.bind(1, name)
        try s.step()
    }
}
