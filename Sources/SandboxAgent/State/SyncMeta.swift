/// `agent_meta` keys of the regulator link. Declared with the state that keeps them: `status`
/// (`SyncStatistics`) reads them as the link writes them.
enum SyncMeta {
    static let itemsDelivered = "sync.items_delivered"
    static let batchesDelivered = "sync.batches_delivered"
    static let bytesDelivered = "sync.bytes_delivered"
    static let lastDeliveredAt = "sync.last_delivered_at"
    /// The version the last frozen batch stamped on its items (FeedBatcher).
    static let feedVersion = "sync.feed_version"
    static let directiveCursor = "sync.directive_cursor"
    static let registryCursor = "sync.registry_cursor"
    static let lastDirectivePollAt = "sync.last_directive_poll_at"
}
