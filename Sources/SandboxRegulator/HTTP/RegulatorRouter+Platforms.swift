import Hummingbird

extension RegulatorRouter {
    /// A platform not heard from for this long is `silent`: its agent polls for directives every
    /// 20 s or so while it runs, so five minutes of nothing means it is down or cut off.
    static let defaultSilentAfter: Int64 = 300

    /// GET /v1/admin/platforms[?silent_after=SECONDS]: every platform of the platforms file, with
    /// its link's health (platform sync health, for regulator staff and monitoring).
    func getPlatforms(_ request: Request) async throws -> Response {
        let silentAfter = try query(request, "silent_after", default: Self.defaultSilentAfter, in: 10...604_800)
        let platforms = try await platformHealth(now: Timestamp.now(), silentAfter: silentAfter)
        return JSONResponse.make(.ok, PlatformHealthList(silentAfterSeconds: silentAfter, platforms: platforms))
    }

    func platformHealth(now: Int64, silentAfter: Int64) async throws -> [PlatformHealth] {
        let ids = authenticator.directory.platforms.map(\.id)
        var platforms = try await store.read { try $0.platformActivity(ids) }
        for i in platforms.indices {
            platforms[i].lastDirectivePollAt = contacts.lastPoll(platforms[i].platformID)
            let contact = [platforms[i].lastBatchAt, platforms[i].lastReceiptAt, platforms[i].lastDirectivePollAt].compactMap { $0 }.max()
            platforms[i].lastContactAt = contact
            platforms[i].state = contact.map { now - $0 <= silentAfter ? "ok" : "silent" } ?? "never"
        }
        return platforms
    }
}
