extension RandomAccessCollection where Index == Int {
    /// The index of the element whose `key` is `target`, in a collection sorted ascending by
    /// `key` (binary search); nil when there is none. The sparse text column finds a row's text
    /// by it, the agent's case index a case by its id.
    @inlinable
    public func index<Key: Comparable>(ofSorted target: Key, by key: (Element) -> Key) -> Int? {
        var lo = startIndex, hi = endIndex - 1
        while lo <= hi {
            let mid = lo + (hi - lo) / 2
            let found = key(self[mid])
            if found == target { return mid }
            if found < target { lo = mid + 1 } else { hi = mid - 1 }
        }
        return nil
    }
}
