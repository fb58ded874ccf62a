import SandboxCore
import SandboxPolicy

/// Finds the rows of ids met in ascending byte order among the merchants' ids, which ascend in
/// the same order (the loader's sort; SQLite's BINARY collation for a key or index the ids come
/// from): one walk down both lists, reading each once in order, where a look-up per id hashed it
/// into a table of 16 MiB at random. An id the walk does not meet where it stands (not a merchant,
/// or met out of order) is looked up in `keys`, so the answer never depends on the order.
struct AscendingRowWalk {
    let ids: TextColumn
    let keys: ByteKeyTable
    private var next = 0

    init(ids: TextColumn, keys: ByteKeyTable) {
        self.ids = ids
        self.keys = keys
    }

    /// `id`'s row, or nil when no merchant has it.
    mutating func row(_ id: UnsafeBufferPointer<UInt8>) -> Int? {
        while next < ids.count, ids.withBytes(next, { FieldText.precedes($0 ?? id, id) }) { next += 1 }
        if next < ids.count, ids.withBytes(next, { $0.map { FieldText.equal($0, id) } ?? false }) { return next }
        return keys.value(id)
    }
}
