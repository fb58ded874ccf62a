import Foundation
import SandboxPack

extension DirectivePoller {
    /// `GET /v1/rulepack` with the last ETag (docs/policy.md §2.6): a new envelope is decoded,
    /// verified, compiled and stored (active now or pending until its effective day); a refused one
    /// writes one `rulepack_refused` alert per ETag and the active pack stays. Returns what happened,
    /// for `run --once`.
    @discardableResult
    func pullRulePack() throws -> String? {
        guard let policy = config.policy else { return nil }
        var headers = [signature.authorization]
        let etag = try state.meta("rulepack.etag")
        if let etag { headers.append(("If-None-Match", etag)) }
        let response: HTTPResponse
        do {
            response = try connection.send(HTTPRequest(method: .get, path: "/v1/rulepack", headers: headers, timeoutSeconds: 60))
        } catch {
            throw Failure(description: "rule pack: \(error.description)")
        }
        try state.setMeta("rulepack.last_check_at", String(clock.unixTime))
        switch response.status {
        case 304: return nil
        case 404: return "no rule pack published at the regulator yet"
        case 200: break
        default:
            throw Failure(description: "/v1/rulepack: regulator answered HTTP \(response.status): \(HTTPFeedSink.serverMessage(response))",
                          credentials: response.status == 401 || response.status == 403)
        }
        let newTag = response.header("ETag") ?? ""
        let store = RulePackStore(state: state, policy: policy, stateDir: config.stateDir, logger: logger)
        do {
            let envelope = try PackEnvelope.decode(response.body)
            let name = "\(envelope.packID)-\(envelope.version) (regulator)"
            let active = try store.offer(try envelope.contentBytes(), signature: try envelope.packSignature().render(),
                                         name: name, source: "regulator", now: clock.unixTime)
            try state.setMeta("rulepack.etag", newTag)
            if active != nil { packChanged.raise() }
            return active.map { "rule pack \($0.pack.packVersion) serial \($0.pack.header.serial) activated" }
                ?? "rule pack \(envelope.packID)-\(envelope.version) stored (pending or already active)"
        } catch {
            let reason = "\(error)"
            if try state.meta("rulepack.refused_etag") != newTag {
                try state.transaction {
                    try state.setMeta("rulepack.refused_etag", newTag)
                    try SyncAlerts.write([SyncAlerts.line(
                        type: "rulepack_refused", platformID: config.platformID, batch: nil, reason: reason,
                        action: "the active rule pack stays in force; ask the regulator to publish a correctly signed, valid pack")],
                        state: state, outbox: config.outbox, now: clock.unixTime)
                }
                logger.error("rule pack from the regulator refused; the active pack stays in force", metadata: ["reason": "\(reason)"])
            }
            return "rule pack refused: \(reason)"
        }
    }
}
